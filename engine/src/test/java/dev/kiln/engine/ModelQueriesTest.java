package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.TableBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Models as SQL functions: PREDICT(model, column) becomes an Infer node in the plan; the rows'
 * results equal the model run on each row alone by the tensor interpreter; filters that do not
 * read the prediction run before it, and a prediction nobody selects is not computed.
 */
class ModelQueriesTest {
    /** softmax(x W + b): 4 features in, 3 class probabilities out, batch first. */
    static TensorGraph classifier(Random rnd) {
        float[] w = new float[12];
        float[] b = new float[3];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian();
        TensorShape batch4 = TensorShape.of(Dim.symbol("N"), Dim.of(4));
        TensorShape batch3 = TensorShape.of(Dim.symbol("N"), Dim.of(3));
        return new TensorGraph("classifier", List.of(new TensorValue("x", new TensorType(ElementType.FLOAT32, batch4))),
                List.of(new TensorValue("probs", new TensorType(ElementType.FLOAT32, batch3))),
                List.of(new TensorNode("fc", new NeuralOp.Gemm(1f, 1f, false, false), List.of(Optional.of("x"), Optional.of("w"), Optional.of("b")), List.of("logits")),
                        new TensorNode("softmax", new NeuralOp.Softmax(1), List.of(Optional.of("logits")), List.of("probs"))),
                Map.of("w", Tensor.floats(new long[] {4, 3}, w), "b", Tensor.floats(new long[] {3}, b)));
    }

