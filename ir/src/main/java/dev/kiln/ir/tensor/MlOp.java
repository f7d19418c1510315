package dev.kiln.ir.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Classical machine-learning operators (ONNX's {@code ai.onnx.ml} domain): decision-tree
 * ensembles, as scikit-learn, XGBoost and LightGBM export them. They sit in the same graphs as
 * the neural operators, so a tree model is a model like any other - and a small one becomes SQL
 * (the optimizer's small-model inlining turns each tree into a CASE expression).
 */
public sealed interface MlOp extends TensorOp {
    /** How a branch node compares the row's feature x with its threshold t: the true branch is taken when it holds. */
    enum NodeMode {
        BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT, BRANCH_EQ, BRANCH_NEQ, LEAF;

        /**
         * Whether the true branch is taken for x; a NaN x takes it when the node's missing value
         * tracks true (or for NEQ, which a NaN never equals), as ONNX Runtime does.
         */
        public boolean test(double x, double t, boolean missingTracksTrue) {
            if (Double.isNaN(x)) return missingTracksTrue || this == BRANCH_NEQ;
            return switch (this) {
                case BRANCH_LEQ -> x <= t;
                case BRANCH_LT -> x < t;
                case BRANCH_GTE -> x >= t;
                case BRANCH_GT -> x > t;
                case BRANCH_EQ -> x == t;
                case BRANCH_NEQ -> x != t;
                case LEAF -> throw new IllegalStateException("a leaf has no test");
            };
        }
    }

    /** How the trees' leaf weights for one target (or class) combine. */
    enum Aggregate { SUM, AVERAGE, MIN, MAX }

    /** What is applied to the aggregated scores (PROBIT is refused at import: its only users are rare single-target regressors). */
    enum PostTransform { NONE, LOGISTIC, SOFTMAX, SOFTMAX_ZERO }

    /**
     * The trees of an ensemble, flattened: node i of the forest has a mode, a feature (column of
     * the input row), a threshold, true and false children (forest node indices, -1 for leaves),
     * whether a missing (NaN) feature takes the true branch, and - for a leaf - weights
     * {@code [leafStart[i], leafStart[i] + leafCount[i])} of {@link #weightTarget} /
     * {@link #weightValue}. Tree t starts at node {@code roots[t]}. Immutable; equal by content.
     */
    final class Forest {
        private final int[] roots;
        private final NodeMode[] modes;
        private final int[] features;
        private final double[] thresholds;
        private final int[] trueChild, falseChild;
        private final boolean[] missingTracksTrue;
        private final int[] leafStart, leafCount;
        private final int[] weightTarget;
        private final double[] weightValue;
        private final int[] weightedTargets;
        private final boolean weightsNonNegative;

        public Forest(int[] roots, NodeMode[] modes, int[] features, double[] thresholds, int[] trueChild, int[] falseChild,
                      boolean[] missingTracksTrue, int[] leafStart, int[] leafCount, int[] weightTarget, double[] weightValue) {
            int n = modes.length;
            if (features.length != n || thresholds.length != n || trueChild.length != n || falseChild.length != n || missingTracksTrue.length != n
                    || leafStart.length != n || leafCount.length != n) {
                throw new IllegalArgumentException("every per-node array must have one entry per node (" + n + ")");
            }
            if (weightTarget.length != weightValue.length) throw new IllegalArgumentException("weight targets and values differ in length");
            if (roots.length == 0) throw new IllegalArgumentException("an ensemble needs at least one tree");
            this.roots = roots.clone();
            this.modes = modes.clone();
            this.features = features.clone();
            this.thresholds = thresholds.clone();
            this.trueChild = trueChild.clone();
            this.falseChild = falseChild.clone();
            this.missingTracksTrue = missingTracksTrue.clone();
            this.leafStart = leafStart.clone();
            this.leafCount = leafCount.clone();
            this.weightTarget = weightTarget.clone();
            this.weightValue = weightValue.clone();
            this.weightedTargets = Arrays.stream(weightTarget).distinct().sorted().toArray();
            this.weightsNonNegative = Arrays.stream(weightValue).allMatch(w -> w >= 0);
            for (int r : roots) if (r < 0 || r >= n) throw new IllegalArgumentException("tree root " + r + " is not a node");
            for (int i = 0; i < n; i++) {
                if (modes[i] == NodeMode.LEAF) {
                    if (leafStart[i] < 0 || leafStart[i] + leafCount[i] > weightValue.length) throw new IllegalArgumentException("leaf " + i + "'s weights are out of range");
                } else if (trueChild[i] <= i || falseChild[i] <= i || trueChild[i] >= n || falseChild[i] >= n) {
                    // children after their parent: the importer orders each tree so, which also rules out cycles
                    throw new IllegalArgumentException("branch " + i + "'s children (" + trueChild[i] + ", " + falseChild[i] + ") must be later nodes");
                } else if (features[i] < 0) {
                    throw new IllegalArgumentException("branch " + i + " reads feature " + features[i]);
                }
            }
        }

        public int trees() { return roots.length; }
        public int nodes() { return modes.length; }
        public int root(int tree) { return roots[tree]; }
        public NodeMode mode(int node) { return modes[node]; }
        public int feature(int node) { return features[node]; }
        public double threshold(int node) { return thresholds[node]; }
        public int trueChild(int node) { return trueChild[node]; }
        public int falseChild(int node) { return falseChild[node]; }
        public boolean missingTracksTrue(int node) { return missingTracksTrue[node]; }
        public int leafWeights(int node) { return leafCount[node]; }
        public int weightTarget(int node, int k) { return weightTarget[leafStart[node] + k]; }
        public double weightValue(int node, int k) { return weightValue[leafStart[node] + k]; }

        /** The largest feature index a branch reads, or -1. */
        public int maxFeature() {
            int m = -1;
            for (int i = 0; i < modes.length; i++) if (modes[i] != NodeMode.LEAF) m = Math.max(m, features[i]);
            return m;
        }

        /** The distinct targets (classes) some leaf weighs, ascending. */
        public int[] weightedTargets() {
            return weightedTargets.clone();
        }

        /** How many distinct targets some leaf weighs. */
        public int weightedTargetCount() {
            return weightedTargets.length;
        }

        /** Whether no leaf weight is negative. */
        public boolean weightsNonNegative() {
            return weightsNonNegative;
        }

        /** The leaf tree {@code tree} reaches for a row of features {@code x}. */
        public int leaf(int tree, double[] x) {
            int i = roots[tree];
            while (modes[i] != NodeMode.LEAF) i = modes[i].test(x[features[i]], thresholds[i], missingTracksTrue[i]) ? trueChild[i] : falseChild[i];
            return i;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Forest f && Arrays.equals(roots, f.roots) && Arrays.equals(modes, f.modes) && Arrays.equals(features, f.features)
                    && Arrays.equals(thresholds, f.thresholds) && Arrays.equals(trueChild, f.trueChild) && Arrays.equals(falseChild, f.falseChild)
                    && Arrays.equals(missingTracksTrue, f.missingTracksTrue) && Arrays.equals(leafStart, f.leafStart) && Arrays.equals(leafCount, f.leafCount)
                    && Arrays.equals(weightTarget, f.weightTarget) && Arrays.equals(weightValue, f.weightValue);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(thresholds) * 31 + Arrays.hashCode(features);
        }

        /** Short: a forest has thousands of nodes. */
        @Override
        public String toString() {
            return roots.length + " tree" + (roots.length == 1 ? "" : "s") + ", " + modes.length + " nodes";
        }
    }

    /** Class labels of a classifier: integers or strings (exactly one of them). */
    record ClassLabels(Optional<long[]> ints, Optional<List<String>> strings) {
        public ClassLabels {
            if (ints.isPresent() == strings.isPresent()) throw new IllegalArgumentException("class labels are either integers or strings");
            ints = ints.map(long[]::clone);
            strings = strings.map(List::copyOf);
        }

        public static ClassLabels of(long... labels) { return new ClassLabels(Optional.of(labels), Optional.empty()); }
        public static ClassLabels of(List<String> labels) { return new ClassLabels(Optional.empty(), Optional.of(labels)); }

        public int size() { return ints.map(l -> l.length).orElseGet(() -> strings.get().size()); }
        public ElementType element() { return ints.isPresent() ? ElementType.INT64 : ElementType.STRING; }

        @Override
        public boolean equals(Object o) {
            return o instanceof ClassLabels c && strings.equals(c.strings) && ints.isPresent() == c.ints.isPresent()
                    && (ints.isEmpty() || Arrays.equals(ints.get(), c.ints.get()));
        }

        @Override
        public int hashCode() {
            return ints.map(Arrays::hashCode).orElseGet(() -> strings.get().hashCode());
        }

        @Override
        public String toString() {
            return ints.map(Arrays::toString).orElseGet(() -> strings.get().toString());
        }
    }

    /**
     * A tree ensemble over rows X [N, F] (float, double, int32 or int64). As a regressor (no
     * {@code classes}): one output Y FLOAT32 [N, targets], each target the aggregate of the
     * trees' leaf weights for it, plus its base value, then the post transform. As a classifier:
     * outputs label [N] (INT64 or STRING) and scores FLOAT32 [N, classes], the sums of the leaf
     * weights per class plus base values, transformed, with ONNX Runtime's rules for two classes
     * (a single weighted class is the positive one; see {@link #classify}).
     *
     * @param baseValues empty (0) or one per target or class; a regressor with one target may have one
     */
    record TreeEnsemble(Forest forest, int targets, Aggregate aggregate, List<Double> baseValues, PostTransform post,
                        Optional<ClassLabels> classes) implements MlOp {
        public TreeEnsemble {
            baseValues = List.copyOf(baseValues);
            if (classes.isPresent()) {
                if (targets != classes.get().size()) throw new IllegalArgumentException("a classifier has one target per class label");
                if (aggregate != Aggregate.SUM) throw new IllegalArgumentException("a classifier sums its trees' weights");
            }
            if (targets < 1) throw new IllegalArgumentException("an ensemble needs at least one target, not " + targets);
            if (classes.isPresent() && targets == 2 && forest.weightedTargetCount() == 1 && baseValues.stream().anyMatch(b -> b != 0)) {
                // ONNX Runtime ignores one base value here and, given two, replaces the trees' score with the second
                throw new IllegalArgumentException("a two-class ensemble that weighs one class cannot have base values " + baseValues
                        + " (ONNX Runtime and the ONNX specification disagree on them); add them to the leaves' weights instead");
            }
            if (!baseValues.isEmpty() && baseValues.size() != targets && baseValues.size() != 1) {
                throw new IllegalArgumentException(baseValues.size() + " base values for " + targets + " targets");
            }
            for (int i = 0; i < forest.nodes(); i++) {
                for (int k = 0; k < forest.leafWeights(i); k++) {
                    int t = forest.weightTarget(i, k);
                    if (t < 0 || t >= targets) throw new IllegalArgumentException("leaf weight for target " + t + " of " + targets);
                }
            }
        }

        @Override
        public String opName() {
            return classes.isPresent() ? "TreeEnsembleClassifier" : "TreeEnsembleRegressor";
        }

        /** Scores of one row (before the post transform): per target, the aggregate over the trees of the leaf weights, or NaN where no leaf weighs it. */
        public double[] rawScores(double[] x) {
            double[] s = new double[targets];
            boolean[] has = new boolean[targets];
            for (int t = 0; t < forest.trees(); t++) {
                int leaf = forest.leaf(t, x);
                if (targets == 1 && forest.leafWeights(leaf) == 0) {
                    // a single target's leaf without a weight weighs 0 (ONNX Runtime's single-score path), which MIN and MAX see
                    s[0] = !has[0] ? 0 : aggregate == Aggregate.MIN ? Math.min(s[0], 0) : aggregate == Aggregate.MAX ? Math.max(s[0], 0) : s[0];
                    has[0] = true;
                }
                for (int k = 0; k < forest.leafWeights(leaf); k++) {
                    int j = forest.weightTarget(leaf, k);
                    double w = forest.weightValue(leaf, k);
                    s[j] = !has[j] ? w : switch (aggregate) {
                        case SUM, AVERAGE -> s[j] + w;
                        case MIN -> Math.min(s[j], w);
                        case MAX -> Math.max(s[j], w);
                    };
                    has[j] = true;
                }
            }
            for (int j = 0; j < targets; j++) if (!has[j]) s[j] = Double.NaN;
            return s;
        }

        /**
         * A regressor's output row: raw scores (0 where no leaf weighs a target; divided by the
         * number of trees for AVERAGE) plus base values, then the post transform. As in ONNX
         * Runtime, a single target takes one base value and no post transform, and (with several
         * targets) a target no leaf weighs is 0, without its base value.
         */
        public double[] regress(double[] raw) {
            double[] y = new double[targets];
            for (int j = 0; j < targets; j++) {
                if (Double.isNaN(raw[j]) && targets > 1) continue; // ONNX Runtime: 0, without the base value
                double v = Double.isNaN(raw[j]) ? 0 : aggregate == Aggregate.AVERAGE ? raw[j] / forest.trees() : raw[j];
                y[j] = v + (baseValues.size() == targets ? baseValues.get(j) : targets == 1 && baseValues.size() == 1 ? baseValues.getFirst() : 0);
            }
            return targets == 1 ? y : transform(y);
        }

        /**
         * A classifier's decision for one row: the label, as an index into the class labels or (see
         * {@link Classified#literal}) as the label value itself, and the transformed scores.
         */
        public record Classified(int label, boolean literal, double[] scores) {}

        /**
         * A classifier's label and scores from the summed weights (NaN: no leaf weighs the class),
         * with ONNX Runtime's rules (checked against it, the class-0-only form aside). Three or more classes: base values
         * added, the label the first highest sum among the weighed classes, the sums transformed.
         * Two classes where one class only is weighed anywhere in the ensemble (a binary
         * classifier's usual form): its sum s decides the label - positive when s > 0.5 with
         * non-negative weights, when s > 0 otherwise. If that class is class 1, the scores are
         * the two sums (0 for class 0), transformed; if it is class 0, they are [1 - s, s] with
         * non-negative weights, else [σ(-s), σ(s)] under LOGISTIC and [-s, s] or [s, -s]
         * (positive or not) without. Two classes both weighed: the sums (base values added) are
         * the scores, transformed, and the label is 1 or 0 by the sign of class 1's sum, given as
         * that value ({@link Classified#literal}).
         */
        public Classified classify(double[] raw) {
            int c = targets;
            double[] s = new double[c];
            boolean[] has = new boolean[c];
            for (int j = 0; j < c; j++) {
                has[j] = !Double.isNaN(raw[j]);
                s[j] = has[j] ? raw[j] : 0;
            }
            if (c > 2) {
                for (int k = 0; k < baseValues.size(); k++) {
                    s[k] += baseValues.get(k);
                    has[k] = true;
                }
                int best = -1;
                for (int j = 0; j < c; j++) if (has[j] && (best < 0 || s[j] > s[best])) best = j;
                return new Classified(Math.max(best, 0), false, transform(s));
            }
            int size = 2;
            boolean additional = false; // the single score's second class is its negation (mixed weights)
            if (baseValues.size() == 2) {
                if (has[1]) {
                    s[1] = baseValues.get(1) + s[0];
                    s[0] = -s[1];
                } else {
                    s[1] += baseValues.get(1);
                    s[0] += baseValues.get(0);
                }
            } else if (baseValues.size() == 1) {
                s[0] += baseValues.getFirst();
                if (!has[1]) size = 1;
            } else if (!has[1]) {
                size = 1;
            }
            double pos = size == 2 && has[1] ? s[1] : has[0] ? s[0] : 0;
            int label;
            boolean literal = false;
            boolean positive = forest.weightsNonNegative();
            if (forest.weightedTargetCount() == 1) {
                label = positive ? (pos > 0.5 ? 1 : 0) : (pos > 0 ? 1 : 0);
                additional = !positive;
            } else {
                label = pos > 0 ? 1 : 0;
                literal = true;
            }
            if (size == 2) return new Classified(label, literal, transform(new double[] {s[0], s[1]}));
            double v = s[0];
            if (!additional) return new Classified(label, literal, new double[] {1 - v, v});
            if (post == PostTransform.LOGISTIC) return new Classified(label, literal, new double[] {logistic(-v), logistic(v)});
            return new Classified(label, literal, label == 1 ? new double[] {-v, v} : new double[] {v, -v});
        }

        /** The post transform over one row of scores. */
        public double[] transform(double[] s) {
            double[] y = s.clone();
            switch (post) {
                case NONE -> { }
                case LOGISTIC -> { for (int j = 0; j < y.length; j++) y[j] = logistic(y[j]); }
                case SOFTMAX, SOFTMAX_ZERO -> {
                    double max = Double.NEGATIVE_INFINITY;
                    for (double v : y) max = Math.max(max, v);
                    double sum = 0;
                    for (int j = 0; j < y.length; j++) {
                        boolean zero = post == PostTransform.SOFTMAX_ZERO && Math.abs(y[j]) <= 1e-7;
                        y[j] = zero ? y[j] * Math.exp(-max) : Math.exp(y[j] - max);
                        if (!zero) sum += y[j];
                    }
                    for (int j = 0; j < y.length; j++) y[j] /= sum;
                }
            }
            return y;
        }

        public static double logistic(double v) {
            double e = 1 / (1 + Math.exp(-Math.abs(v)));
            return v < 0 ? 1 - e : e;
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>(List.of(forest.toString()));
            if (classes.isPresent()) parts.add("classes=" + classes.get());
            else parts.add("targets=" + targets);
            if (aggregate != Aggregate.SUM) parts.add("aggregate=" + aggregate);
            if (post != PostTransform.NONE) parts.add("post=" + post);
            if (!baseValues.isEmpty()) parts.add("base=" + baseValues);
            return opName() + "[" + String.join(", ", parts) + "]";
        }
    }
}
