package dev.kiln.frontend.onnx;

import static dev.kiln.frontend.onnx.TinyModel.Attr;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ai.onnx.ml LinearClassifier (scikit-learn's LogisticRegression, LinearSVC and kin as its
 * converter writes them) built at random - one to four classes, integer or string labels, two
 * labels or none for a single score, every post transform Kiln takes, features as float, double
 * or int64 - imported, interpreted and compared with ONNX Runtime on the same file and rows:
 * labels equal, scores within 1e-5.
 */
class LinearClassifierImportTest {
    static final int FEATURES = 4;

    static TinyModel model(ElementType input, float[] coef, float[] intercepts, String post, Attr labels, boolean stringLabels, Attr... extra) {
        List<Attr> a = new ArrayList<>(List.of(Attr.floats("coefficients", coef), Attr.s("post_transform", post)));
        if (intercepts.length > 0) a.add(Attr.floats("intercepts", intercepts));
        if (labels != null) a.add(labels);
        a.addAll(List.of(extra));
        return new TinyModel(17).mlOpset(1).batchInput("x", input, "N", FEATURES)
                .node("ai.onnx.ml", "LinearClassifier", List.of("x"), List.of("label", "scores"), a.toArray(Attr[]::new))
                .output("label", stringLabels ? ElementType.STRING : ElementType.INT64).output("scores", ElementType.FLOAT);
    }

    @Test
    void classifiersMatchOnnxRuntime() throws Exception {
        String[] posts = {"NONE", "LOGISTIC", "SOFTMAX"};
        for (int seed = 0; seed < 36; seed++) {
            Random r = new Random(seed);
            int classes = 1 + seed % 4;
            String post = posts[seed / 4 % 3];
            boolean strings = seed % 2 == 1;
            // one score: two labels (then two score columns) or none (labels 0 and 1, one score column)
            int labelCount = classes > 1 ? classes : seed % 3 == 0 ? 0 : 2;
            Attr labels = null;
            if (labelCount > 0) {
                if (strings) {
                    String[] names = new String[labelCount];
                    for (int i = 0; i < labelCount; i++) names[i] = "class " + (char) ('A' + i);
                    labels = Attr.strings("classlabels_strings", names);
                } else {
                    long[] ids = new long[labelCount];
                    for (int i = 0; i < labelCount; i++) ids[i] = 10L * i - 7;
                    labels = Attr.ints("classlabels_ints", ids);
                }
            }
            ElementType input = seed % 5 == 4 ? ElementType.INT64 : seed % 5 == 3 ? ElementType.DOUBLE : ElementType.FLOAT;
            TinyModel m = model(input, LinearRegressorImportTest.gaussian(r, classes * FEATURES), LinearRegressorImportTest.gaussian(r, classes), post, labels, strings && labelCount > 0);
            float[] values = LinearRegressorImportTest.gaussian(r, 80 * FEATURES);
            Tensor x = switch (input) {
                case INT64 -> {
                    long[] l = new long[values.length];
                    for (int i = 0; i < l.length; i++) l[i] = Math.round(values[i] * 3);
                    yield Tensor.int64(new long[] {80, FEATURES}, l);
                }
                case DOUBLE -> {
                    double[] d = new double[values.length];
                    for (int i = 0; i < d.length; i++) d[i] = values[i];
                    yield Tensor.doubles(new long[] {80, FEATURES}, d);
                }
                default -> Tensor.floats(new long[] {80, FEATURES}, values);
            };
            TensorGraph g = TreeEnsembleImportTest.agree(m, x, "seed " + seed + " (" + classes + " classes, " + labelCount + " labels, " + post + ", " + input + ")", "label", "scores");
            assertTrue(g.nodes().stream().anyMatch(n -> n.op() instanceof NeuralOp.MatMul), g.nodes().toString());
        }
    }

    @Test
    void badAttributesFailNamingTheNode() {
        float[] coef = new float[2 * FEATURES];
        Attr two = Attr.ints("classlabels_ints", 1, 2);
        assertFails(model(ElementType.FLOAT, coef, new float[0], "NONE", two, false), "attribute intercepts must be given");
        assertFails(model(ElementType.FLOAT, coef, new float[2], "NONE", Attr.ints("classlabels_ints", 1, 2, 3), false), "2 classes (intercepts) need as many class labels, not 3");
        assertFails(model(ElementType.FLOAT, new float[7], new float[2], "NONE", two, false), "not a positive multiple of its 2 targets");
        assertFails(model(ElementType.FLOAT, new float[3 * 2], new float[2], "NONE", two, false), "input X has 4 features where the coefficients give 3 per target");
        assertFails(model(ElementType.FLOAT, coef, new float[2], "PROBIT", two, false), "post_transform 'PROBIT' is not supported");
        assertFails(model(ElementType.FLOAT, coef, new float[2], "NONE", two, false, Attr.strings("classlabels_strings", "a", "b")), "only one of classlabels_ints and classlabels_strings");
    }

    private static void assertFails(TinyModel m, String message) {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(m.model()));
        assertTrue(e.getMessage().contains(message) && e.getMessage().contains("node '"), e.getMessage());
    }
}
