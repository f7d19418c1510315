package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.tensor.MlOp;
import dev.kiln.ir.type.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A small tree ensemble as SQL: each tree a nested CASE over the row's features, the trees
 * summed. Inlined are single-target regressors that sum or average their trees, and the label of
 * classifiers whose every leaf weighs every class (or, with two classes, one class): the label is
 * the first class of highest summed weight, or for two classes the positive one where its weight
 * passes ONNX Runtime's cut (0.5 for non-negative weights, else 0). The class sums are computed
 * once, as hidden columns below the projection that compares them. Results are those of
 * {@link MlOp.TreeEnsemble}'s reference semantics, in DOUBLE: the comparisons are exact (a model
 * of float32 inputs compares each feature rounded to float32, which the CASE conditions do by
 * comparing the DOUBLE value with the rounding boundaries), the sums can differ in the last bits.
 */
final class TreeInlining {
    private TreeInlining() {}

    /** Tree nodes (times the classes each is copied for) beyond which an ensemble stays a model. */
    static final int MAX_NODES = 1024;

    /**
     * The per-row expressions of the ensemble's outputs that can be inlined, by output index:
     * the regressor's Y, or the classifier's label (its scores are left out: a vector per row is
     * not an SQL number). Hidden columns (class sums) are appended to {@code hidden}; column
     * {@code hiddenBase + i} holds {@code hidden.get(i)}. Empty when the ensemble is not inlined.
     */
    static Optional<List<Optional<List<Expr>>>> inline(MlOp.TreeEnsemble e, List<Expr> x, boolean float32, List<Expr> hidden, int hiddenBase) {
        MlOp.Forest f = e.forest();
        if (x == null || x.size() <= f.maxFeature()) return Optional.empty();
        Expr anyNull = anyNull(x);
        if (e.classes().isEmpty()) {
            if (e.targets() != 1 || e.aggregate() != MlOp.Aggregate.SUM && e.aggregate() != MlOp.Aggregate.AVERAGE || f.nodes() > MAX_NODES) return Optional.empty();
            if (!weighsEachOnce(f, 1)) return Optional.empty();
            Expr sum = sum(f, 0, x, float32);
            if (e.aggregate() == MlOp.Aggregate.AVERAGE) sum = TypeRules.arithmetic(Op.DIVIDE, sum, lit(f.trees()));
            if (!e.baseValues().isEmpty()) sum = TypeRules.arithmetic(Op.PLUS, sum, lit(e.baseValues().getFirst()));
            return Optional.of(List.of(Optional.of(List.of(orNull(anyNull, sum)))));
        }
        MlOp.ClassLabels labels = e.classes().get();
        int c = e.targets();
        Expr label;
        if (c > 2) {
            if (f.nodes() * c > MAX_NODES || !weighsEachOnce(f, c)) return Optional.empty();
            List<Expr> sums = new ArrayList<>();
            for (int j = 0; j < c; j++) {
                Expr s = sum(f, j, x, float32);
                if (j < e.baseValues().size()) s = TypeRules.arithmetic(Op.PLUS, s, lit(e.baseValues().get(j)));
                sums.add(new ColumnRef(hiddenBase + hidden.size(), DataType.DOUBLE, false));
                hidden.add(s);
            }
            // the first class whose sum is at least every later one's (and, not being an earlier branch, above every earlier one's)
            List<Case.When> whens = new ArrayList<>();
            for (int j = 0; j < c - 1; j++) {
                List<Expr> atLeast = new ArrayList<>();
                for (int k = j + 1; k < c; k++) atLeast.add(TypeRules.compare(Op.GE, sums.get(j), sums.get(k)));
                whens.add(new Case.When(atLeast.size() == 1 ? atLeast.getFirst() : TypeRules.and(atLeast), label(labels, j, false)));
            }
            label = TypeRules.caseWhen(whens, label(labels, c - 1, false));
        } else {
            if (!e.baseValues().isEmpty() || f.nodes() * 2 > MAX_NODES) return Optional.empty();
            if (f.weightedTargetCount() == 1) {
                int w = f.weightedTargets()[0];
                if (!weighsOnly(f, w)) return Optional.empty();
                Expr s = sum(f, w, x, float32);
                Expr positive = TypeRules.compare(Op.GT, s, lit(f.weightsNonNegative() ? 0.5 : 0));
                label = TypeRules.caseWhen(List.of(new Case.When(positive, label(labels, 1, false))), label(labels, 0, false));
            } else {
                if (!weighsEachOnce(f, 2)) return Optional.empty();
                // both classes weighed: ONNX Runtime's label is 1 or 0 by the sign of class 1's sum (see TreeEnsemble.classify)
                Expr positive = TypeRules.compare(Op.GT, sum(f, 1, x, float32), lit(0));
                label = TypeRules.caseWhen(List.of(new Case.When(positive, label(labels, 1, true))), label(labels, 0, true));
            }
        }
        return Optional.of(List.of(Optional.of(List.of(orNull(anyNull, label))), Optional.empty()));
    }

