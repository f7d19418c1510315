package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.Infer;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.MlOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.type.DataType;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small model over numbers becomes SQL arithmetic: Infer → Project. When every model input is
 * one number per row (shape [N] or [N, 1], fed by a numeric column) and the graph is a linear
 * model - concatenations of those numbers, Gemm/MatMul with constant weights, elementwise
 * arithmetic with constants, Relu and Sigmoid - each output element is a short expression of the
 * row's columns, which the generated pipeline computes inline instead of stacking rows into
 * tensors and calling a tensor program. Outputs of one element only (they are SQL numbers). A
 * small tree ensemble over such numbers becomes nested CASE expressions ({@link TreeInlining}).
 *
 * <p>The expressions compute in DOUBLE where the model computes in float32: results can differ
 * in the last bits of a float. Models larger than {@link #MAX_TERMS} multiply-adds stay models.
 */
public final class InlineSmallModels implements Rule {
    static final int MAX_TERMS = 256;

    public String name() {
        return "inline-small-models";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Infer inf) || inf.prelude().isPresent()) return Optional.empty();
        List<Expr> hidden = new ArrayList<>();
        Optional<List<Expr>> outs = inline(inf, hidden);
        if (outs.isEmpty()) return Optional.empty();
        var in = inf.input().schema();
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < in.size(); c++) {
            exprs.add(new ColumnRef(c, in.field(c).type(), in.field(c).nullable()));
            names.add(in.field(c).name());
        }
        Rel below = inf.input();
        if (!hidden.isEmpty()) {
            // values the outputs read more than once (a tree classifier's class sums), computed once below them
            List<Expr> withHidden = new ArrayList<>(exprs);
            List<String> hiddenNames = new ArrayList<>(names);
            withHidden.addAll(hidden);
            for (int h = 0; h < hidden.size(); h++) hiddenNames.add("$" + inf.model().name() + "$sum" + h);
            below = new Project(below, withHidden, hiddenNames);
        }
        for (int j = 0; j < inf.outputs().size(); j++) {
            exprs.add(outs.get().get(j));
            names.add(inf.outputs().get(j).name());
        }
        return Optional.of(new Project(below, exprs, names));
    }

    /**
     * Each output's expression, or empty when the model is not a small model over numbers; values
     * the outputs share are added to {@code hidden}, which the outputs read as the columns after
     * the input's.
     */
    static Optional<List<Expr>> inline(Infer inf, List<Expr> hidden) {
        var g = inf.model().graph();
        Map<String, List<Expr>> sym = new HashMap<>();
        var schema = inf.input().schema();
        for (int i = 0; i < g.inputs().size(); i++) {
            TensorValue v = g.inputs().get(i);
            if (!v.type().element().isFloating() || !Infer.scalar(Infer.rowType(v.type()))) return Optional.empty();
            int col = inf.args().get(i);
            if (!schema.field(col).type().isNumeric()) return Optional.empty();
            sym.put(v.name(), List.of(TypeRules.castTo(new ColumnRef(col, schema.field(col).type(), schema.field(col).nullable()), DataType.DOUBLE)));
        }
        int[] terms = {0};
        for (TensorNode n : g.nodes()) {
            if (n.op() instanceof MlOp.TreeEnsemble e) {
                if (n.inputs().size() != 1 || n.inputs().getFirst().isEmpty()) return Optional.empty();
                ElementType element = inputElement(g, n.inputs().getFirst().get());
                if (element != ElementType.FLOAT32 && element != ElementType.FLOAT64) return Optional.empty();
                var outs = TreeInlining.inline(e, sym.get(n.inputs().getFirst().get()), element == ElementType.FLOAT32, hidden, schema.size());
                if (outs.isEmpty()) return Optional.empty();
                for (int o = 0; o < n.outputs().size(); o++) {
                    int k = o;
                    outs.get().get(o).ifPresent(v -> sym.put(n.outputs().get(k), v));
                }
                continue;
            }
            Optional<List<Expr>> r = node(n, sym, g.initializers(), terms);
            if (terms[0] > MAX_TERMS) return Optional.empty();
            // a node that is not inlinable (a classifier's softmax over scores no output in use reads) is left
            // out: an output that needs it has no expression, and the model stays a model
            r.ifPresent(v -> sym.put(n.outputs().getFirst(), v));
        }
        List<Expr> outs = new ArrayList<>();
        for (Infer.Output o : inf.outputs()) {
            List<Expr> e = sym.get(o.modelOutput());
            if (e == null || e.size() != 1 || !Infer.scalar(Infer.rowType(inf.graphOutput(o.modelOutput()).type()))) return Optional.empty();
            outs.add(e.getFirst());
        }
        return Optional.of(outs);
    }

    /** The element type the graph gives a value: a graph input's, else that of the first input of the Concat, Flatten or Identity computing it. */
    private static ElementType inputElement(dev.kiln.ir.tensor.TensorGraph g, String value) {
        for (TensorValue v : g.inputs()) if (v.name().equals(value)) return v.type().element();
        for (TensorNode n : g.nodes()) {
            boolean passes = n.op() instanceof LayoutOp.Concat || n.op() instanceof LayoutOp.Flatten || n.op() instanceof ElementwiseOp.Identity;
            if (n.outputs().contains(value) && passes && !n.inputs().isEmpty() && n.inputs().getFirst().isPresent()) {
                return inputElement(g, n.inputs().getFirst().get());
            }
        }
        return null;
    }

    /** The per-row elements of a node's (single) output, or empty when the node is not inlinable. */
    private static Optional<List<Expr>> node(TensorNode n, Map<String, List<Expr>> sym, Map<String, Tensor> consts, int[] terms) {
        if (n.outputs().size() != 1 || n.inputs().stream().anyMatch(Optional::isEmpty)) return Optional.empty();
        List<String> in = n.inputs().stream().map(Optional::get).toList();
        return switch (n.op()) {
            case LayoutOp.Concat c when c.axis() == 1 || c.axis() == -1 -> {
                List<Expr> all = new ArrayList<>();
                for (String x : in) {
                    if (!sym.containsKey(x)) yield Optional.empty();
                    all.addAll(sym.get(x));
                }
                yield Optional.of(all);
            }
            case LayoutOp.Flatten f when f.axis() == 1 && sym.containsKey(in.getFirst()) -> Optional.of(sym.get(in.getFirst()));
            case ElementwiseOp.Identity i when sym.containsKey(in.getFirst()) -> Optional.of(sym.get(in.getFirst()));
            case NeuralOp.Gemm gm when !gm.transA() -> matmul(sym.get(in.get(0)), consts.get(in.get(1)), gm.transB(), gm.alpha(),
                    in.size() > 2 ? Optional.ofNullable(consts.get(in.get(2))) : Optional.empty(), gm.beta(), terms);
            case dev.kiln.ir.tensor.ReductionOp.ArgMax a when (a.axis() == 1 || a.axis() == -1) && !a.keepDims() && !a.selectLastIndex()
                    && sym.containsKey(in.getFirst()) -> Optional.of(List.of(argMax(sym.get(in.getFirst()))));
            case LayoutOp.Gather gt when gt.axis() == 0 && consts.containsKey(in.get(0)) && consts.get(in.get(0)).rank() == 1
                    && sym.containsKey(in.get(1)) && sym.get(in.get(1)).size() == 1 -> label(consts.get(in.get(0)), sym.get(in.get(1)).getFirst()).map(List::of);
            case NeuralOp.MatMul mm -> matmul(sym.get(in.get(0)), consts.get(in.get(1)), false, 1f, Optional.empty(), 0f, terms);
            case ElementwiseOp.Binary b -> binary(b.fn(), in.get(0), in.get(1), sym, consts);
            case ElementwiseOp.Unary u when sym.containsKey(in.getFirst()) -> switch (u.fn()) {
                case RELU -> Optional.of(sym.get(in.getFirst()).stream().map(InlineSmallModels::relu).toList());
                case SIGMOID -> Optional.of(sym.get(in.getFirst()).stream().map(InlineSmallModels::sigmoid).toList());
                case NEG -> Optional.of(sym.get(in.getFirst()).stream().map(x -> (Expr) new Call(Op.NEGATE, List.of(x), DataType.DOUBLE, x.nullable())).toList());
                default -> Optional.empty();
            };
            default -> Optional.empty();
        };
    }

    /** x [k] times W [k, m] (or W^T with W [m, k]), times alpha, plus beta × bias [m] or [1, m] or a scalar. */
    private static Optional<List<Expr>> matmul(List<Expr> x, Tensor w, boolean transB, float alpha, Optional<Tensor> bias, float beta, int[] terms) {
        if (x == null || w == null || w.rank() != 2) return Optional.empty();
        int k = (int) (transB ? w.dim(1) : w.dim(0));
        int m = (int) (transB ? w.dim(0) : w.dim(1));
        if (k != x.size()) return Optional.empty();
        terms[0] += k * m;
        if (terms[0] > MAX_TERMS) return Optional.empty();
        List<Expr> out = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            Expr acc = null;
            for (int i = 0; i < k; i++) {
                double wij = (double) alpha * w.getDouble(transB ? j * k + i : i * m + j);
                if (wij == 0) continue;
                Expr t = TypeRules.arithmetic(Op.TIMES, x.get(i), lit(wij));
                acc = acc == null ? t : TypeRules.arithmetic(Op.PLUS, acc, t);
            }
            if (bias.isPresent()) {
                Tensor b = bias.get();
                if (b.size() != 1 && b.size() != m) return Optional.empty();
                double bj = (double) beta * b.getDouble(b.size() == 1 ? 0 : j);
                acc = acc == null ? lit(bj) : TypeRules.arithmetic(Op.PLUS, acc, lit(bj));
            }
            out.add(acc == null ? lit(0) : acc);
        }
        return Optional.of(out);
    }

    /** Elementwise arithmetic of a symbolic vector with a constant (or another symbolic vector) that broadcasts along it. */
    private static Optional<List<Expr>> binary(ElementwiseOp.BinaryFn fn, String a, String b, Map<String, List<Expr>> sym, Map<String, Tensor> consts) {
        Op op = switch (fn) {
            case ADD -> Op.PLUS;
            case SUB -> Op.MINUS;
            case MUL -> Op.TIMES;
            case DIV -> Op.DIVIDE;
            default -> null;
        };
        if (op == null) return Optional.empty();
        List<Expr> x = operand(a, sym, consts);
        List<Expr> y = operand(b, sym, consts);
        if (x == null || y == null) return Optional.empty();
        int n = Math.max(x.size(), y.size());
        if (x.size() != n && x.size() != 1 || y.size() != n && y.size() != 1) return Optional.empty();
        List<Expr> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(TypeRules.arithmetic(op, x.get(x.size() == 1 ? 0 : i), y.get(y.size() == 1 ? 0 : i)));
        return Optional.of(out);
    }

    private static List<Expr> operand(String name, Map<String, List<Expr>> sym, Map<String, Tensor> consts) {
        if (sym.containsKey(name)) return sym.get(name);
        Tensor t = consts.get(name);
        // a constant applies per row: a scalar, or one value per element of the row's vector
        if (t == null || t.rank() > 2 || t.rank() == 2 && t.dim(0) != 1 || !t.type().isFloating()) return null;
        List<Expr> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) out.add(lit(t.getDouble(i)));
        return out;
    }

    /**
     * The index of ONNX Runtime's ArgMax of the scores (a classifier's class): it scans them,
     * keeping the first largest and skipping NaN, unless the first is NaN, which it keeps. So: 0
     * where the first score is NaN (a NaN feature makes every score NaN); else the first score
     * that is not NaN and is at least every later one that is not NaN - where an earlier one is
     * the largest, its own test passed first. NULL where a score is NULL (the model's input was).
     * NaN is tested as failing {@code x <= +inf}, which holds for NaN alone whether comparisons
     * with NaN are false (the compiled code) or put NaN above every number (the evaluator).
     */
    private static Expr argMax(List<Expr> scores) {
        List<Case.When> branches = new ArrayList<>();
        List<Expr> nulls = scores.stream().filter(Expr::nullable).map(x -> TypeRules.isNull(x, false)).toList();
        if (!nulls.isEmpty()) branches.add(new Case.When(nulls.size() == 1 ? nulls.getFirst() : TypeRules.or(nulls), new dev.kiln.ir.expr.NullLiteral(DataType.BIGINT)));
        if (scores.size() > 1) branches.add(new Case.When(isNaN(scores.getFirst()), Literal.of(0L)));
        for (int i = 0; i < scores.size() - 1; i++) {
            List<Expr> test = new ArrayList<>();
            if (i > 0) test.add(TypeRules.not(isNaN(scores.get(i))));
            for (int j = i + 1; j < scores.size(); j++) {
                test.add(TypeRules.or(List.of(TypeRules.compare(Op.GE, scores.get(i), scores.get(j)), isNaN(scores.get(j)))));
            }
            branches.add(new Case.When(test.size() == 1 ? test.getFirst() : TypeRules.and(test), Literal.of((long) i)));
        }
        Expr last = Literal.of((long) scores.size() - 1);
        return branches.isEmpty() ? last : TypeRules.caseWhen(branches, last);
    }

    /** x is NaN: x fails x &lt;= +inf (NULL for NULL). */
    private static Expr isNaN(Expr x) {
        return TypeRules.not(TypeRules.compare(Op.LE, x, lit(Double.POSITIVE_INFINITY)));
    }

    /** {@code labels[index]} for an index that is a literal or a CASE of literals (an {@link #argMax}): the labels put in their place. */
    private static Optional<Expr> label(Tensor labels, Expr index) {
        if (labels.type() != ElementType.STRING && labels.type() != ElementType.INT64) return Optional.empty();
        DataType type = labels.type() == ElementType.STRING ? DataType.VARCHAR : DataType.BIGINT;
        java.util.function.Function<Expr, Optional<Expr>> at = e -> switch (e) {
            case dev.kiln.ir.expr.NullLiteral nl -> Optional.of(new dev.kiln.ir.expr.NullLiteral(type));
            case Literal l when l.value() instanceof Long i && i >= 0 && i < labels.size() ->
                    Optional.of(labels.type() == ElementType.STRING ? Literal.of(labels.getString((int) (long) i)) : Literal.of(labels.getLong((int) (long) i)));
            default -> Optional.empty();
        };
        if (!(index instanceof Case c)) return at.apply(index);
        List<Case.When> branches = new ArrayList<>();
        for (Case.When w : c.branches()) {
            Optional<Expr> r = at.apply(w.result());
            if (r.isEmpty()) return Optional.empty();
            branches.add(new Case.When(w.condition(), r.get()));
        }
        return at.apply(c.otherwise()).map(o -> TypeRules.caseWhen(branches, o));
    }

    /** max(x, 0), NULL for NULL (a NULL argument gives a NULL prediction, as the model's step does). */
    private static Expr relu(Expr x) {
        if (!x.nullable()) return TypeRules.caseWhen(List.of(new Case.When(TypeRules.compare(Op.GT, x, lit(0)), x)), lit(0));
        return TypeRules.caseWhen(List.of(new Case.When(TypeRules.isNull(x, false), new dev.kiln.ir.expr.NullLiteral(DataType.DOUBLE)),
                new Case.When(TypeRules.compare(Op.GT, x, lit(0)), x)), lit(0));
    }

    private static Expr sigmoid(Expr x) {
        Expr e = new Call(Op.EXP, List.of(new Call(Op.NEGATE, List.of(x), DataType.DOUBLE, x.nullable())), DataType.DOUBLE, x.nullable());
        return TypeRules.arithmetic(Op.DIVIDE, lit(1), TypeRules.arithmetic(Op.PLUS, lit(1), e));
    }

    private static Expr lit(double v) {
        return new Literal(v, DataType.DOUBLE);
    }
}
