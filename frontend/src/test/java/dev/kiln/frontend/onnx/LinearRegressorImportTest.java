package dev.kiln.frontend.onnx;

import static dev.kiln.frontend.onnx.TinyModel.Attr;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ai.onnx.ml LinearRegressor (scikit-learn's linear models as its converter writes them) built at
 * random - one to three targets, with and without intercepts, every post transform Kiln takes -
 * imported as MatMul (+ Add) (+ Sigmoid or Softmax), interpreted, and compared with ONNX Runtime
 * on the same file and rows.
 */
class LinearRegressorImportTest {
    static final int FEATURES = 5;

    static TinyModel model(float[] coef, float[] intercepts, int targets, String post, Attr... extra) {
        List<Attr> a = new ArrayList<>(List.of(Attr.floats("coefficients", coef), Attr.i("targets", targets), Attr.s("post_transform", post)));
        if (intercepts.length > 0) a.add(Attr.floats("intercepts", intercepts));
        a.addAll(List.of(extra));
        return new TinyModel(17).mlOpset(1).batchInput("x", ElementType.FLOAT, "N", FEATURES)
                .node("ai.onnx.ml", "LinearRegressor", List.of("x"), List.of("y"), a.toArray(Attr[]::new)).output("y", ElementType.FLOAT);
    }

    static float[] gaussian(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) r.nextGaussian();
        return f;
    }

    @Test
    void regressorsMatchOnnxRuntime() throws Exception {
        String[] posts = {"NONE", "LOGISTIC", "SOFTMAX"};
        for (int seed = 0; seed < 24; seed++) {
            Random r = new Random(seed);
            int targets = 1 + seed % 3;
            String post = posts[seed / 3 % 3];
            float[] intercepts = seed % 2 == 0 ? gaussian(r, targets) : new float[0];
            TinyModel m = model(gaussian(r, targets * FEATURES), intercepts, targets, post);
            Tensor x = Tensor.floats(new long[] {64, FEATURES}, gaussian(r, 64 * FEATURES));
            TensorGraph g = TreeEnsembleImportTest.agree(m, x, "seed " + seed + " (" + targets + " targets, " + post + (intercepts.length > 0 ? ", intercepts" : "") + ")", "y");
            assertTrue(g.nodes().getFirst().op() instanceof NeuralOp.MatMul, g.nodes().toString());
            assertTrue(intercepts.length == 0 || g.nodes().stream().anyMatch(n -> n.op() instanceof ElementwiseOp.Binary), "the intercepts' Add: " + g.nodes());
        }
    }

    @Test
    void badAttributesFailNamingTheNode() {
        float[] coef = new float[2 * FEATURES];
        assertFails(model(new float[7], new float[0], 2, "NONE"), "not a positive multiple of its 2 targets");
        assertFails(model(coef, new float[3], 2, "NONE"), "attribute intercepts has 3 entries where 2 are needed");
        assertFails(model(new float[3 * 2], new float[0], 2, "NONE"), "input X has 5 features where the coefficients give 3 per target");
        assertFails(model(coef, new float[0], 2, "PROBIT"), "post_transform 'PROBIT' is not supported; Kiln takes NONE, LOGISTIC, SOFTMAX");
        assertFails(model(coef, new float[0], 0, "NONE"), "attribute targets must be positive");
        assertFails(model(coef, new float[0], 2, "NONE", Attr.i("n_features", 5)), "n_features");
    }

    private static void assertFails(TinyModel m, String message) {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(m.model()));
        assertTrue(e.getMessage().contains(message) && e.getMessage().contains("node '"), e.getMessage());
    }
}
