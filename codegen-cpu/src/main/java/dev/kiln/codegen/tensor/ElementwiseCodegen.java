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
import dev.kiln.codegen.tree.Unary;
import dev.kiln.codegen.tree.Assign;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.FusedOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.tensor.ChainBlocks;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Generates the kernel of one elementwise chain for fixed shapes, written in {@link ChainBlocks}'
 * vectorized block primitives: per block of the output, each input gathered at the output's
 * indices by its broadcast pattern (the same index; one element; {@code i % n} for a trailing-axes
 * operand such as a bias; {@code i / n} for a leading one such as a per-channel scale; else the
 * general index sum), one primitive call per step, the last block stored. Scalar constant inputs
 * become blocks filled once. The generated method is a short straight line; the loops it calls
 * are shared by every kernel, so they are hot after the first model call.
 */
final class ElementwiseCodegen {
    private static final JType SEGMENT = JType.of(MemorySegment.class);
    private static final JType BLOCK = JType.of(float[].class);

    private ElementwiseCodegen() {}

    /**
     * @param inShapes shapes of the chain's inputs; @param constants scalar inputs known at compile time, by index
     */
    static ClassDef generate(String className, FusedOp.ElementwiseChain chain, List<long[]> inShapes, long[] outShape,
                             Map<Integer, Tensor> constants) {
        LocalVar ins = new LocalVar("inputs", JType.of(MemorySegment[].class)), out = new LocalVar("out", SEGMENT);
        LocalVar from = new LocalVar("from", JType.LONG), to = new LocalVar("to", JType.LONG), at = new LocalVar("at", JType.LONG);
        LocalVar len = new LocalVar("len", JType.INT);
        List<JStmt> body = new ArrayList<>();
        List<JStmt> loop = new ArrayList<>();
        loop.add(new Declare(len, new Convert(new InvokeStatic(Math.class, "min", List.of(Const.of((long) ChainBlocks.BLOCK),
                new Binary(BinOp.SUB, new Local(to), new Local(at)))), JType.INT)));
        List<JExpr> inputBlocks = new ArrayList<>();
        long outCount = count(outShape);
        for (int k = 0; k < inShapes.size(); k++) {
            LocalVar x = new LocalVar("x" + k, BLOCK);
            inputBlocks.add(new Local(x));
            if (constants.containsKey(k)) {
                body.add(new Declare(x, blocks("filled", Const.of((double) (float) constants.get(k).getDouble(0)))));
                continue;
            }
            LocalVar seg = new LocalVar("in" + k, SEGMENT);
            body.add(new Declare(seg, new ArrayLoad(new Local(ins), Const.of(k))));
            body.add(new Declare(x, blocks("block")));
            long[] shape = inShapes.get(k);
            long inCount = count(shape);
            JExpr gather;
            if (inCount == outCount) {
                gather = blocks("same", new Local(seg), new Local(at), new Local(len), new Local(x));
            } else if (inCount == 1) {
                gather = blocks("single", new Local(seg), new Local(len), new Local(x));
            } else if (trailing(shape, outShape)) {
                gather = blocks("trailing", new Local(seg), Const.of(inCount), new Local(at), new Local(len), new Local(x));
            } else if (leading(shape, outShape)) {
                gather = blocks("leading", new Local(seg), Const.of(outCount / inCount), new Local(at), new Local(len), new Local(x));
            } else {
                LocalVar bc = new LocalVar("broadcast" + k, JType.of(ChainBlocks.Broadcast.class));
                body.add(new Declare(bc, new InvokeStatic(ChainBlocks.Broadcast.class, "of", List.of(Const.of(dims(shape) + "/" + dims(outShape))))));
                gather = blocks("general", new Local(seg), new Local(bc), new Local(at), new Local(len), new Local(x));
            }
            loop.add(new Eval(gather));
        }
        List<JExpr> stepBlocks = new ArrayList<>();
        for (int s = 0; s < chain.steps().size(); s++) {
            FusedOp.ChainStep step = chain.steps().get(s);
            List<JExpr> args = step.args().stream().map(a -> switch (a) {
                case FusedOp.ChainArg.Input in -> inputBlocks.get(in.index());
                case FusedOp.ChainArg.Step st -> stepBlocks.get(st.index());
            }).toList();
            LocalVar t = new LocalVar("t" + s, BLOCK);
            body.add(new Declare(t, blocks("block")));
            // x ^ 2 (LayerNorm's variance) as x * x: the same float, without a pow per element
            boolean square = step.op() instanceof ElementwiseOp.Binary b && b.fn() == ElementwiseOp.BinaryFn.POW
                    && step.args().get(1) instanceof FusedOp.ChainArg.Input in && constants.containsKey(in.index()) && constants.get(in.index()).getDouble(0) == 2;
            loop.add(new Eval(square ? blocks("mul", args.getFirst(), args.getFirst(), new Local(t), new Local(len)) : step(step.op(), args, new Local(t), new Local(len), body, s)));
            stepBlocks.add(new Local(t));
        }
        loop.add(new Eval(blocks("store", stepBlocks.getLast(), new Local(out), new Local(at), new Local(len))));
        body.add(new For(Optional.empty(), new Declare(at, new Local(from)), new Binary(BinOp.LT, new Local(at), new Local(to)),
                new Assign(at, new Binary(BinOp.ADD, new Local(at), Const.of((long) ChainBlocks.BLOCK))), new Block(loop)));
        MethodDef run = new MethodDef("run", JType.VOID, List.of(ins, out, from, to), new Block(body), true);
        return new ClassDef(className, "dev.kiln.generated", ElementwiseKernel.class, List.of(), List.of(), List.of(run));
    }

