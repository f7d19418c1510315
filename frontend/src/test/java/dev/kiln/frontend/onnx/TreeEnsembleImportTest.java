package dev.kiln.frontend.onnx;

import static dev.kiln.frontend.onnx.TinyModel.Attr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.tensor.MlOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tree ensembles (ai.onnx.ml TreeEnsembleRegressor / TreeEnsembleClassifier) built at random -
 * trees of every node mode, missing values tracked either way, sparse leaves, every aggregate and
 * post transform, integer and string labels, the binary forms of scikit-learn and of gradient
 * boosting - imported and interpreted, and compared with ONNX Runtime on the same file and rows:
 * labels exactly, scores within 1e-5. Rows hit thresholds exactly and hold NaNs.
 */
class TreeEnsembleImportTest {
    static final int FEATURES = 4;

    /** A random forest as ONNX node tuples, plus the leaves' weights. */
    static final class Forest {
        final List<Long> treeIds = new ArrayList<>(), nodeIds = new ArrayList<>(), features = new ArrayList<>(), trueIds = new ArrayList<>(),
                falseIds = new ArrayList<>(), missing = new ArrayList<>();
        final List<String> modes = new ArrayList<>();
        final List<Float> values = new ArrayList<>();
        final List<Long> wTree = new ArrayList<>(), wNode = new ArrayList<>(), wId = new ArrayList<>();
        final List<Float> weights = new ArrayList<>();
        /** thresholds used, so that rows can hit them */
        final List<Float> thresholds = new ArrayList<>();

        /**
         * @param targets weights go to targets [0, targets), or to {@code only} when it is not negative
         * @param sparse leaves weigh a random subset of the targets
         * @param nonNegative weights in [0, 1) rather than around 0
         */
        static Forest random(Random r, int trees, int targets, int only, boolean sparse, boolean nonNegative, boolean mixedModes) {
            Forest f = new Forest();
            String[] modes = {"BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ"};
            for (int t = 0; t < trees; t++) {
                // node ids are given out of order: the importer lays trees out itself
                int[] next = {0};
                f.grow(r, t, 0, next, 1 + r.nextInt(4), targets, only, sparse, nonNegative, mixedModes ? modes : new String[] {"BRANCH_LEQ"});
            }
            return f;
        }

        private long grow(Random r, int tree, int depth, int[] next, int maxDepth, int targets, int only, boolean sparse, boolean nonNegative, String[] modes) {
            long id = next[0]++;
            int at = nodeIds.size();
            treeIds.add((long) tree);
            nodeIds.add(id);
            if (depth >= maxDepth || depth > 0 && r.nextInt(4) == 0) {
                features.add(0L);
                this.modes.add("LEAF");
                values.add(0f);
                trueIds.add(0L);
                falseIds.add(0L);
                missing.add(0L);
                for (int k = 0; k < targets; k++) {
                    if (only >= 0 && k != only || sparse && r.nextInt(3) == 0) continue;
                    wTree.add((long) tree);
                    wNode.add(id);
                    wId.add((long) k);
                    weights.add(nonNegative ? r.nextFloat() / 3 : (float) r.nextGaussian());
                }
                return id;
            }
            float threshold = Math.round(r.nextGaussian() * 4) / 4f;
            thresholds.add(threshold);
            features.add((long) r.nextInt(FEATURES));
            this.modes.add(modes[r.nextInt(modes.length)]);
            values.add(threshold);
            missing.add((long) r.nextInt(2));
            trueIds.add(-1L);
            falseIds.add(-1L);
            long t = grow(r, tree, depth + 1, next, maxDepth, targets, only, sparse, nonNegative, modes);
            long fl = grow(r, tree, depth + 1, next, maxDepth, targets, only, sparse, nonNegative, modes);
            trueIds.set(at, t);
            falseIds.set(at, fl);
            return id;
        }

