package dev.kiln.benchmarks.dl;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.kiln.ir.KilnException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * {@link DirectionQuery} as a Spark-style UDF: a plain loop over the files that decodes each one,
 * applies the width filter first (as Spark's optimizer would push it below a UDF projection too),
 * preprocesses the pixels by hand exactly as Kiln's preprocessing graph does (bilinear resize
 * with half-pixel centres, BGR, (x / 255 - 0.5) / 0.5, NCHW) and calls ONNX Runtime once per row
 * (batch 1), then filters on the score and counts per direction. On n threads the files are split
 * into n contiguous partitions run side by side, as Spark runs one task per partition on each
 * core, all calling one ONNX Runtime session (thread-safe) with one intra-op thread: a second
 * intra-op thread made the per-row calls of this small classifier slower, not faster.
 */
public final class UdfBaseline implements AutoCloseable {
    private final OrtPeer ort;
    private final String input, output;
    private final int threads;

    public UdfBaseline(byte[] clsOnnx, String input, String output, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be positive");
        this.ort = new OrtPeer("ocr-cls", clsOnnx, 1);
        this.input = input;
        this.output = output;
        this.threads = threads;
    }

    /** One row's prediction: the label and its probability. */
    public record Prediction(String label, double score) {}

    public Map<String, Long> run(Path dir) throws IOException {
        List<Path> files = files(dir);
        if (threads == 1) return partition(files);
        // one task per partition, on threads of their own (a pool made per run: Spark's executors stay up, but
        // starting two threads costs microseconds against the run's hundreds of milliseconds)
        List<java.util.concurrent.CompletableFuture<Map<String, Long>>> tasks = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                List<Path> part = files.subList(files.size() * t / threads, files.size() * (t + 1) / threads);
                tasks.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return partition(part);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, pool));
            }
            Map<String, Long> counts = new TreeMap<>();
            for (var task : tasks) task.join().forEach((k, v) -> counts.merge(k, v, Long::sum));
            return counts;
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.io.UncheckedIOException u) throw u.getCause();
            throw e;
        }
    }

    /** One partition's files through the UDF: direction → lines. */
    private Map<String, Long> partition(List<Path> files) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        for (Path f : files) {
            BufferedImage img = ImageIO.read(f.toFile());
            if (img == null || img.getWidth() < DirectionQuery.MIN_WIDTH) continue;
            Prediction p = predict(img);
            if (p.score() >= DirectionQuery.MIN_SCORE) counts.merge(p.label(), 1L, Long::sum);
        }
        return counts;
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
        }
    }

    public Prediction predict(BufferedImage img) {
        float[] x = pixels(img);
        float[] probs;
        try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(x), new long[] {1, 3, DirectionQuery.HEIGHT, DirectionQuery.WIDTH})) {
            probs = ort.run(Map.of(input, t), output);
        } catch (OrtException e) {
            throw new KilnException("UDF baseline: " + e.getMessage(), e);
        }
        int best = 0;
        for (int i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
        return new Prediction(DirectionQuery.LABELS.get(best), probs[best]);
    }

    /** BGR pixels resized to 48 x 192 (ONNX Resize, linear, half_pixel), normalized, as [3, 48, 192]. */
    static float[] pixels(BufferedImage img) {
        int h = img.getHeight(), w = img.getWidth(), oh = DirectionQuery.HEIGHT, ow = DirectionQuery.WIDTH;
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        float[] out = new float[3 * oh * ow];
        float sy = (float) oh / h, sx = (float) ow / w;
        for (int y = 0; y < oh; y++) {
            float fy = Math.max(0, (y + 0.5f) / sy - 0.5f);
            int y0 = Math.min((int) fy, h - 1), y1 = Math.min(y0 + 1, h - 1);
            float dy = fy - y0;
            for (int x = 0; x < ow; x++) {
                float fx = Math.max(0, (x + 0.5f) / sx - 0.5f);
                int x0 = Math.min((int) fx, w - 1), x1 = Math.min(x0 + 1, w - 1);
                float dx = fx - x0;
                for (int c = 0; c < 3; c++) { // B, G, R: the image source's order, which the model wants
                    int shift = 8 * c;
                    float v00 = (argb[y0 * w + x0] >>> shift) & 0xFF, v01 = (argb[y0 * w + x1] >>> shift) & 0xFF;
                    float v10 = (argb[y1 * w + x0] >>> shift) & 0xFF, v11 = (argb[y1 * w + x1] >>> shift) & 0xFF;
                    float v = (v00 * (1 - dx) + v01 * dx) * (1 - dy) + (v10 * (1 - dx) + v11 * dx) * dy;
                    out[(c * oh + y) * ow + x] = (v * (1f / 255f) - 0.5f) / 0.5f;
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        ort.close();
    }
}