    private static Expr label(MlOp.ClassLabels labels, int index, boolean literalIndex) {
        if (labels.ints().isPresent()) return Literal.of(literalIndex ? index : labels.ints().get()[index]);
        return new Literal(labels.strings().get().get(index), DataType.VARCHAR);
    }

    /** Whether every leaf weighs each of targets [0, n) exactly once. */
    private static boolean weighsEachOnce(MlOp.Forest f, int n) {
        for (int i = 0; i < f.nodes(); i++) {
            if (f.mode(i) != MlOp.NodeMode.LEAF) continue;
            if (f.leafWeights(i) != n) return false;
            boolean[] seen = new boolean[n];
            for (int k = 0; k < n; k++) {
                int t = f.weightTarget(i, k);
                if (seen[t]) return false;
                seen[t] = true;
            }
        }
        return true;
    }

    /** Whether every leaf weighs target {@code t} once and nothing else. */
    private static boolean weighsOnly(MlOp.Forest f, int t) {
        for (int i = 0; i < f.nodes(); i++) {
            if (f.mode(i) == MlOp.NodeMode.LEAF && (f.leafWeights(i) != 1 || f.weightTarget(i, 0) != t)) return false;
        }
        return true;
    }

    /** The trees' weights for target {@code target}, summed in tree order. */
    private static Expr sum(MlOp.Forest f, int target, List<Expr> x, boolean float32) {
        Expr acc = null;
        for (int t = 0; t < f.trees(); t++) {
            Expr tree = node(f, f.root(t), target, x, float32);
            acc = acc == null ? tree : TypeRules.arithmetic(Op.PLUS, acc, tree);
        }
        return acc;
    }

    private static Expr node(MlOp.Forest f, int i, int target, List<Expr> x, boolean float32) {
        if (f.mode(i) == MlOp.NodeMode.LEAF) {
            for (int k = 0; k < f.leafWeights(i); k++) if (f.weightTarget(i, k) == target) return lit(f.weightValue(i, k));
            return lit(0);
        }
        Expr cond = condition(f.mode(i), x.get(f.feature(i)), f.threshold(i), f.missingTracksTrue(i), float32);
        return TypeRules.caseWhen(List.of(new Case.When(cond, node(f, f.trueChild(i), target, x, float32))), node(f, f.falseChild(i), target, x, float32));
    }

