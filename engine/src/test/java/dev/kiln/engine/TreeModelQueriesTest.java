package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.MlOp;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.TableBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tree ensembles (and linear regressions) in SQL: {@code PREDICT(model, a, b, c, d)} feeds four number columns to a model
 * of one input [N, 4] (the columns assembled into the feature vector), and a small ensemble
 * becomes nested CASE expressions - no Infer in the plan. Every row's prediction equals the
 * model's run (the same query with inlining off), labels exactly, regressions within float32's
 * precision, on rows that sit at the trees' thresholds, on the float32 rounding boundaries next
 * to them, and on NULLs and NaNs.
 */
class TreeModelQueriesTest {
    static final int FEATURES = 4;

    /** A random forest: trees of every node mode, each leaf weighing each of {@code weighed} once. */
    static final class Builder {
        final List<MlOp.NodeMode> modes = new ArrayList<>();
        final List<Integer> features = new ArrayList<>(), trueChild = new ArrayList<>(), falseChild = new ArrayList<>(), roots = new ArrayList<>();
        final List<Double> thresholds = new ArrayList<>();
        final List<Boolean> missing = new ArrayList<>();
        final List<Integer> leafStart = new ArrayList<>(), leafCount = new ArrayList<>(), wTarget = new ArrayList<>();
        final List<Double> wValue = new ArrayList<>();

        int grow(Random r, int depth, int maxDepth, int[] weighed, boolean nonNegative) {
            int at = modes.size();
            modes.add(MlOp.NodeMode.LEAF);
            features.add(0);
            thresholds.add(0.0);
            missing.add(false);
            trueChild.add(-1);
            falseChild.add(-1);
            leafStart.add(wTarget.size());
            leafCount.add(0);
            if (depth >= maxDepth || depth > 0 && r.nextInt(5) == 0) {
                for (int t : weighed) {
                    wTarget.add(t);
                    wValue.add(nonNegative ? r.nextInt(100) / 300.0 : Math.round(r.nextGaussian() * 64) / 64.0);
                }
                leafCount.set(at, weighed.length);
                return at;
            }
            MlOp.NodeMode[] branchModes = {MlOp.NodeMode.BRANCH_LEQ, MlOp.NodeMode.BRANCH_LT, MlOp.NodeMode.BRANCH_GTE, MlOp.NodeMode.BRANCH_GT,
                    MlOp.NodeMode.BRANCH_EQ, MlOp.NodeMode.BRANCH_NEQ};
            modes.set(at, branchModes[r.nextInt(branchModes.length)]);
            features.set(at, r.nextInt(FEATURES));
            // float32 thresholds (as an ONNX file holds them), a few of them not exactly decimal
            thresholds.set(at, (double) (r.nextBoolean() ? Math.round(r.nextGaussian() * 8) / 8f : (float) (r.nextGaussian() * 2)));
            missing.set(at, r.nextBoolean());
            trueChild.set(at, grow(r, depth + 1, maxDepth, weighed, nonNegative));
            falseChild.set(at, grow(r, depth + 1, maxDepth, weighed, nonNegative));
            return at;
        }

        static MlOp.Forest random(Random r, int trees, int[] weighed, boolean nonNegative, Builder b) {
            for (int t = 0; t < trees; t++) b.roots.add(b.grow(r, 0, 2 + r.nextInt(3), weighed, nonNegative));
            return new MlOp.Forest(ints(b.roots), b.modes.toArray(MlOp.NodeMode[]::new), ints(b.features), doubles(b.thresholds), ints(b.trueChild),
                    ints(b.falseChild), bools(b.missing), ints(b.leafStart), ints(b.leafCount), ints(b.wTarget), doubles(b.wValue));
        }
    }

    static int[] ints(List<Integer> l) { return l.stream().mapToInt(Integer::intValue).toArray(); }
    static double[] doubles(List<Double> l) { return l.stream().mapToDouble(Double::doubleValue).toArray(); }
    static boolean[] bools(List<Boolean> l) {
        boolean[] b = new boolean[l.size()];
        for (int i = 0; i < b.length; i++) b[i] = l.get(i);
        return b;
    }

