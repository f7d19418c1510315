package dev.kiln.codegen.tensor;

import dev.kiln.codegen.tree.ArrayLoad;
import dev.kiln.codegen.tree.BinOp;
import dev.kiln.codegen.tree.Binary;
import dev.kiln.codegen.tree.Block;
import dev.kiln.codegen.tree.ClassDef;
import dev.kiln.codegen.tree.Const;
import dev.kiln.codegen.tree.Convert;
import dev.kiln.codegen.tree.Declare;
import dev.kiln.codegen.tree.Eval;
import dev.kiln.codegen.tree.For;
import dev.kiln.codegen.tree.InvokeStatic;
import dev.kiln.codegen.tree.InvokeVirtual;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JStmt;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Local;
import dev.kiln.codegen.tree.LocalVar;
import dev.kiln.codegen.tree.MethodDef;
import dev.kiln.codegen.tree.StaticField;
import dev.kiln.codegen.tree.Ternary;
import dev.kiln.codegen.tree.Unary;
import dev.kiln.codegen.tree.UnOp;
import dev.kiln.codegen.tree.Assign;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.FusedOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.tensor.TensorMath;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Generates the loop of one elementwise chain for fixed shapes: per output index, each input is
 * read once at its broadcast index (specialised: the same index, 0 for a scalar, {@code i % n}
 * for a trailing-axes operand such as a bias, {@code i / n} for a leading one, else the general
 * div/mod sum), the steps are computed in double with the interpreter's formulas, and the result
 * is rounded once to float32. Scalar constant inputs become literals.
 */
final class ElementwiseCodegen {
    private static final JType SEGMENT = JType.of(MemorySegment.class);
    private static final JType FLOAT_LAYOUT = JType.of(ValueLayout.OfFloat.class);

    private ElementwiseCodegen() {}

    /**
     * @param inShapes shapes of the chain's inputs; @param constants scalar inputs known at compile time, by index
     */
    static ClassDef generate(String className, FusedOp.ElementwiseChain chain, List<long[]> inShapes, long[] outShape,
                             Map<Integer, Tensor> constants) {
        LocalVar ins = new LocalVar("inputs", JType.of(MemorySegment[].class)), out = new LocalVar("out", SEGMENT);
        LocalVar from = new LocalVar("from", JType.LONG), to = new LocalVar("to", JType.LONG), i = new LocalVar("i", JType.LONG);
        List<JStmt> body = new ArrayList<>();
        List<LocalVar> segs = new ArrayList<>();
        for (int k = 0; k < inShapes.size(); k++) {
            LocalVar s = new LocalVar("in" + k, SEGMENT);
            segs.add(s);
            if (!constants.containsKey(k)) body.add(new Declare(s, new ArrayLoad(new Local(ins), Const.of(k))));
        }
        List<JStmt> loop = new ArrayList<>();
        List<JExpr> inputValues = new ArrayList<>();
        for (int k = 0; k < inShapes.size(); k++) {
            if (constants.containsKey(k)) {
                inputValues.add(Const.of((double) (float) constants.get(k).getDouble(0)));
                continue;
            }
            LocalVar x = new LocalVar("x" + k, JType.DOUBLE);
            JExpr load = new InvokeVirtual(new Local(segs.get(k)), MemorySegment.class, "getAtIndex",
                    List.of(floatLayout(), index(new Local(i), inShapes.get(k), outShape)));
            loop.add(new Declare(x, new Convert(load, JType.DOUBLE)));
            inputValues.add(new Local(x));
        }
        List<JExpr> stepValues = new ArrayList<>();
        for (int s = 0; s < chain.steps().size(); s++) {
            FusedOp.ChainStep step = chain.steps().get(s);
            List<JExpr> args = step.args().stream().map(a -> switch (a) {
                case FusedOp.ChainArg.Input in -> inputValues.get(in.index());
                case FusedOp.ChainArg.Step st -> stepValues.get(st.index());
            }).toList();
            LocalVar t = new LocalVar("t" + s, JType.DOUBLE);
            loop.add(new Declare(t, compute(step.op(), args)));
            stepValues.add(new Local(t));
        }
        loop.add(new Eval(new InvokeVirtual(new Local(out), MemorySegment.class, "setAtIndex",
                List.of(floatLayout(), new Local(i), new Convert(stepValues.getLast(), JType.FLOAT)))));
        body.add(new For(Optional.empty(), new Declare(i, new Local(from)), new Binary(BinOp.LT, new Local(i), new Local(to)),
                new Assign(i, new Binary(BinOp.ADD, new Local(i), Const.of(1L))), new Block(loop)));
        MethodDef run = new MethodDef("run", JType.VOID, List.of(ins, out, from, to), new Block(body), true);
        return new ClassDef(className, "dev.kiln.generated", ElementwiseKernel.class, List.of(), List.of(), List.of(run));
    }