        List<Attr> attrs(String prefix) {
            return new ArrayList<>(List.of(Attr.ints("nodes_treeids", longs(treeIds)), Attr.ints("nodes_nodeids", longs(nodeIds)),
                    Attr.ints("nodes_featureids", longs(features)), Attr.strings("nodes_modes", modes.toArray(String[]::new)),
                    Attr.floats("nodes_values", floats(values)), Attr.ints("nodes_truenodeids", longs(trueIds)),
                    Attr.ints("nodes_falsenodeids", longs(falseIds)), Attr.ints("nodes_missing_value_tracks_true", longs(missing)),
                    Attr.ints(prefix + "treeids", longs(wTree)), Attr.ints(prefix + "nodeids", longs(wNode)), Attr.ints(prefix + "ids", longs(wId)),
                    Attr.floats(prefix + "weights", floats(weights))));
        }

        /** Rows of features near and at the thresholds, some NaN. */
        Tensor rows(Random r, int n) {
            float[] x = new float[n * FEATURES];
            for (int i = 0; i < x.length; i++) {
                int pick = r.nextInt(10);
                x[i] = pick == 0 ? Float.NaN : pick < 5 && !thresholds.isEmpty() ? thresholds.get(r.nextInt(thresholds.size())) : Math.round(r.nextGaussian() * 8) / 8f;
            }
            return Tensor.floats(new long[] {n, FEATURES}, x);
        }
    }

    static long[] longs(List<Long> l) {
        return l.stream().mapToLong(Long::longValue).toArray();
    }