    /** A graph of one input x [N, 4] and the ensemble; outputs as the op names them. */
    static TensorGraph model(MlOp.TreeEnsemble e) {
        TensorShape rows = TensorShape.of(Dim.symbol("N"), Dim.of(FEATURES));
        List<TensorValue> outs = e.classes().isPresent()
                ? List.of(new TensorValue("label", new TensorType(e.classes().get().element(), TensorShape.of(Dim.symbol("N")))),
                        new TensorValue("probabilities", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(e.targets())))))
                : List.of(new TensorValue("y", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(1)))));
        return new TensorGraph("trees", List.of(new TensorValue("x", new TensorType(ElementType.FLOAT32, rows))), outs,
                List.of(new TensorNode("ensemble", e, List.of(Optional.of("x")), outs.stream().map(TensorValue::name).toList())), Map.of());
    }

    /**
     * Feature values: thresholds themselves, the doubles just around them, the midpoints to the
     * neighbouring float32 values (where rounding decides the branch) and just around those, plus
     * ordinary values, NaNs and NULLs.
     */
    static Double feature(Random r, List<Double> thresholds, long id) {
        if (id % 23 == 0) return null;
        int pick = r.nextInt(12);
        if (pick == 0) return Double.NaN;
        if (pick < 4 || thresholds.isEmpty()) return Math.round(r.nextGaussian() * 16) / 16.0;
        float t = (float) (double) thresholds.get(r.nextInt(thresholds.size()));
        double up = ((double) t + (double) Math.nextUp(t)) / 2, down = ((double) t + (double) Math.nextDown(t)) / 2;
        double[] near = {t, Math.nextUp((double) t), Math.nextDown((double) t), up, Math.nextUp(up), Math.nextDown(up), down, Math.nextUp(down), Math.nextDown(down)};
        return near[r.nextInt(near.length)];
    }

    /** The query's rows (by id) with the model inlined and run as a model; each plan checked. */
    static Map<Boolean, List<Object[]>> bothWays(TensorGraph model, List<Double> thresholds, int n, long seed, String sql) {
        Map<Boolean, List<Object[]>> out = new HashMap<>();
        Schema s = Schema.of(new Field("id", DataType.BIGINT, false), new Field("a", DataType.DOUBLE, true), new Field("b", DataType.DOUBLE, true),
                new Field("c", DataType.DOUBLE, true), new Field("d", DataType.DOUBLE, true));
        for (boolean inline : List.of(true, false)) {
            KilnConfig config = inline ? KilnConfig.defaults() : KilnConfig.defaults().withDisabledRules(List.of("inline-small-models"));
            try (Kiln kiln = Kiln.open(config); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
                TableBuilder tb = new TableBuilder("t", s, mem);
                Random r = new Random(seed);
                for (long id = 0; id < n; id++) tb.appendRow(id, feature(r, thresholds, id), feature(r, thresholds, id + 1), feature(r, thresholds, id + 2), feature(r, thresholds, id + 3));
                kiln.registerTable(tb.build());
                kiln.registerModel("m", model);
                String plan = kiln.explain(sql).optimizedPlan();
                assertEquals(!inline, plan.contains("Infer"), plan);
                try (QueryResult q = kiln.sql(sql + " ORDER BY id")) {
                    out.put(inline, q.rows());
                }
            }
        }
        assertEquals(n, out.get(true).size());
        assertEquals(n, out.get(false).size());
        return out;
    }

    @Test
    void regressionForestsBecomeCaseExpressions() {
        for (int seed = 0; seed < 12; seed++) {
            Random r = new Random(seed);
            Builder b = new Builder();
            MlOp.Forest f = Builder.random(r, 1 + r.nextInt(6), new int[] {0}, false, b);
            MlOp.Aggregate agg = seed % 2 == 0 ? MlOp.Aggregate.SUM : MlOp.Aggregate.AVERAGE;
            List<Double> base = seed % 3 == 0 ? List.of(0.25) : List.of();
            var e = new MlOp.TreeEnsemble(f, 1, agg, base, MlOp.PostTransform.NONE, Optional.empty());
            var rows = bothWays(model(e), b.thresholds, 400, seed, "SELECT id, PREDICT(m, a, b, c, d) AS y FROM t");
            for (int i = 0; i < 400; i++) {
                Object want = rows.get(false).get(i)[1], got = rows.get(true).get(i)[1];
                String at = "seed " + seed + " row " + i + " " + java.util.Arrays.toString(rows.get(true).get(i));
                if (want == null || got == null) assertEquals(want, got, at);
                else assertEquals((Double) want, (Double) got, 1e-6 * Math.max(1, Math.abs((Double) want)), at);
            }
        }
    }

    @Test
    void classifierLabelsBecomeCaseExpressions() {
        for (int seed = 0; seed < 12; seed++) {
            Random r = new Random(100 + seed);
            Builder b = new Builder();
            int form = seed % 4;
            // 0, 1: three or four classes (int and string labels); 2: a binary forest weighing class 1 (non-negative); 3: both classes weighed
            int classes = form < 2 ? 3 + seed % 2 : 2;
            int[] weighed = form == 2 ? new int[] {1} : java.util.stream.IntStream.range(0, classes).toArray();
            MlOp.Forest f = Builder.random(r, 1 + r.nextInt(5), weighed, form == 2 || seed % 3 == 0, b);
            MlOp.ClassLabels labels = form == 1 ? MlOp.ClassLabels.of(java.util.stream.IntStream.range(0, classes).mapToObj(c -> "c" + c).toList())
                    : MlOp.ClassLabels.of(java.util.stream.LongStream.range(0, classes).map(c -> 7 * c + 1).toArray());
            List<Double> base = form == 0 ? java.util.stream.IntStream.range(0, classes).mapToObj(c -> r.nextGaussian()).toList() : List.of();
            var e = new MlOp.TreeEnsemble(f, classes, MlOp.Aggregate.SUM, base, MlOp.PostTransform.SOFTMAX, Optional.of(labels));
            var rows = bothWays(model(e), b.thresholds, 400, seed, "SELECT id, PREDICT(m, a, b, c, d) AS label FROM t");
            java.util.Set<Object> seen = new java.util.HashSet<>();
            for (int i = 0; i < 400; i++) {
                Object want = rows.get(false).get(i)[1];
                assertEquals(want, rows.get(true).get(i)[1], "seed " + seed + " row " + i + " " + java.util.Arrays.toString(rows.get(true).get(i)));
                seen.add(want);
            }
            assertTrue(seen.size() > 1, "seed " + seed + ": every row got " + seen);
        }
    }

    /**
     * A linear regression as the importer lowers ai.onnx.ml's LinearRegressor (x [N, 4] · W [4, 1]
     * + b): SQL arithmetic over the four columns, within float32's precision of the model's run.
     */
    @Test
    void linearRegressorsBecomeArithmetic() {
        for (int seed = 0; seed < 6; seed++) {
            Random r = new Random(200 + seed);
            float[] w = new float[FEATURES];
            for (int i = 0; i < FEATURES; i++) w[i] = (float) r.nextGaussian();
            List<TensorNode> nodes = new ArrayList<>(List.of(new TensorNode("regressor", new dev.kiln.ir.tensor.NeuralOp.MatMul(),
                    List.of(Optional.of("x"), Optional.of("w")), List.of(seed % 2 == 0 ? "xw" : "y"))));
            Map<String, dev.kiln.ir.tensor.Tensor> inits = new HashMap<>(Map.of("w", dev.kiln.ir.tensor.Tensor.floats(new long[] {FEATURES, 1}, w)));
            if (seed % 2 == 0) {
                inits.put("b", dev.kiln.ir.tensor.Tensor.floats(new long[] {1}, (float) r.nextGaussian()));
                nodes.add(new TensorNode("regressor/Add", new dev.kiln.ir.tensor.ElementwiseOp.Binary(dev.kiln.ir.tensor.ElementwiseOp.BinaryFn.ADD),
                        List.of(Optional.of("xw"), Optional.of("b")), List.of("y")));
            }
            TensorGraph g = new TensorGraph("linear", List.of(new TensorValue("x", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(FEATURES))))),
                    List.of(new TensorValue("y", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(1))))), nodes, inits);
            var rows = bothWays(g, List.of(), 300, seed, "SELECT id, PREDICT(m, a, b, c, d) AS y FROM t");
            for (int i = 0; i < 300; i++) {
                Object want = rows.get(false).get(i)[1], got = rows.get(true).get(i)[1];
                String at = "seed " + seed + " row " + i + " " + java.util.Arrays.toString(rows.get(true).get(i));
                if (want == null || got == null || ((Double) want).isNaN()) assertEquals(want, got, at);
                else assertEquals((Double) want, (Double) got, 1e-5 * Math.max(1, Math.abs((Double) want)), at);
            }
        }
    }

    /**
     * A linear classifier as the ONNX import lowers LinearClassifier - scores X · W + b, the
     * label gathered at their ArgMax (for one score: at the ArgMax of [-S, S]), a softmax of the
     * scores as a second output no query reads - becomes a CASE over the scores' comparisons: the
     * same labels as the model's run, NULL for a row with a NULL feature.
     */
    @Test
    void linearClassifiersBecomeCaseExpressions() {
        for (int seed = 0; seed < 6; seed++) {
            Random r = new Random(300 + seed);
            int classes = seed % 3 == 0 ? 1 : 2 + seed % 3;
            float[] w = new float[FEATURES * classes];
            float[] b = new float[classes];
            for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            boolean strings = seed % 2 == 1;
            int labelCount = Math.max(2, classes);
            dev.kiln.ir.tensor.Tensor labels = strings
                    ? dev.kiln.ir.tensor.Tensor.strings(new long[] {labelCount}, java.util.stream.IntStream.range(0, labelCount).mapToObj(c -> "class " + c).toArray(String[]::new))
                    : dev.kiln.ir.tensor.Tensor.int64(new long[] {labelCount}, java.util.stream.LongStream.range(0, labelCount).map(c -> 5 * c - 3).toArray());
            Map<String, dev.kiln.ir.tensor.Tensor> inits = new HashMap<>(Map.of("w", dev.kiln.ir.tensor.Tensor.floats(new long[] {FEATURES, classes}, w),
                    "b", dev.kiln.ir.tensor.Tensor.floats(new long[] {classes}, b), "labels", labels));
            List<TensorNode> nodes = new ArrayList<>(List.of(
                    new TensorNode("scores", new dev.kiln.ir.tensor.NeuralOp.MatMul(), List.of(Optional.of("x"), Optional.of("w")), List.of("xw")),
                    new TensorNode("scores/Add", new dev.kiln.ir.tensor.ElementwiseOp.Binary(dev.kiln.ir.tensor.ElementwiseOp.BinaryFn.ADD),
                            List.of(Optional.of("xw"), Optional.of("b")), List.of("s"))));
            String pick = "s";
            if (classes == 1) {
                nodes.add(new TensorNode("neg", new dev.kiln.ir.tensor.ElementwiseOp.Unary(dev.kiln.ir.tensor.ElementwiseOp.UnaryFn.NEG), List.of(Optional.of("s")), List.of("ns")));
                nodes.add(new TensorNode("sides", new dev.kiln.ir.tensor.LayoutOp.Concat(1), List.of(Optional.of("ns"), Optional.of("s")), List.of("sides")));
                pick = "sides";
            }
            nodes.add(new TensorNode("class", new dev.kiln.ir.tensor.ReductionOp.ArgMax(1, false, false), List.of(Optional.of(pick)), List.of("k")));
            nodes.add(new TensorNode("label", new dev.kiln.ir.tensor.LayoutOp.Gather(0), List.of(Optional.of("labels"), Optional.of("k")), List.of("label")));
            nodes.add(new TensorNode("probabilities", new dev.kiln.ir.tensor.NeuralOp.Softmax(-1), List.of(Optional.of("s")), List.of("p")));
            TensorGraph g = new TensorGraph("linear_classifier", List.of(new TensorValue("x", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(FEATURES))))),
                    List.of(new TensorValue("label", new TensorType(strings ? ElementType.STRING : ElementType.INT64, TensorShape.of(Dim.symbol("N")))),
                            new TensorValue("p", new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("N"), Dim.of(classes))))), nodes, inits);
            var rows = bothWays(g, List.of(), 300, seed, "SELECT id, PREDICT(m, a, b, c, d) AS label FROM t");
            java.util.Set<Object> seen = new java.util.HashSet<>();
            for (int i = 0; i < 300; i++) {
                Object want = rows.get(false).get(i)[1], got = rows.get(true).get(i)[1];
                assertEquals(want, got, "seed " + seed + " row " + i + " " + java.util.Arrays.toString(rows.get(true).get(i)));
                seen.add(got);
            }
            assertTrue(seen.contains(null) && seen.size() >= Math.min(3, labelCount), "seed " + seed + ": labels seen " + seen);
        }
    }
}
