package dev.kiln.codegen.tensor;

import dev.kiln.codegen.Workers;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.optimizer.tensor.TensorOptimizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Kiln's compiled programs against ONNX Runtime Java on the real models, same inputs, one process:
 * all-MiniLM-L6-v2 (seq 128, real sentences) and the PaddleOCR cls/rec/det models (when present),
 * batch 1 and 32, 1 and 2 threads. Each cell checks the outputs agree (max |diff|), warms up, then
 * reports the median (min–max) of {@code runs} alternating timed runs and the throughput ratio.
 * A test-scope main: {@code java -cp <test classpath> dev.kiln.codegen.tensor.RealModelBench [runs] [model] [batches] [threads]}.
 */
public final class RealModelBench {
    record Case(String name, byte[] onnx, String output, java.util.function.IntFunction<Map<String, Tensor>> inputs) {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String only = args.length > 1 ? args[1] : "";
        int[] batches = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {1, 32};
        int[] threadCounts = args.length > 3 ? Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {1, 2};
        List<Case> cases = new java.util.ArrayList<>();
        var tok = RealModels.miniLmTokenizer();
        cases.add(new Case("minilm", RealModels.miniLm(), "last_hidden_state", b -> RealModels.miniLmInputs(tok, RealModels.SENTENCES, b, 128)));
        for (String f : RealModels.OCR_MODELS) {
            long[] hw = f.contains("_det_") ? new long[] {96, 320} : f.contains("_rec_") ? new long[] {48, 320} : new long[] {48, 192};
            String out = f.contains("_det_") ? "sigmoid_0.tmp_0" : f.contains("_rec_") ? "softmax_11.tmp_0" : "softmax_0.tmp_0";
            String name = f.contains("_det_") ? "ocr-det" : f.contains("_rec_") ? "ocr-rec" : "ocr-cls";
            RealModels.ocr(f).ifPresentOrElse(bytes -> cases.add(new Case(name, bytes, out, b -> Map.of("x", image(b, hw)))),
                    () -> System.out.println(name + ": skipped, " + RealModels.OCR.resolve(f) + " not found"));
        }
        System.out.printf("%-8s %5s %3s  %-26s %-26s %s%n", "model", "batch", "thr", "Kiln ms med (min-max)", "ORT ms med (min-max)", "Kiln/ORT throughput");
        for (Case c : cases) {
            if (!only.isEmpty() && !c.name.equals(only)) continue;
            TensorGraph g = TensorOptimizer.optimize(RealModels.load(c.onnx, c.name));
            for (int batch : batches) {
                Map<String, Tensor> in = c.inputs.apply(batch);
                Map<String, long[]> shapes = new LinkedHashMap<>();
                in.forEach((k, v) -> shapes.put(k, v.shape()));
                for (int threads : threadCounts) {
                    try (Workers w = new Workers(threads);
                         TensorProgram p = TensorCompiler.compile(g, shapes, w);
                         OrtPeer ort = new OrtPeer(c.onnx, threads)) {
                        ort.feed(in);
                        double diff = OrtPeer.maxAbsDiff(ort.run(c.output), p.run(in).get(c.output));
                        int warm = batch == 1 ? 100 : 3;
                        double[][] t = time(warm, runs, p::run, () -> {
                            try {
                                ort.run(c.output);
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        });
                        System.out.printf("%-8s %5d %3d  %-26s %-26s %.2f   (max |diff| %.1e)%n", c.name, batch, threads, fmt(t[0]), fmt(t[1]), t[1][0] / t[0][0], diff);
                    }
                }
            }
        }
    }

    /** A float image batch in [-1, 1], fixed seed. */
    static Tensor image(int batch, long[] hw) {
        Random r = new Random(7);
        float[] v = new float[(int) (batch * 3 * hw[0] * hw[1])];
        for (int i = 0; i < v.length; i++) v[i] = r.nextFloat() * 2 - 1;
        return Tensor.floats(new long[] {batch, 3, hw[0], hw[1]}, v);
    }

    private static String fmt(double[] t) {
        return String.format("%.2f (%.2f-%.2f)", t[0], t[1], t[2]);
    }

    /** Median, min, max in ms of a and b, run alternately so that both see the same machine noise. */
    private static double[][] time(int warm, int runs, Runnable a, Runnable b) {
        // Warm up for at least two seconds as well: each generated class is JIT-compiled on its own,
        // and a model has dozens of them.
        long until = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; i < warm || System.nanoTime() < until; i++) {
            a.run();
            b.run();
        }
        double[] ta = new double[runs], tb = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            a.run();
            long t1 = System.nanoTime();
            b.run();
            long t2 = System.nanoTime();
            ta[i] = (t1 - t0) / 1e6;
            tb[i] = (t2 - t1) / 1e6;
        }
        return new double[][] {stats(ta), stats(tb)};
    }

    private static double[] stats(double[] ms) {
        Arrays.sort(ms);
        return new double[] {ms[ms.length / 2], ms[0], ms[ms.length - 1]};
    }
}
