package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCR of a directory of images in SQL, end to end: text lines rendered with a real font into PNG
 * files, the directory registered as an image table, PaddleOCR's PP-OCRv4 recognizer created with
 * its preprocessing (height 48, width keeping the aspect, (x/255 - 0.5)/0.5, OpenCV's BGR order) and
 * a CTC decoder over ppocr_keys_v1.txt, and {@code SELECT origin, PREDICT(ocr, image)}: each row's
 * text is the rendered line, and what ONNX Runtime's scores decode to. A file that is not an image
 * has a NULL text and its error. Models: {@code ~/.cache/kiln/models/ocr} (examples/models/fetch-ocr.sh,
 * run by ./kiln test), else /tmp/ocr/package/assets; skipped without them.
 */
class OcrQueriesTest {
    static final List<String> LINES = List.of("Kiln reads text", "SELECT 42 FROM images", "Hello World 2024", "Query compiler");

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static Path models() {
        for (Path p : List.of(Path.of(System.getProperty("user.home"), ".cache/kiln/models/ocr"), Path.of("/tmp/ocr/package/assets"))) {
            if (Files.isRegularFile(p.resolve("ch_PP-OCRv4_rec_infer.onnx"))) return p;
        }
        assumeTrue(false, "PaddleOCR models not found in ~/.cache/kiln/models/ocr: run examples/models/fetch-ocr.sh (./kiln test does)");
        return null;
    }

    @Test
    void ocrOfADirectoryInSqlEqualsTheRenderedLinesAndOnnxRuntime(@TempDir Path dir) throws Exception {
        Path models = models();
        Path rec = models.resolve("ch_PP-OCRv4_rec_infer.onnx"), keys = models.resolve("ppocr_keys_v1.txt");
        Map<String, BufferedImage> images = new LinkedHashMap<>();
        for (int i = 0; i < LINES.size(); i++) {
            BufferedImage img = render(LINES.get(i));
            images.put("line" + i + ".png", img);
            ImageIO.write(img, "png", dir.resolve("line" + i + ".png").toFile());
        }
        Files.writeString(dir.resolve("notes.png"), "this is not a PNG");
        List<String> labels = new ArrayList<>();
        labels.add("");
        labels.addAll(Files.readAllLines(keys));
        labels.add(" ");

        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withThreads(2))) {
            kiln.registerImages("lines", dir);
            kiln.sql("CREATE MODEL ocr FROM '" + rec + "' WITH (image_height = 48, image_width = 'auto', channel_order = 'bgr'"
                    + ", mean = '0.5, 0.5, 0.5', std = '0.5, 0.5, 0.5', decoder = 'ctc', keys = '" + keys + "')").close();
            try (QueryResult r = kiln.sql("SELECT origin, PREDICT(ocr, image) AS text, error FROM lines ORDER BY origin");
                 OrtSession ort = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL).createSession(rec.toString(), new OrtSession.SessionOptions())) {
                assertEquals(LINES.size() + 1, r.rows().size());
                for (Object[] row : r.rows()) {
                    String file = Path.of(java.net.URI.create((String) row[0])).getFileName().toString();
                    if (file.equals("notes.png")) {
                        assertNull(row[1], "a file that is not an image has no text");
                        assertNotNull(row[2], "and says why");
                        continue;
                    }
                    String text = (String) row[1];
                    String line = LINES.get(Integer.parseInt(file.substring(4, file.indexOf('.'))));
                    assertEquals(ortText(ort, images.get(file), labels), text, file + ": Kiln's text differs from ORT's scores decoded");
                    // the recognizer may put a space at the start; the words themselves must be the line's
                    assertEquals(line, text.strip(), file);
                }
            }
        }
    }

    /** Dark text on white, height 48 (the recognizer's), wide enough that PaddleOCR would not pad it (width/height ≥ 320/48). */
    static BufferedImage render(String text) {
        Font font = new Font("DejaVu Sans", Font.PLAIN, 28);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        int textWidth = probe.createGraphics().getFontMetrics(font).stringWidth(text);
        int width = Math.max(336, textWidth + 24), height = 48;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(new Color(20, 20, 60));
            g.setFont(font);
            var m = g.getFontMetrics();
            g.drawString(text, 12, (height - m.getHeight()) / 2 + m.getAscent());
        } finally {
            g.dispose();
        }
        return img;
    }

    /** ORT on the image preprocessed by hand as PaddleOCR does (BGR, (x/255 - 0.5)/0.5, NCHW), then best class per step and CTC collapse. */
    static String ortText(OrtSession ort, BufferedImage img, List<String> labels) throws Exception {
        int h = img.getHeight(), w = img.getWidth();
        float[] x = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < w; c++) {
                int rgb = img.getRGB(c, y);
                int[] bgr = {rgb & 0xFF, (rgb >> 8) & 0xFF, (rgb >> 16) & 0xFF};
                for (int k = 0; k < 3; k++) x[(k * h + y) * w + c] = (float) ((bgr[k] / 255.0 - 0.5) / 0.5);
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, h, w});
             OrtSession.Result r = ort.run(Map.of(ort.getInputNames().iterator().next(), in))) {
            float[][] steps = ((float[][][]) r.get(0).getValue())[0];
            StringBuilder sb = new StringBuilder();
            int prev = -1;
            for (float[] p : steps) {
                int best = 0;
                for (int k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
                if (best != 0 && best != prev) sb.append(labels.get(best));
                prev = best;
            }
            return sb.toString();
        }
    }
}