    /** CREATE MODEL from an ONNX file (the ONNX conformance data's LeakyRelu node model) and PREDICT over a tensor column. */
    @Test
    void createModelFromOnnxAndPredict() {
        java.nio.file.Path file = java.nio.file.Path.of("/usr/share/libonnx-testdata/data/node/test_leakyrelu/model.onnx");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(file),
                "Debian's libonnx-testdata is not installed (./kiln test installs it): " + file);
        DataType cell = new DataType.TensorType(TensorType.of(ElementType.FLOAT32, 4, 5));
        Schema s = Schema.of(new Field("id", DataType.BIGINT, false), new Field("x", cell, false));
        Random rnd = new Random(9);
        try (Kiln kiln = Kiln.open(); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("t", s, mem);
            Map<Long, float[]> xs = new java.util.HashMap<>();
            for (long id = 0; id < 40; id++) {
                float[] x = new float[20];
                for (int i = 0; i < 20; i++) x[i] = (float) rnd.nextGaussian();
                xs.put(id, x);
                tb.appendRow(id, Tensor.floats(new long[] {4, 5}, x));
            }
            kiln.registerTable(tb.build());
            try (QueryResult r = kiln.sql("CREATE MODEL leaky FROM '" + file + "'")) {
                assertTrue(r.message().orElseThrow().startsWith("CREATE MODEL leaky (1 nodes; inputs [x float32[3,4,5]]"), r.message().orElseThrow());
            }
            KilnException e = assertThrows(KilnException.class, () -> kiln.sql("CREATE MODEL leaky FROM '" + file + "'"));
            assertEquals("model leaky already exists; use CREATE OR REPLACE MODEL, or DROP MODEL leaky first", e.getMessage());
            // the file fixes the batch at 3: rows go in threes, the last batch padded (40 = 13 * 3 + 1)
            try (QueryResult r = kiln.sql("SELECT id, PREDICT(leaky, x) FROM t")) {
                assertEquals(40, r.rows().size());
                for (Object[] row : r.rows()) {
                    Tensor y = (Tensor) row[1];
                    float[] x = xs.get((Long) row[0]);
                    for (int i = 0; i < 20; i++) assertEquals(x[i] >= 0 ? x[i] : 0.1f * x[i], (float) y.getDouble(i), 0f, "row " + row[0] + " element " + i);
                }
            }
            kiln.sql("DROP MODEL leaky").close();
            e = assertThrows(KilnException.class, () -> kiln.sql("SELECT PREDICT(leaky, x) FROM t"));
            assertEquals("no model leaky; register one with CREATE MODEL leaky FROM 'path/model.onnx'", e.getMessage());
        }
    }

    /**
     * A logistic regression over three number columns (Concat → Gemm → Sigmoid) is inlined as SQL
     * arithmetic: no Infer is left in the plan, the filter on the score runs in the pipeline, and
     * the scores equal the model's (float32 in the model, DOUBLE inline: within 1e-6) - checked
     * against the same query with the rule switched off, which runs the model.
     */
    @Test
    void aSmallLinearModelBecomesArithmetic() {
        TensorShape one = TensorShape.of(Dim.symbol("N"), Dim.of(1));
        List<TensorValue> inputs = List.of(new TensorValue("a", new TensorType(ElementType.FLOAT32, one)),
                new TensorValue("b", new TensorType(ElementType.FLOAT32, one)), new TensorValue("c", new TensorType(ElementType.FLOAT32, one)));
        TensorGraph lr = new TensorGraph("logistic", inputs, List.of(new TensorValue("p", new TensorType(ElementType.FLOAT32, one))),
                List.of(new TensorNode("cat", new dev.kiln.ir.tensor.LayoutOp.Concat(1), List.of(Optional.of("a"), Optional.of("b"), Optional.of("c")), List.of("x")),
                        new TensorNode("fc", new NeuralOp.Gemm(1f, 1f, false, false), List.of(Optional.of("x"), Optional.of("w"), Optional.of("bias")), List.of("z")),
                        new TensorNode("sig", new dev.kiln.ir.tensor.ElementwiseOp.Unary(dev.kiln.ir.tensor.ElementwiseOp.UnaryFn.SIGMOID), List.of(Optional.of("z")), List.of("p"))),
                Map.of("w", Tensor.floats(new long[] {3, 1}, 0.8f, -1.25f, 0.5f), "bias", Tensor.floats(new long[] {1}, -0.1f)));
        Schema s = Schema.of(new Field("id", DataType.BIGINT, false), new Field("a", DataType.DOUBLE, false), new Field("b", DataType.BIGINT, true),
                new Field("c", DataType.decimal(6, 2), false));
        String sql = "SELECT id, p FROM (SELECT id, PREDICT(lr, a, b, c) AS p FROM t) q WHERE p > 0.5";
        Map<Boolean, List<Object[]>> results = withAndWithoutInlining(lr, s, 300, 17, sql);
        List<Object[]> inl = results.get(true), run = results.get(false);
        assertTrue(inl.size() > 50, "rows: " + inl.size());
        assertEquals(run.size(), inl.size());
        for (int i = 0; i < inl.size(); i++) {
            assertEquals(run.get(i)[0], inl.get(i)[0]);
            assertEquals((Double) run.get(i)[1], (Double) inl.get(i)[1], 1e-6, "row " + inl.get(i)[0]);
        }
        // Relu instead of Sigmoid, every row selected: a NULL argument gives a NULL score both ways
        TensorGraph relu = new TensorGraph("relu", inputs, lr.outputs(),
                List.of(lr.nodes().get(0), lr.nodes().get(1), new TensorNode("act", new dev.kiln.ir.tensor.ElementwiseOp.Unary(dev.kiln.ir.tensor.ElementwiseOp.UnaryFn.RELU),
                        List.of(Optional.of("z")), List.of("p"))), lr.initializers());
        Map<Boolean, List<Object[]>> all = withAndWithoutInlining(relu, s, 100, 7, "SELECT id, PREDICT(lr, a, b, c) AS p FROM t");
        for (int i = 0; i < 100; i++) {
            Object want = all.get(false).get(i)[1], got = all.get(true).get(i)[1];
            if (i % 7 == 0) {
                assertEquals(null, want, "row " + i);
                assertEquals(null, got, "row " + i);
            } else {
                assertEquals((Double) want, (Double) got, 1e-6, "row " + i);
            }
        }
    }

    /**
     * The query over {@code n} rows (b NULL every {@code nullEvery}th) with model {@code lr}, inlined
     * (true) and run as a model (false); each plan checked to be the one claimed. Rows by id.
     */
    private static Map<Boolean, List<Object[]>> withAndWithoutInlining(TensorGraph model, Schema s, int n, int nullEvery, String sql) {
        Map<Boolean, List<Object[]>> results = new java.util.HashMap<>();
        for (boolean inline : List.of(true, false)) {
            KilnConfig config = inline ? KilnConfig.defaults() : KilnConfig.defaults().withDisabledRules(List.of("inline-small-models"));
            try (Kiln kiln = Kiln.open(config); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
                TableBuilder tb = new TableBuilder("t", s, mem);
                Random r = new Random(4);
                for (long id = 0; id < n; id++) {
                    tb.appendRow(id, r.nextGaussian(), id % nullEvery == 0 ? null : (long) r.nextInt(5) - 2, java.math.BigDecimal.valueOf(r.nextInt(2000) - 1000, 2));
                }
                kiln.registerTable(tb.build());
                kiln.registerModel("lr", model);
                String plan = kiln.explain(sql).optimizedPlan();
                assertEquals(!inline, plan.contains("Infer"), plan);
                try (QueryResult q = kiln.sql(sql + " ORDER BY id")) {
                    results.put(inline, q.rows());
                }
            }
        }
        return results;
    }

    /** The same PREDICT query on a stream: inference is linear (each row alone), so the stream's sink holds the batch answer. */
    @Test
    void predictOnAStream(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Random rnd = new Random(8);
        TensorGraph model = classifier(rnd);
        DataType features = new DataType.TensorType(TensorType.of(ElementType.FLOAT32, 4));
        Schema s = Schema.of(new Field("id", DataType.BIGINT, false), new Field("f", features, false));
        List<Object[]> rows = new java.util.ArrayList<>();
        for (long id = 0; id < 90; id++) {
            float[] x = new float[4];
            for (int i = 0; i < 4; i++) x[i] = (float) rnd.nextGaussian();
            rows.add(new Object[] {id, Tensor.floats(new long[] {4}, x)});
        }
        String sql = "SELECT id, PREDICT(clf, f) AS p FROM items WHERE id % 3 <> 0";
        List<Object[]> want;
        try (Kiln batch = Kiln.open(); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("items", s, mem);
            for (Object[] r : rows) tb.appendRow(r);
            batch.registerTable(tb.build());
            batch.registerModel("clf", model);
            try (QueryResult r = batch.sql(sql)) {
                want = r.rows();
            }
        }
        try (Kiln kiln = Kiln.open()) {
            var src = new dev.kiln.runtime.stream.MemoryStreamSource("items", s);
            kiln.readStream().source(src).load("items");
            kiln.registerModel("clf", model);
            var sink = new dev.kiln.runtime.stream.MemorySink("out");
            for (int b = 0; b < 3; b++) {
                src.add(rows.subList(b * 30, b * 30 + 30));
                var q = kiln.writeStream(sql).outputMode(dev.kiln.runtime.stream.OutputMode.APPEND)
                        .trigger(dev.kiln.engine.stream.Trigger.availableNow()).checkpointLocation(dir).to(sink).start();
                q.awaitTermination();
                q.close();
            }
            java.util.function.Function<List<Object[]>, List<String>> text = l -> l.stream().map(java.util.Arrays::deepToString).sorted().toList();
            assertEquals(text.apply(want), text.apply(sink.rows()));
        }
    }

    @Test
    void predictInSqlEqualsTheModelRowByRow() {
        Random rnd = new Random(5);
        TensorGraph model = classifier(rnd);
        DataType features = new DataType.TensorType(TensorType.of(ElementType.FLOAT32, 4));
        Schema s = Schema.of(new Field("id", DataType.BIGINT, false), new Field("f", features, true));
        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withThreads(2)); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("items", s, mem);
            Map<Long, Tensor> rows = new java.util.HashMap<>();
            // 200 rows reach the model: on two threads they run as two ranges side by side, a runner per worker lane
            for (long id = 0; id < 400; id++) {
                float[] x = new float[4];
                for (int i = 0; i < 4; i++) x[i] = (float) rnd.nextGaussian();
                Tensor t = id % 10 == 3 ? null : Tensor.floats(new long[] {4}, x);
                rows.put(id, t);
                tb.appendRow(id, t);
            }
            kiln.registerTable(tb.build());
            kiln.registerModel("clf", model);
            String sql = "SELECT id, PREDICT(clf, f) AS p FROM items WHERE id % 2 = 0";
            String plan = kiln.explain(sql).render();
            // the filter on id runs before the model
            assertTrue(plan.matches("(?s).*Infer model=clf#\\d+ \\(2 nodes\\) args=\\[f\\] outputs=\\[\\$predict0 := probs\\]\\n\\s+Filter.*"), plan);
            try (QueryResult r = kiln.sql(sql)) {
                assertEquals(200, r.rows().size());
                for (Object[] row : r.rows()) {
                    Tensor x = rows.get((Long) row[0]);
                    if (x == null) {
                        assertEquals(null, row[1], "NULL features, NULL prediction");
                        continue;
                    }
                    Tensor want = TensorInterpreter.run(model, Map.of("x", x.reshape(new long[] {1, 4}))).get("probs").reshape(new long[] {3});
                    // compiled kernels sum in another order than the interpreter: equal within float32 rounding
                    Tensor got = (Tensor) row[1];
                    assertEquals(java.util.Arrays.toString(want.shape()), java.util.Arrays.toString(got.shape()));
                    for (int i = 0; i < 3; i++) assertEquals(want.getDouble(i), got.getDouble(i), 1e-6, "row " + row[0] + " class " + i);
                }
            }
            // EXPLAIN CODEGEN shows the model's optimized graph (Gemm and Softmax fused or not) and its compiled program
            String codegen = kiln.explainCodegen(sql);
            assertTrue(codegen.contains("// ---- model clf#") && codegen.contains("// tensor program classifier: "), codegen);
            // a prediction that is not selected is not computed
            assertFalse(kiln.explain("SELECT id FROM (SELECT id, PREDICT(clf, f) AS p FROM items) t").render().contains("Infer"));
            KilnException e = assertThrows(KilnException.class, () -> kiln.sql("SELECT PREDICT(nope, f) FROM items"));
            assertEquals("no model nope; models: [clf]", e.getMessage());
            e = assertThrows(KilnException.class, () -> kiln.sql("SELECT PREDICT(clf, id) FROM items"));
            assertTrue(e.getMessage().contains("model clf input x takes float32[4] per row, but column id is BIGINT"), e.getMessage());
        }
    }

    /** x W + b: [N, 4] → [N, 4], a model whose output feeds {@link #classifier}. */
    static TensorGraph hidden(Random rnd) {
        float[] w = new float[16];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        return hidden(w, Dim.symbol("N"));
    }

    /** The same with weights {@code w} and batch dimension {@code batch} (a file may fix it). */
    static TensorGraph hidden(float[] w, Dim batch) {
        TensorShape batch4 = TensorShape.of(batch, Dim.of(4));
        return new TensorGraph("hidden", List.of(new TensorValue("x", new TensorType(ElementType.FLOAT32, batch4))),
                List.of(new TensorValue("h", new TensorType(ElementType.FLOAT32, batch4))),
                List.of(new TensorNode("fc", new NeuralOp.Gemm(1f, 1f, false, false), List.of(Optional.of("x"), Optional.of("w")), List.of("h"))),
                Map.of("w", Tensor.floats(new long[] {4, 4}, w)));
    }

    /**
     * One model over another's output, the intermediate not selected: one Infer with the first
     * model as its prelude, whose outputs go straight into the second model's batches. NULL rows
     * in the middle of a batch, one and two threads (two: ranges side by side on worker lanes):
     * every row equals the two models run on it alone.
     */
    @Test
    void chainedModelsRunAsOneInferWithAPrelude() {
        Random rnd = new Random(12);
        TensorGraph first = hidden(rnd), second = classifier(rnd);
        DataType features = new DataType.TensorType(TensorType.of(ElementType.FLOAT32, 4));
        Schema s = Schema.of(new Field("id", DataType.BIGINT, false), new Field("f", features, true));
        for (int threads : new int[] {1, 2}) {
            try (Kiln kiln = Kiln.open(KilnConfig.defaults().withThreads(threads)); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
                TableBuilder tb = new TableBuilder("items", s, mem);
                Map<Long, Tensor> rows = new java.util.HashMap<>();
                for (long id = 0; id < 300; id++) {
                    float[] x = new float[4];
                    for (int i = 0; i < 4; i++) x[i] = (float) rnd.nextGaussian();
                    Tensor t = id % 11 == 5 || id % 29 == 0 ? null : Tensor.floats(new long[] {4}, x);
                    rows.put(id, t);
                    tb.appendRow(id, t);
                }
                kiln.registerTable(tb.build());
                kiln.registerModel("hid", first);
                kiln.registerModel("clf", second);
                String sql = "SELECT id, PREDICT(clf, h) AS p FROM (SELECT id, PREDICT(hid, f) AS h FROM items) t";
                String plan = kiln.explain(sql).render();
                assertTrue(plan.matches("(?s).*Infer model=clf#\\d+ \\(2 nodes\\) prelude=hid#\\d+ \\(1 nodes\\) → h args=\\[f\\].*"), plan);
                assertTrue(plan.contains("after prelude hid#"), plan);
                try (QueryResult r = kiln.sql(sql)) {
                    assertEquals(300, r.rows().size());
                    for (Object[] row : r.rows()) {
                        Tensor x = rows.get((Long) row[0]);
                        if (x == null) {
                            assertEquals(null, row[1], "NULL features, NULL prediction, row " + row[0]);
                            continue;
                        }
                        Tensor h = TensorInterpreter.run(first, Map.of("x", x.reshape(new long[] {1, 4}))).get("h");
                        Tensor want = TensorInterpreter.run(second, Map.of("x", h)).get("probs");
                        Tensor got = (Tensor) row[1];
                        for (int i = 0; i < 3; i++) assertEquals(want.getDouble(i), got.getDouble(i), 1e-5, threads + " thread(s), row " + row[0] + " class " + i);
                    }
                }
                if (threads == 1) {
                    // a prelude whose file fixes its batch at 3: rows go through it three at a time, the last call padded
                    float[] w = new float[16];
                    for (int i = 0; i < 16; i++) w[i] = (float) first.initializers().get("w").getDouble(i);
                    kiln.registerModel("hid3", hidden(w, Dim.of(3)));
                    try (QueryResult fixed = kiln.sql("SELECT id, PREDICT(clf, h) AS p FROM (SELECT id, PREDICT(hid3, f) AS h FROM items) t");
                         QueryResult free = kiln.sql(sql)) {
                        assertTrue(kiln.explain("SELECT id, PREDICT(clf, h) AS p FROM (SELECT id, PREDICT(hid3, f) AS h FROM items) t").render().contains("prelude=hid3"));
                        assertEquals(free.rows().size(), fixed.rows().size());
                        for (int i = 0; i < free.rows().size(); i++) {
                            assertEquals(free.rows().get(i)[0], fixed.rows().get(i)[0]);
                            Tensor a = (Tensor) free.rows().get(i)[1], b = (Tensor) fixed.rows().get(i)[1];
                            if (a == null || b == null) {
                                assertEquals(a, b, "row " + free.rows().get(i)[0]);
                                continue;
                            }
                            for (int k = 0; k < 3; k++) assertEquals(a.getDouble(k), b.getDouble(k), 1e-6, "row " + free.rows().get(i)[0]);
                        }
                    }
                }
                // the intermediate selected: two Infers, both columns right
                String both = "SELECT id, h, PREDICT(clf, h) AS p FROM (SELECT id, PREDICT(hid, f) AS h FROM items) t WHERE id = 7";
                assertTrue(!kiln.explain(both).render().contains("prelude="), kiln.explain(both).render());
                try (QueryResult r = kiln.sql(both)) {
                    Tensor h = TensorInterpreter.run(first, Map.of("x", rows.get(7L).reshape(new long[] {1, 4}))).get("h");
                    Tensor want = TensorInterpreter.run(second, Map.of("x", h)).get("probs");
                    Object[] row = r.rows().getFirst();
                    for (int i = 0; i < 4; i++) assertEquals(h.getDouble(i), ((Tensor) row[1]).getDouble(i), 1e-5);
                    for (int i = 0; i < 3; i++) assertEquals(want.getDouble(i), ((Tensor) row[2]).getDouble(i), 1e-5);
                }
            }
        }
    }
}
