package dev.kiln.benchmarks.dl;

import ai.onnxruntime.OnnxTensor;
import dev.kiln.benchmarks.Stats;
import dev.kiln.codegen.Workers;
import dev.kiln.codegen.infer.ModelRunner;
import dev.kiln.codegen.infer.ModelRunners;
import dev.kiln.engine.Kiln;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kiln bench dl}: each model at each batch size on each thread count, in Kiln - the runner
 * SQL's PREDICT uses (the engine's compiled tensor programs, or the reference interpreter where the
 * compiler refuses the graph, which the table says) - and in ONNX Runtime Java in the same
 * process on the same inputs. Each timed run of one is followed by the same run of the other, and
 * their outputs are checked within {@link OutputCheck#TOLERANCE} every time.
 */
public final class DlBench {
    private DlBench() {}

    public static int run(List<String> args) {
        DlOptions o;
        try {
            o = DlOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("kiln bench dl: " + e.getMessage());
            System.err.println(DlOptions.USAGE);
            return 2;
        }
        try {
            return bench(o);
        } catch (IOException e) {
            throw new KilnException("bench dl failed: " + e.getMessage(), e);
        }
    }

    private static int bench(DlOptions o) throws IOException {
        // opening a session installs the engine's model runner (the compiler of tensor programs) for ModelRunners
        try (Kiln ignored = Kiln.open()) {
            System.out.println("Kiln runs models with: " + ModelRunners.installed() + "; peer ONNX Runtime " + OrtPeer.version());
        }
        List<DlCell> cells = new ArrayList<>();
        List<DlModel.Missing> missing = new ArrayList<>();
        for (Object loaded : DlModels.load(o.models(), DlModels.modelDir())) {
            if (loaded instanceof DlModel.Missing m) {
                System.out.println("skipped " + m.name() + ": " + m.reason());
                missing.add(m);
                continue;
            }
            DlModel m = (DlModel) loaded;
            for (int batch : o.batches()) {
                for (int threads : o.threads()) {
                    DlCell c = measure(m, batch, threads, o);
                    cells.add(c);
                    System.out.printf(Locale.ROOT, "%s batch %d, %d thread(s): Kiln %.2f ms, ORT %s (%s)%n", m.name(), batch, threads, c.kiln().median(),
                            c.ort().map(s -> String.format(Locale.ROOT, "%.2f ms", s.median())).orElse("-"), c.kilnRan());
                }
            }
        }
        List<EndToEnd.Result> e2e = new ArrayList<>();
        Path cls = DlModels.modelDir().resolve("ocr/ch_ppocr_mobile_v2.0_cls_infer.onnx");
        if (o.images() > 0 && !Files.isRegularFile(cls)) System.out.println("skipped the end-to-end query: " + cls + " not found (examples/models/fetch-ocr.sh)");
        if (o.images() > 0 && Files.isRegularFile(cls)) {
            for (int threads : o.threads()) {
                EndToEnd.Result r = EndToEnd.run(cls, o.images(), threads, 1, o.warmupSeconds(), o.runs());
                e2e.add(r);
                System.out.println(EndToEnd.line(r));
            }
        }
        DlReport report = new DlReport(o, OrtPeer.version(), cells, missing, e2e, Runtime.getRuntime().availableProcessors());
        System.out.println();
        System.out.print(report.table());
        Files.createDirectories(o.out());
        Path json = o.out().resolve("dl-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        Files.writeString(json, report.json());
        System.out.println("report: " + json);
        return 0;
    }

    /** Kiln warmed up and timed {@code runs} times, then ONNX Runtime the same way, each peer output checked against Kiln's of the same run. */
    static DlCell measure(DlModel m, int batch, int threads, DlOptions o) {
        Map<String, Tensor> in = m.inputs().apply(batch);
        String what = m.name() + " batch " + batch + " on " + threads + " thread(s)";
        try (Workers w = new Workers(threads); ModelRunner kiln = ModelRunners.forGraph(m.graph(), w);
             OrtPeer ort = m.onnx().map(b -> new OrtPeer(m.name(), b.get(), threads)).orElse(null)) {
            long t0 = System.nanoTime();
            float[] first = floats(what, kiln.run(in), m.output());
            double firstMs = (System.nanoTime() - t0) / 1e6;
            // an interpreted model is timed by its first call alone: the oracle's speed, reported as such, not tuned
            boolean interpreted = kiln.describe().startsWith("reference interpreter");
            int runs = o.runs();
            Map<String, OnnxTensor> feed = ort == null ? Map.of() : ort.feed(in);
            try {
                double worst = ort == null ? 0 : OutputCheck.check(what + ", first run", first, ort.run(feed, m.output()));
                // each engine warms up and is timed in a block of its own: interleaved, the peer's spinning thread pool
                // (ONNX Runtime's workers spin after a run) takes the cores the next Kiln run needs, and the other way round
                List<Double> k = new ArrayList<>(), r = new ArrayList<>();
                List<float[]> outs = new ArrayList<>();
                if (interpreted) {
                    k.add(firstMs);
                } else {
                    warm(o, () -> kiln.run(in));
                    for (int i = 0; i < runs; i++) {
                        t0 = System.nanoTime();
                        Map<String, Tensor> out = kiln.run(in);
                        k.add((System.nanoTime() - t0) / 1e6);
                        outs.add(floats(what, out, m.output()));
                    }
                }
                if (ort != null) {
                    warm(o, () -> ort.run(feed, m.output()));
                    for (int i = 0; i < runs; i++) {
                        t0 = System.nanoTime();
                        float[] peer = ort.run(feed, m.output());
                        r.add((System.nanoTime() - t0) / 1e6);
                        worst = Math.max(worst, OutputCheck.check(what + ", run " + (i + 1), interpreted ? first : outs.get(i), peer));
                    }
                }
                return new DlCell(m.name(), batch, threads, kiln.describe(), Stats.of(k), ort == null ? Optional.empty() : Optional.of(Stats.of(r)), firstMs,
                        ort == null ? Optional.empty() : Optional.of(worst));
            } finally {
                feed.values().forEach(OnnxTensor::close);
            }
        }
    }

    /** Untimed runs: at least {@code --warmup} of them and for at least {@code --warmup-seconds}, then until the JIT is at rest ({@link JitQuiet}). */
    static void warm(DlOptions o, Runnable run) {
        long start = System.nanoTime();
        for (int i = 0; i < o.warmup() || System.nanoTime() - start < o.warmupSeconds() * 1e9; i++) run.run();
        try {
            JitQuiet.await(run::run);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static float[] floats(String what, Map<String, Tensor> out, String name) {
        Tensor t = out.get(name);
        if (t == null) throw new KilnException(what + ": Kiln's runner gave no output " + name + " (it gave " + out.keySet() + ")");
        float[] f = new float[t.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) t.getDouble(i);
        return f;
    }
}
