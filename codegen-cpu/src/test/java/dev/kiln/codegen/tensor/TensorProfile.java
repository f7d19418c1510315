package dev.kiln.codegen.tensor;

import dev.kiln.codegen.Workers;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.optimizer.tensor.TensorOptimizer;
import java.util.Map;

/** Per-kernel times of one benchmark graph (a test-scope main for tuning): model batch threads. */
public final class TensorProfile {
    public static void main(String[] args) {
        boolean bert = args[0].equals("bert");
        int batch = Integer.parseInt(args[1]), threads = Integer.parseInt(args[2]);
        TensorGraph g = bert ? Graphs.bertLayer(1, 128, 384, 12, 1536) : Graphs.squeezeNet(1);
        long[] shape = bert ? new long[] {batch, 128, 384} : new long[] {batch, 3, 224, 224};
        try (Workers w = new Workers(threads);
             TensorProgram p = TensorCompiler.compile(TensorOptimizer.optimize(g, java.util.Set.of(args.length > 3 ? args[3].split(",") : new String[0]), new java.util.ArrayList<>()), Map.of(g.inputs().getFirst().name(), shape), w)) {
            for (int i = 0; i < 10; i++) p.run();
            Map<String, Double> total = new java.util.LinkedHashMap<>();
            for (int i = 0; i < 5; i++) p.profile().forEach((k, v) -> total.merge(k, v / 5, Double::sum));
            total.forEach((k, v) -> System.out.printf("%8.2f ms  %s%n", v, k));
            System.out.printf("%8.2f ms  total%n", total.values().stream().mapToDouble(Double::doubleValue).sum());
        }
    }
}