    private static JExpr floatLayout() {
        return new StaticField(ValueLayout.class, "JAVA_FLOAT", FLOAT_LAYOUT);
    }

    /** The index of input element read for output element {@code i} under numpy broadcasting. */
    static JExpr index(JExpr i, long[] in, long[] out) {
        long inCount = count(in), outCount = count(out);
        if (inCount == outCount) return i;
        if (inCount == 1) return Const.of(0L);
        int r = out.length;
        long[] padded = new long[r];
        java.util.Arrays.fill(padded, 1);
        System.arraycopy(in, 0, padded, r - in.length, in.length);
        // A trailing block: the input's non-1 axes are exactly the output's last axes.
        int firstReal = 0;
        while (firstReal < r && padded[firstReal] == 1) firstReal++;
        boolean trailing = true;
        for (int d = firstReal; d < r; d++) trailing &= padded[d] == out[d];
        if (trailing) return new Binary(BinOp.REM, i, Const.of(inCount));
        // A leading block: equal on the first axes, 1 on the rest.
        int lastReal = r - 1;
        while (lastReal >= 0 && padded[lastReal] == 1) lastReal--;
        boolean leading = true;
        for (int d = 0; d <= lastReal; d++) leading &= padded[d] == out[d];
        if (leading) return new Binary(BinOp.DIV, i, Const.of(outCount / inCount));
        JExpr sum = Const.of(0L);
        long outStride = outCount, inStride = inCount;
        for (int d = 0; d < r; d++) {
            outStride /= out[d];
            inStride /= padded[d];
            if (padded[d] == 1) continue;
            JExpr coord = new Binary(BinOp.REM, new Binary(BinOp.DIV, i, Const.of(outStride)), Const.of(out[d]));
            sum = new Binary(BinOp.ADD, sum, new Binary(BinOp.MUL, coord, Const.of(inStride)));
        }
        return sum;
    }

    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    private static JExpr math(String fn, JExpr... args) {
        return new InvokeStatic(Math.class, fn, List.of(args));
    }

    private static JExpr tm(String fn, JExpr... args) {
        return new InvokeStatic(TensorMath.class, fn, List.of(args));
    }

    /** One step in double, with the interpreter's formula. */
    static JExpr compute(ElementwiseOp op, List<JExpr> a) {
        JExpr x = a.getFirst();
        return switch (op) {
            case ElementwiseOp.Unary u -> switch (u.fn()) {
                case RELU -> tm("relu", x);
                case SIGMOID -> tm("sigmoid", x);
                case TANH -> math("tanh", x);
                case ERF -> tm("erf", x);
                case EXP -> math("exp", x);
                case LOG -> math("log", x);
                case SQRT -> math("sqrt", x);
                case NEG -> new Unary(UnOp.NEG, x);
                case ABS -> math("abs", x);
                case RECIPROCAL -> tm("reciprocal", x);
                case FLOOR -> math("floor", x);
                case CEIL -> math("ceil", x);
                case ROUND -> math("rint", x);
                case SIGN -> math("signum", x);
                case SIN -> math("sin", x);
                case COS -> math("cos", x);
                case HARD_SWISH -> tm("hardSwish", x);
                case SOFTPLUS -> tm("softplus", x);
                case NOT -> throw new IllegalArgumentException("Not is not a float op");
            };
            case ElementwiseOp.LeakyRelu l -> tm("leakyRelu", x, Const.of((double) l.alpha()));
            case ElementwiseOp.HardSigmoid h -> tm("hardSigmoid", x, Const.of((double) h.alpha()), Const.of((double) h.beta()));
            case ElementwiseOp.Gelu g -> g.approximate() == ElementwiseOp.GeluApproximation.NONE ? tm("gelu", x) : tm("geluTanh", x);
            case ElementwiseOp.Clip c -> tm("clip", x, a.size() > 1 ? a.get(1) : Const.of(Double.NEGATIVE_INFINITY),
                    a.size() > 2 ? a.get(2) : Const.of(Double.POSITIVE_INFINITY));
            case ElementwiseOp.Binary b -> switch (b.fn()) {
                case ADD -> new Binary(BinOp.ADD, x, a.get(1));
                case SUB -> new Binary(BinOp.SUB, x, a.get(1));
                case MUL -> new Binary(BinOp.MUL, x, a.get(1));
                case DIV -> new Binary(BinOp.DIV, x, a.get(1));
                case POW -> tm("pow", x, a.get(1));
                default -> throw new IllegalArgumentException(b.fn() + " is not a float op");
            };
            case ElementwiseOp.Identity id -> x;
            case ElementwiseOp.Variadic v -> throw new IllegalArgumentException("Variadic ops are not fused");
            case ElementwiseOp.Where w -> throw new IllegalArgumentException("Where is not fused");
            case ElementwiseOp.Cast c -> throw new IllegalArgumentException("Cast is not fused");
        };
    }
}
