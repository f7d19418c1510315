package dev.kiln.engine;

import dev.kiln.codegen.infer.ModelRunner;
import dev.kiln.codegen.infer.ModelRunners;
import dev.kiln.codegen.tensor.TensorCompileException;
import dev.kiln.codegen.tensor.TensorCompiler;
import dev.kiln.codegen.tensor.TensorProgram;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.optimizer.tensor.TensorOptimizer;
import dev.kiln.runtime.tensor.TensorThreads;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a model as compiled tensor programs: the graph optimized once (folding, batch-norm
 * folding, fusion), then compiled per distinct set of input shapes (a batch of 32 rows and the
 * last, smaller batch are two programs). A graph the compiler cannot take (an op or element type
 * it has no kernel for) runs on the reference interpreter instead, and {@link #describe} says so
 * with the compiler's reason - visible in EXPLAIN ANALYZE and the query's progress, never silent.
 */
final class CompiledModelRunner implements ModelRunner {
    static void install() {
        ModelRunners.install("compiled tensor programs (Vector API kernels; the reference interpreter where the compiler refuses a graph)",
                CompiledModelRunner::new);
    }

    private final TensorGraph graph;
    private final TensorThreads threads;
    private TensorGraph optimized;
    private final Map<String, TensorProgram> programs = new HashMap<>();
    private String refused;

    CompiledModelRunner(TensorGraph graph, TensorThreads threads) {
        this.graph = graph;
        this.threads = threads;
        // compiled programs take float32 and int64 tensors (token ids, masks) and give float32 ones
        for (var v : graph.inputs()) {
            var e = v.type().element();
            if (e != dev.kiln.ir.tensor.ElementType.FLOAT32 && e != dev.kiln.ir.tensor.ElementType.INT64) refused = "input " + v.name() + " is " + v.type();
        }
        for (var v : graph.outputs()) if (v.type().element() != dev.kiln.ir.tensor.ElementType.FLOAT32) refused = "output " + v.name() + " is " + v.type();
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        if (refused == null) {
            Map<String, long[]> shapes = new TreeMap<>();
            inputs.forEach((k, v) -> shapes.put(k, v.shape()));
            String key = shapes.entrySet().stream().map(e -> e.getKey() + Arrays.toString(e.getValue())).toList().toString();
            TensorProgram p = programs.get(key);
            if (p == null) {
                try {
                    if (optimized == null) optimized = TensorOptimizer.optimize(graph);
                    p = TensorCompiler.compile(optimized, shapes, threads);
                    programs.put(key, p);
                } catch (TensorCompileException e) {
                    refused = e.getMessage();
                }
            }
            if (p != null) return p.run(inputs);
        }
        return ModelRunners.reference(graph).run(inputs);
    }

    @Override
    public String describe() {
        return refused == null ? "compiled (" + programs.size() + " program" + (programs.size() == 1 ? "" : "s") + ")" : "reference interpreter: " + refused;
    }

    @Override
    public void close() {
        programs.values().forEach(TensorProgram::close);
        programs.clear();
    }
}
