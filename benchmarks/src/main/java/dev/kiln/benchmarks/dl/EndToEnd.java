package dev.kiln.benchmarks.dl;

import dev.kiln.benchmarks.Stats;
import dev.kiln.engine.Kiln;
import dev.kiln.engine.KilnConfig;
import dev.kiln.frontend.onnx.OnnxImporter;
import dev.kiln.frontend.onnx.OnnxModel;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.tensor.TensorGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times {@link DirectionQuery} over {@code images} rendered text lines, Kiln against the
 * {@link UdfBaseline}, on the same threads: each timed run of either starts from the files
 * (decoding is part of it) and ends with the counts, which must be equal in every run.
 */
public final class EndToEnd {
    private EndToEnd() {}

    public record Result(int images, int threads, Stats kilnMs, Stats udfMs, Map<String, Long> counts) {
        public double kilnRowsPerSecond() { return images * 1000.0 / kilnMs.median(); }
        public double udfRowsPerSecond() { return images * 1000.0 / udfMs.median(); }
        public double speedup() { return udfMs.median() / kilnMs.median(); }
    }

    /** {@code warmup} untimed pairs of runs at least, and for {@code warmupSeconds} at least, then {@code runs} timed pairs. */
    public static Result run(Path clsFile, int images, int threads, int warmup, double warmupSeconds, int runs) throws IOException {
        Path dir = Files.createTempDirectory("kiln-bench-lines");
        try {
            TextLines.write(dir, images, 17);
            byte[] onnx = Files.readAllBytes(clsFile);
            TensorGraph cls = OnnxImporter.importModel(OnnxModel.read(onnx, clsFile.getFileName().toString()));
            List<Double> k = new ArrayList<>(), u = new ArrayList<>();
            Map<String, Long> counts = null;
            try (Kiln kiln = Kiln.open(KilnConfig.defaults().withThreads(threads));
                 UdfBaseline udf = new UdfBaseline(onnx, cls.inputs().getFirst().name(), cls.outputs().getFirst().name(), threads)) {
                // each side warms up and is timed in a block of its own (see DlBench.measure: interleaved, ONNX Runtime's
                // spinning workers and Kiln's take each other's cores)
                List<Map<String, Long>> kilnCounts = new ArrayList<>();
                for (int i = 0; i < warmup + runs; i++) {
                    if (i == warmup) warmFor(warmupSeconds, () -> DirectionQuery.kiln(kiln, dir, cls));
                    long t0 = System.nanoTime();
                    Map<String, Long> kc = DirectionQuery.kiln(kiln, dir, cls);
                    double km = (System.nanoTime() - t0) / 1e6;
                    if (i >= warmup) {
                        k.add(km);
                        kilnCounts.add(kc);
                    }
                }
                for (int i = 0; i < warmup + runs; i++) {
                    if (i == warmup) warmFor(warmupSeconds, () -> udf.run(dir));
                    long t0 = System.nanoTime();
                    Map<String, Long> uc = udf.run(dir);
                    double um = (System.nanoTime() - t0) / 1e6;
                    if (i < warmup) continue;
                    u.add(um);
                    Map<String, Long> kc = kilnCounts.get(i - warmup);
                    if (!kc.equals(uc)) throw new KilnException("end-to-end query, run " + (i - warmup + 1) + ": Kiln counted " + kc + ", the UDF baseline " + uc);
                    counts = kc;
                }
            }
            return new Result(images, threads, Stats.of(k), Stats.of(u), counts);
        } finally {
            try (var s = Files.list(dir)) {
                for (Path f : s.toList()) Files.delete(f);
            }
            Files.delete(dir);
        }
    }

    private interface Run {
        Object run() throws IOException;
    }

    /** Runs {@code run} untimed until {@code seconds} have passed (at least once), then until the JIT is at rest ({@link JitQuiet}). */
    private static void warmFor(double seconds, Run run) throws IOException {
        long start = System.nanoTime();
        do run.run(); while (System.nanoTime() - start < seconds * 1e9);
        try {
            JitQuiet.await(run::run);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String line(Result r) {
        return String.format(Locale.ROOT, "end-to-end, %d text lines, %d thread(s): Kiln %.0f ms (%.0f-%.0f) = %.1f rows/s; UDF + ORT per row %.0f ms (%.0f-%.0f) = %.1f rows/s;"
                        + " Kiln/UDF %.2fx; counts %s",
                r.images(), r.threads(), r.kilnMs().median(), r.kilnMs().min(), r.kilnMs().max(), r.kilnRowsPerSecond(), r.udfMs().median(), r.udfMs().min(),
                r.udfMs().max(), r.udfRowsPerSecond(), r.speedup(), r.counts());
    }

    public static String json(Result r) {
        return String.format(Locale.ROOT, "{\"images\": %d, \"threads\": %d, \"kiln\": %s, \"udf\": %s, \"kiln_rows_per_s\": %.2f, \"udf_rows_per_s\": %.2f, \"kiln_over_udf\": %.4f, \"counts\": \"%s\"}",
                r.images(), r.threads(), r.kilnMs().json(), r.udfMs().json(), r.kilnRowsPerSecond(), r.udfRowsPerSecond(), r.speedup(), r.counts());
    }
}
