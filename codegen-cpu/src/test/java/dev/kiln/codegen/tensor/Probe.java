package dev.kiln.codegen.tensor;

import dev.kiln.codegen.Workers;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.optimizer.tensor.TensorOptimizer;
import java.util.*;

/** Per-kernel profile of a real model's compiled program (tuning aid): top steps and time per op type. */
public final class Probe {
    public static void main(String[] a) throws Exception {
        String f = a[0];
        int batch = Integer.parseInt(a[1]);
        try (Workers w = new Workers(1)) {
            Map<String, Tensor> in;
            TensorGraph g;
            if (f.equals("minilm")) {
                g = RealModels.load(RealModels.miniLm(), f);
                in = RealModels.miniLmInputs(RealModels.miniLmTokenizer(), RealModels.SENTENCES, batch, 128);
            } else {
                g = RealModels.load(RealModels.ocr(f).orElseThrow(), f);
                in = Map.of("x", RealModelBench.image(batch, f.contains("det") ? new long[] {96, 320} : f.contains("rec") ? new long[] {48, 320} : new long[] {48, 192}));
            }
            Map<String, long[]> shapes = new HashMap<>();
            in.forEach((k, v) -> shapes.put(k, v.shape()));
            try (var p = TensorCompiler.compile(TensorOptimizer.optimize(g), shapes, w)) {
                p.run(in);
                StringBuilder curve = new StringBuilder("run ms:");
                for (int i = 0; i < Integer.getInteger("warm", 5); i++) {
                    long t0 = System.nanoTime();
                    p.run();
                    if (i % 10 == 0) curve.append(String.format(" %.1f", (System.nanoTime() - t0) / 1e6));
                }
                System.out.println(curve);
                Map<String, Double> sum = new HashMap<>();
                for (int i = 0; i < 5; i++) p.profile().forEach((k, v) -> sum.merge(k, v / 5, Double::sum));
                Map<String, Double> byOp = new TreeMap<>();
                sum.forEach((k, v) -> byOp.merge(k.substring(k.lastIndexOf('(')), v, Double::sum));
                System.out.println("total " + sum.values().stream().mapToDouble(x -> x).sum());
                byOp.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue(), x.getValue())).forEach(e -> System.out.printf("%8.2f %s%n", e.getValue(), e.getKey()));
                sum.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue(), x.getValue())).limit(8).forEach(e -> System.out.printf("%8.2f %s%n", e.getValue(), e.getKey()));
                if (a.length > 2) System.out.println(p.explain());
            }
        }
    }
}