    static float[] floats(List<Float> l) {
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) f[i] = l.get(i);
        return f;
    }

    static TinyModel regressor(Forest f, int targets, String aggregate, String post, float[] base) {
        List<Attr> a = f.attrs("target_");
        a.add(Attr.i("n_targets", targets));
        a.add(Attr.s("aggregate_function", aggregate));
        a.add(Attr.s("post_transform", post));
        if (base.length > 0) a.add(Attr.floats("base_values", base));
        return new TinyModel(17).mlOpset(3).batchInput("x", ElementType.FLOAT, "N", FEATURES)
                .node("ai.onnx.ml", "TreeEnsembleRegressor", List.of("x"), List.of("y"), a.toArray(Attr[]::new)).output("y", ElementType.FLOAT);
    }

    static TinyModel classifier(Forest f, Attr labels, String post, float[] base, boolean stringLabels) {
        List<Attr> a = f.attrs("class_");
        a.add(labels);
        a.add(Attr.s("post_transform", post));
        if (base.length > 0) a.add(Attr.floats("base_values", base));
        return new TinyModel(17).mlOpset(3).batchInput("x", ElementType.FLOAT, "N", FEATURES)
                .node("ai.onnx.ml", "TreeEnsembleClassifier", List.of("x"), List.of("label", "probabilities"), a.toArray(Attr[]::new))
                .output("label", stringLabels ? ElementType.STRING : ElementType.INT64).output("probabilities", ElementType.FLOAT);
    }

    /** Kiln's interpreter and ONNX Runtime on the same model and rows: every output equal (scores within 1e-5). */
    static TensorGraph agree(TinyModel m, Tensor x, String what, String... outputs) throws Exception {
        TensorGraph g = OnnxImporter.importModel(m.model());
        Map<String, Tensor> kiln = TensorInterpreter.run(g, Map.of("x", x));
        try (OrtRunner ort = new OrtRunner(m.bytes())) {
            for (String out : outputs) {
                Tensor expected = ort.run(Map.of("x", x), out);
                Tensor got = kiln.get(out);
                assertEquals(List.of(expected.shape().length, expected.size()), List.of(got.shape().length, got.size()), what + " " + out + " shape");
                for (int i = 0; i < expected.size(); i++) {
                    String at = what + ", output " + out + " element " + i + " (row " + (i / Math.max(1, expected.size() / (int) x.dim(0))) + ")";
                    switch (expected.type()) {
                        case STRING -> assertEquals(expected.getString(i), got.getString(i), at);
                        case INT64 -> assertEquals(expected.getLong(i), got.getLong(i), at);
                        default -> {
                            double e = expected.getDouble(i), k = got.getDouble(i);
                            assertTrue(Double.isNaN(e) ? Double.isNaN(k) : Math.abs(e - k) <= 1e-5 * Math.max(1, Math.abs(e)), at + ": ONNX Runtime " + e + ", Kiln " + k);
                        }
                    }
                }
            }
        }
        return g;
    }

    @Test
    void regressorsMatchOnnxRuntime() throws Exception {
        String[] aggregates = {"SUM", "AVERAGE", "MIN", "MAX"};
        String[] posts = {"NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO"};
        for (int seed = 0; seed < 48; seed++) {
            Random r = new Random(seed);
            int targets = seed % 3 == 0 ? 1 : 2 + r.nextInt(2);
            Forest f = Forest.random(r, 1 + r.nextInt(5), targets, -1, seed % 2 == 1, false, seed % 4 != 0);
            String aggregate = aggregates[seed / 2 % 4];
            String post = posts[r.nextInt(posts.length)];
            float[] base = new float[r.nextBoolean() ? 0 : targets];
            for (int j = 0; j < base.length; j++) base[j] = (float) r.nextGaussian();
            TensorGraph g = agree(regressor(f, targets, aggregate, post, base), f.rows(r, 96), "seed " + seed + " (" + targets + " targets, " + aggregate + ", " + post + ")", "y");
            assertTrue(g.nodes().getFirst().op() instanceof MlOp.TreeEnsemble, g.nodes().toString());
        }
    }

    @Test
    void multiClassClassifiersMatchOnnxRuntime() throws Exception {
        String[] posts = {"NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO"};
        for (int seed = 0; seed < 40; seed++) {
            Random r = new Random(100 + seed);
            int classes = 3 + r.nextInt(3);
            Forest f = Forest.random(r, 1 + r.nextInt(6), classes, -1, seed % 3 == 0, seed % 2 == 0, seed % 4 != 1);
            boolean strings = seed % 2 == 1;
            Attr labels = strings ? Attr.strings("classlabels_strings", java.util.stream.IntStream.range(0, classes).mapToObj(c -> "class" + c).toArray(String[]::new))
                    : Attr.ints("classlabels_int64s", java.util.stream.LongStream.range(0, classes).map(c -> 10 * c + 3).toArray());
            float[] base = new float[seed % 5 == 0 ? classes : 0];
            for (int j = 0; j < base.length; j++) base[j] = (float) r.nextGaussian();
            agree(classifier(f, labels, posts[seed % 4], base, strings), f.rows(r, 96), "seed " + seed + " (" + classes + " classes, " + posts[seed % 4] + ")",
                    "label", "probabilities");
        }
    }

    @Test
    void binaryClassifiersMatchOnnxRuntime() throws Exception {
        for (int seed = 0; seed < 40; seed++) {
            Random r = new Random(200 + seed);
            int form = seed % 4;
            // 0: scikit-learn's random forest (class 1's probability, non-negative), 1: gradient boosting (class 1's
            // margin, any sign, LOGISTIC), 2: the same without LOGISTIC, 3: both classes weighed, with base values or not
            boolean nonNegative = form == 0 || form == 3;
            Forest f = Forest.random(r, 1 + r.nextInt(5), 2, form == 3 ? -1 : 1, false, nonNegative, true);
            String post = form == 1 ? "LOGISTIC" : "NONE";
            float[] base = form == 3 && seed % 8 == 3 ? new float[] {(float) r.nextGaussian(), (float) r.nextGaussian()} : new float[0];
            boolean strings = seed % 3 == 0;
            Attr labels = strings ? Attr.strings("classlabels_strings", "no", "yes") : Attr.ints("classlabels_int64s", 0, 1);
            agree(classifier(f, labels, post, base, strings), f.rows(r, 96), "seed " + seed + " (form " + form + ")", "label", "probabilities");
        }
    }

    @Test
    void thresholdsAsDoubleTensorsKeepTheirPrecision() throws Exception {
        // one split at 0.1 (not a float): a row of float 0.1f (0.100000001...) is above it in double
        List<Attr> a = new ArrayList<>(List.of(Attr.ints("nodes_treeids", 0, 0, 0), Attr.ints("nodes_nodeids", 0, 1, 2), Attr.ints("nodes_featureids", 0, 0, 0),
                Attr.strings("nodes_modes", "BRANCH_LEQ", "LEAF", "LEAF"), Attr.doubles("nodes_values_as_tensor", 0.1, 0, 0),
                Attr.ints("nodes_truenodeids", 1, 0, 0), Attr.ints("nodes_falsenodeids", 2, 0, 0),
                Attr.ints("target_treeids", 0, 0), Attr.ints("target_nodeids", 1, 2), Attr.ints("target_ids", 0, 0), Attr.doubles("target_weights_as_tensor", -1, 1),
                Attr.i("n_targets", 1)));
        TinyModel m = new TinyModel(17).mlOpset(3).batchInput("x", ElementType.FLOAT, "N", 1)
                .node("ai.onnx.ml", "TreeEnsembleRegressor", List.of("x"), List.of("y"), a.toArray(Attr[]::new)).output("y", ElementType.FLOAT);
        Map<String, Tensor> y = TensorInterpreter.run(OnnxImporter.importModel(m.model()), Map.of("x", Tensor.floats(new long[] {3, 1}, 0.1f, 0.0999f, -2f)));
        assertEquals(List.of(1.0, -1.0, -1.0), List.of(y.get("y").getDouble(0), y.get("y").getDouble(1), y.get("y").getDouble(2)));
    }

    @Test
    void badEnsemblesFailAtImportNamingTheNode() {
        Random r = new Random(7);
        Forest f = Forest.random(r, 2, 1, -1, false, false, false);
        // a mode that does not exist
        Forest badMode = Forest.random(new Random(7), 2, 1, -1, false, false, false);
        badMode.modes.set(0, "BRANCH_ABOUT");
        assertFails(regressor(badMode, 1, "SUM", "NONE", new float[0]), "has mode 'BRANCH_ABOUT'");
        // a child that is not in the tree
        Forest badChild = Forest.random(new Random(7), 2, 1, -1, false, false, false);
        badChild.trueIds.set(0, 99L);
        assertFails(regressor(badChild, 1, "SUM", "NONE", new float[0]), "points to node 99, which the tree does not have");
        // a weight on a branch
        Forest onBranch = Forest.random(new Random(7), 2, 1, -1, false, false, false);
        onBranch.wNode.set(0, 0L);
        assertFails(regressor(onBranch, 1, "SUM", "NONE", new float[0]), "which is a branch, not a leaf");
        // a cycle: the root's false child points back to the root
        Forest cycle = Forest.random(new Random(7), 1, 1, -1, false, false, false);
        cycle.falseIds.set(0, cycle.nodeIds.get(0));
        assertFails(regressor(cycle, 1, "SUM", "NONE", new float[0]), "unreachable from its root");
        assertFails(regressor(f, 1, "SUM", "PROBIT", new float[0]), "post_transform 'PROBIT' is not supported");
        assertFails(regressor(f, 1, "MEDIAN", "NONE", new float[0]), "aggregate_function 'MEDIAN'");
        assertFails(regressor(f, 1, "SUM", "NONE", new float[] {1, 2, 3}), "3 base values for 1 targets");
        // two classes, one weighed, with base values: ONNX Runtime drops the trees' scores (see TreeEnsemble.classify)
        Forest binary = Forest.random(new Random(7), 2, 2, 1, false, true, false);
        assertFails(classifier(binary, Attr.ints("classlabels_int64s", 0, 1), "NONE", new float[] {0.2f, 0.4f}, false), "base values");
        // a target id past n_targets
        assertFails(regressor(f, 1, "SUM", "NONE", new float[0]).node("ai.onnx.ml", "TreeEnsembleRegressor", List.of("x"), List.of("z"),
                f.attrs("target_").toArray(Attr[]::new)), "n_targets must be given");
        // an op of the ml domain Kiln does not import
        TinyModel svm = new TinyModel(17).mlOpset(3).batchInput("x", ElementType.FLOAT, "N", FEATURES)
                .node("ai.onnx.ml", "SVMClassifier", List.of("x"), List.of("y")).output("y", ElementType.FLOAT);
        assertFails(svm, "SVMClassifier is not supported by Kiln; supported ops of ai.onnx.ml are LinearClassifier, LinearRegressor, TreeEnsembleClassifier, TreeEnsembleRegressor");
    }

    private static void assertFails(TinyModel m, String message) {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(m.model()));
        assertTrue(e.getMessage().contains(message) && e.getMessage().contains("node '"), e.getMessage());
    }
}
