package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.engine.Kiln;
import dev.kiln.engine.QueryResult;
import dev.kiln.ir.KilnException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link LineRisk}'s model in typed queries: bind() registers the ONNX file from the class path,
 * and every label is the class of the largest score the model's coefficients give the line's
 * quantity, discount and tax, computed here in Java from TPC-H rows read by a plain query.
 */
class TypedModelQueriesTest {
    /**
     * The label LinearClassifier gives: the first class with the largest score, each score summed
     * in DOUBLE from the float32 coefficients in the order the inlined expression sums them
     * (x0·w0 + x1·w1 + x2·w2, then the intercept), so that even a near tie goes the same way.
     */
    static String label(double... x) {
        int best = 0;
        double top = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < LineRisk.COEFFICIENTS.length; c++) {
            double s = x[0] * (double) LineRisk.COEFFICIENTS[c][0];
            for (int i = 1; i < x.length; i++) s += x[i] * (double) LineRisk.COEFFICIENTS[c][i];
            s += LineRisk.INTERCEPTS[c];
            if (s > top) {
                top = s;
                best = c;
            }
        }
        return LineRisk.LABELS.get(best);
    }

    @Test
    void labelsAreTheModelsClasses() {
        try (Kiln kiln = Kiln.open()) {
            kiln.registerTpch(0.01);
            assertTrue(kiln.model("risk").isEmpty());
            LineRisk risk = kiln.bind(LineRisk.class);
            assertTrue(kiln.model("risk").isPresent(), "bind() registers the interface's model");
            List<LineRisk.Line> want = new ArrayList<>();
            Map<String, Long> byRisk = new TreeMap<>();
            try (QueryResult r = kiln.sql("SELECT l_orderkey, l_linenumber, l_quantity, l_discount, l_tax, l_shipmode FROM lineitem ORDER BY 1, 2")) {
                for (int i = 0; i < r.rowCount(); i++) {
                    String l = label(r.getDecimal(i, 2).doubleValue(), r.getDecimal(i, 3).doubleValue(), r.getDecimal(i, 4).doubleValue());
                    if (r.getLong(i, 0) <= 600) want.add(new LineRisk.Line(r.getLong(i, 0), (int) r.getLong(i, 1), l));
                    if (r.getString(i, 5).equals("AIR")) byRisk.merge(l, 1L, Long::sum);
                }
            }
            List<LineRisk.Line> got = risk.lines(600);
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) assertEquals(want.get(i), got.get(i), "line " + i);
            assertEquals(3, want.stream().map(LineRisk.Line::risk).distinct().count(), "all three classes occur");
            Map<String, Long> counts = new TreeMap<>();
            for (LineRisk.RiskCount c : risk.byRisk("AIR")) counts.put(c.risk(), c.lines());
            assertEquals(byRisk, counts);
            // the optimizer turned the model into a CASE: no Infer left in the plan
            String plan = kiln.explain("SELECT PREDICT(risk, l_quantity, l_discount, l_tax) FROM lineitem").optimizedPlan();
            assertTrue(!plan.contains("Infer") && plan.contains("CASE"), plan);
        }
    }

    @Test
    void aModelRegisteredFirstTakesItsPlace() {
        try (Kiln kiln = Kiln.open()) {
            kiln.registerTpch(0.01);
            // a model of another output type under the same name: the queries' column types no longer fit
            var other = dev.kiln.frontend.onnx.OnnxImporter.importModel(dev.kiln.frontend.onnx.OnnxModel.read(regressor(), "other.onnx"));
            kiln.registerModel("risk", other);
            KilnException e = org.junit.jupiter.api.Assertions.assertThrows(KilnException.class, () -> kiln.bind(LineRisk.class));
            assertTrue(e.getMessage().contains("risk"), e.getMessage());
        }
    }

    /** A LinearClassifier file whose labels are integers: same inputs, a BIGINT where LineRisk expects VARCHAR. */
    private static byte[] regressor() {
        try (var in = TypedModelQueriesTest.class.getClassLoader().getResourceAsStream("models/line-risk-ints.onnx")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