    /**
     * The branch test, false for NaN unless the missing value tracks true (true for NEQ), written
     * with comparisons that are false for NaN: a test that NaN passes is the negation of its
     * opposite. For float32 inputs the feature is compared as rounded to float32.
     */
    static Expr condition(MlOp.NodeMode mode, Expr x, double t, boolean missingTrue, boolean float32) {
        // x <= s and x > s for s a value the (rounded) feature can take; below(t): the largest such value under t
        double atMost = float32 ? floatAtMost(t) : t;
        double below = float32 ? floatBelow(t) : Math.nextDown(t);
        return switch (mode) {
            case BRANCH_LEQ -> missingTrue ? TypeRules.not(gt(x, atMost, float32)) : leq(x, atMost, float32);
            case BRANCH_LT -> missingTrue ? TypeRules.not(gt(x, below, float32)) : leq(x, below, float32);
            case BRANCH_GT -> missingTrue ? TypeRules.not(leq(x, atMost, float32)) : gt(x, atMost, float32);
            case BRANCH_GTE -> missingTrue ? TypeRules.not(leq(x, below, float32)) : gt(x, below, float32);
            case BRANCH_EQ, BRANCH_NEQ -> {
                boolean representable = atMost == t;
                Expr eq = representable ? TypeRules.and(List.of(gt(x, below, float32), leq(x, t, float32))) : Literal.of(false);
                // a NaN is neither above t nor at or below the value under it (x <= infinity fails for NaN alone)
                Expr outside = representable ? TypeRules.or(List.of(gt(x, t, float32), leq(x, below, float32)))
                        : TypeRules.compare(Op.LE, x, lit(Double.POSITIVE_INFINITY));
                if (mode == MlOp.NodeMode.BRANCH_NEQ) yield TypeRules.not(eq);
                yield missingTrue ? TypeRules.not(outside) : eq;
            }
            case LEAF -> throw new IllegalArgumentException("a leaf has no test");
        };
    }

    /** rounded(x) <= s, for s a float32 value: x below the midpoint to the next float (at it, when ties round to s). */
    private static Expr leq(Expr x, double s, boolean float32) {
        if (!float32) return TypeRules.compare(Op.LE, x, lit(s));
        double mid = midpointUp((float) s);
        return TypeRules.compare(evenMantissa((float) s) ? Op.LE : Op.LT, x, lit(mid));
    }

    /**
     * rounded(x) > s, false for NaN: SQL puts NaN above every number, so the comparison is joined
     * with x &lt;= +inf, which NaN alone fails.
     */
    private static Expr gt(Expr x, double s, boolean float32) {
        Expr above;
        if (!float32) {
            above = TypeRules.compare(Op.GT, x, lit(s));
        } else {
            double mid = midpointUp((float) s);
            above = TypeRules.compare(evenMantissa((float) s) ? Op.GT : Op.GE, x, lit(mid));
        }
        return TypeRules.and(List.of(above, TypeRules.compare(Op.LE, x, lit(Double.POSITIVE_INFINITY))));
    }

    /** The double halfway between s and the next float up: doubles above it round past s. */
    static double midpointUp(float s) {
        float up = Math.nextUp(s);
        if (Float.isInfinite(up)) return (double) s + Math.ulp(s) / 2.0;
        return ((double) s + (double) up) / 2.0;
    }

    private static boolean evenMantissa(float s) {
        return (Float.floatToRawIntBits(s) & 1) == 0;
    }

    /** The largest float32 value not above t. */
    static double floatAtMost(double t) {
        float f = (float) t;
        if (f > t) f = Math.nextDown(f);
        return f;
    }

    /** The largest float32 value below t. */
    static double floatBelow(double t) {
        float f = (float) floatAtMost(t);
        return f == t ? Math.nextDown(f) : f;
    }

    private static Expr anyNull(List<Expr> x) {
        List<Expr> tests = x.stream().filter(Expr::nullable).map(e -> TypeRules.isNull(e, false)).toList();
        if (tests.isEmpty()) return null;
        return tests.size() == 1 ? tests.getFirst() : TypeRules.or(tests);
    }

    /** NULL when an argument is NULL (as the model's step gives), else e. */
    private static Expr orNull(Expr anyNull, Expr e) {
        if (anyNull == null) return e;
        return TypeRules.caseWhen(List.of(new Case.When(anyNull, new NullLiteral(e.type()))), e);
    }

    private static Expr lit(double v) {
        return new Literal(v, DataType.DOUBLE);
    }
}