    private static JExpr blocks(String fn, JExpr... args) {
        return new InvokeStatic(ChainBlocks.class, fn, List.of(args));
    }

    private static String dims(long[] shape) {
        return java.util.Arrays.stream(shape).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(","));
    }

    /** The input's non-1 axes are exactly the output's last axes: element i reads i % n. */
    private static boolean trailing(long[] in, long[] out) {
        long[] padded = padded(in, out.length);
        int firstReal = 0;
        while (firstReal < out.length && padded[firstReal] == 1) firstReal++;
        for (int d = firstReal; d < out.length; d++) if (padded[d] != out[d]) return false;
        return true;
    }

    /** Equal to the output on its first axes, 1 on the rest: element i reads i / (out / in). */
    private static boolean leading(long[] in, long[] out) {
        long[] padded = padded(in, out.length);
        int lastReal = out.length - 1;
        while (lastReal >= 0 && padded[lastReal] == 1) lastReal--;
        for (int d = 0; d <= lastReal; d++) if (padded[d] != out[d]) return false;
        return true;
    }

    private static long[] padded(long[] in, int rank) {
        long[] padded = new long[rank];
        java.util.Arrays.fill(padded, 1);
        System.arraycopy(in, 0, padded, rank - in.length, in.length);
        return padded;
    }

    /** One step as a block primitive call writing {@code y}; Clip's absent bounds become infinite blocks declared in {@code body}. */
    private static JExpr step(ElementwiseOp op, List<JExpr> a, JExpr y, JExpr len, List<JStmt> body, int s) {
        JExpr x = a.getFirst();
        return switch (op) {
            case ElementwiseOp.Unary u -> blocks(switch (u.fn()) {
                case RELU -> "relu";
                case SIGMOID -> "sigmoid";
                case TANH -> "tanh";
                case ERF -> "erf";
                case EXP -> "exp";
                case LOG -> "log";
                case SQRT -> "sqrt";
                case NEG -> "neg";
                case ABS -> "abs";
                case RECIPROCAL -> "reciprocal";
                case FLOOR -> "floor";
                case CEIL -> "ceil";
                case ROUND -> "round";
                case SIGN -> "sign";
                case SIN -> "sin";
                case COS -> "cos";
                case HARD_SWISH -> "hardSwish";
                case SOFTPLUS -> "softplus";
                case NOT -> throw new IllegalArgumentException("Not is not a float op");
            }, x, y, len);
            case ElementwiseOp.LeakyRelu l -> blocks("leakyRelu", x, Const.of((double) l.alpha()), y, len);
            case ElementwiseOp.HardSigmoid h -> blocks("hardSigmoid", x, Const.of((double) h.alpha()), Const.of((double) h.beta()), y, len);
            case ElementwiseOp.Gelu g -> blocks(g.approximate() == ElementwiseOp.GeluApproximation.NONE ? "gelu" : "geluTanh", x, y, len);
            case ElementwiseOp.Clip c -> {
                JExpr lo = a.size() > 1 ? a.get(1) : infinite(body, "lo" + s, Double.NEGATIVE_INFINITY);
                JExpr hi = a.size() > 2 ? a.get(2) : infinite(body, "hi" + s, Double.POSITIVE_INFINITY);
                yield blocks("clip", x, lo, hi, y, len);
            }
            case ElementwiseOp.Binary b -> blocks(switch (b.fn()) {
                case ADD -> "add";
                case SUB -> "sub";
                case MUL -> "mul";
                case DIV -> "div";
                case POW -> "pow";
                default -> throw new IllegalArgumentException(b.fn() + " is not a float op");
            }, x, a.get(1), y, len);
            case ElementwiseOp.Identity id -> blocks("identity", x, y, len);
            case ElementwiseOp.Variadic v -> throw new IllegalArgumentException("Variadic ops are not fused");
            case ElementwiseOp.Where w -> throw new IllegalArgumentException("Where is not fused");
            case ElementwiseOp.Cast c -> throw new IllegalArgumentException("Cast is not fused");
        };
    }

    private static JExpr infinite(List<JStmt> body, String name, double v) {
        LocalVar b = new LocalVar(name, BLOCK);
        body.add(new Declare(b, blocks("filled", Const.of(v))));
        return new Local(b);
    }

    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }
}
