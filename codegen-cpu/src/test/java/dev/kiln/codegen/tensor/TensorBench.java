package dev.kiln.codegen.tensor;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.kiln.codegen.Workers;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.optimizer.tensor.TensorOptimizer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * Kiln's compiled tensor programs against ONNX Runtime Java on the same graphs (written as ONNX
 * by {@link OnnxWriter}) and inputs, in one process: a BERT encoder layer of all-MiniLM-L6-v2's
 * sizes (seq 128, hidden 384, 12 heads, FFN 1536) and SqueezeNet 1.1's layers, batch 1 and 32,
 * 1 and 2 threads. Each cell: warm-up, then the median (min–max) of {@code runs} timed runs;
 * the outputs of both are compared first. A test-scope main, not a test:
 * {@code java -cp <test classpath> dev.kiln.codegen.tensor.TensorBench [runs]}.
 */
public final class TensorBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        String only = args.length > 1 ? args[1] : "";
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.out.printf("%-10s %5s %3s  %-24s %-24s %s%n", "model", "batch", "thr", "Kiln ms med (min-max)", "ORT ms med (min-max)", "Kiln/ORT throughput");
        for (String model : new String[] {"bert", "squeezenet"}) {
            if (!only.isEmpty() && !only.equals(model)) continue;
            TensorGraph g = model.equals("bert") ? Graphs.bertLayer(1, 128, 384, 12, 1536) : Graphs.squeezeNet(1);
            String input = g.inputs().getFirst().name();
            for (int batch : new int[] {1, 32}) {
                long[] shape = model.equals("bert") ? new long[] {batch, 128, 384} : new long[] {batch, 3, 224, 224};
                Tensor x = new Graphs(2).random(1f, shape);
                float[] xs = new float[x.size()];
                for (int i = 0; i < xs.length; i++) xs[i] = (float) x.getDouble(i);
                byte[] onnx = OnnxWriter.write(g, shape);
                for (int threads : new int[] {1, 2}) {
                    try (Workers w = new Workers(threads);
                         TensorProgram p = TensorCompiler.compile(TensorOptimizer.optimize(g), Map.of(input, shape), w);
                         OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                        o.setIntraOpNumThreads(threads);
                        o.setInterOpNumThreads(1);
                        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                        try (OrtSession s = env.createSession(onnx, o);
                             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(xs), shape)) {
                            MemorySegment.copy(xs, 0, p.input(input), ValueLayout.JAVA_FLOAT, 0, xs.length);
                            String out = g.outputs().getFirst().name();
                            p.run();
                            float[] kiln = p.output(out).toArray(ValueLayout.JAVA_FLOAT);
                            float[] ort;
                            try (OrtSession.Result r = s.run(Map.of(input, in))) {
                                ort = ((OnnxTensor) r.get(0)).getFloatBuffer().array();
                            }
                            double maxDiff = 0;
                            for (int i = 0; i < ort.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ort[i] - kiln[i]) / (1 + Math.abs(ort[i])));
                            if (maxDiff > 1e-3) throw new AssertionError(model + ": Kiln and ORT differ by " + maxDiff);
                            int warm = batch == 1 ? 20 : 3;
                            double[] k = time(warm, runs, p::run);
                            double[] r = time(warm, runs, () -> {
                                try (OrtSession.Result res = s.run(Map.of(input, in))) {
                                    res.get(0);
                                } catch (Exception e) {
                                    throw new RuntimeException(e);
                                }
                            });
                            System.out.printf("%-10s %5d %3d  %-24s %-24s %.2f   (max rel diff %.1e)%n", model, batch, threads, fmt(k), fmt(r),
                                    r[0] / k[0], maxDiff);
                        }
                    }
                }
            }
        }
    }

    private static String fmt(double[] t) {
        return String.format("%.2f (%.2f-%.2f)", t[0], t[1], t[2]);
    }

    /** Median, min, max in ms. */
    private static double[] time(int warm, int runs, Runnable r) {
        for (int i = 0; i < warm; i++) r.run();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[runs / 2], ms[0], ms[runs - 1]};
    }
}
