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
 * last, smaller batch are two programs). A non-float tail after the float32 part (a classifier's
 * top k and labels, see {@link FloatCoreSplit}) runs on the interpreter after the compiled core. A
 * graph the compiler cannot take (a non-float input, an op it has no kernel for) runs on the
 * reference interpreter instead, and {@link #describe} says so with the compiler's reason -
 * visible in EXPLAIN ANALYZE and the query's progress, never silent.
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
    private FloatCoreSplit split;

    CompiledModelRunner(TensorGraph graph, TensorThreads threads) {
        this.graph = graph;
        this.threads = threads;
        // compiled programs take and give float32 tensors: a non-float tail (top k, labels) is cut off and interpreted
        for (var v : graph.inputs()) if (v.type().element() != dev.kiln.ir.tensor.ElementType.FLOAT32) refused = "input " + v.name() + " is " + v.type();
        if (refused == null) {
            split = FloatCoreSplit.of(graph).orElse(null);
            if (split == null) refused = "no float32 node to compile";
        }
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
                    if (optimized == null) optimized = TensorOptimizer.optimize(split.core());
                    p = TensorCompiler.compile(optimized, shapes, threads);
                    programs.put(key, p);
                } catch (TensorCompileException e) {
                    refused = e.getMessage();
                }
            }
            if (p != null) return split.tail().isEmpty() ? p.run(inputs) : withTail(p.run(inputs), inputs);
        }
        return ModelRunners.reference(graph).run(inputs);
    }

    /** The tail interpreted over the core's outputs (and the inputs it reads); the graph's outputs from both. */
    private Map<String, Tensor> withTail(Map<String, Tensor> core, Map<String, Tensor> inputs) {
        TensorGraph tail = split.tail().orElseThrow();
        Map<String, Tensor> in = new HashMap<>();
        for (var v : tail.inputs()) in.put(v.name(), core.containsKey(v.name()) ? core.get(v.name()) : inputs.get(v.name()));
        Map<String, Tensor> tailOut = dev.kiln.ir.tensor.eval.TensorInterpreter.run(tail, in);
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        for (var v : graph.outputs()) out.put(v.name(), tailOut.containsKey(v.name()) ? tailOut.get(v.name()) : core.get(v.name()));
        return out;
    }

    @Override
    public String describe() {
        if (refused != null) return "reference interpreter: " + refused;
        String compiled = "compiled (" + programs.size() + " program" + (programs.size() == 1 ? "" : "s") + ")";
        return split.tail().map(t -> compiled + ", its non-float tail (" + t.nodes().size() + " node" + (t.nodes().size() == 1 ? "" : "s")
                + ": " + t.nodes().stream().map(n -> n.op().getClass().getSimpleName()).distinct().toList() + ") interpreted").orElse(compiled);
    }

    @Override
    public void close() {
        programs.values().forEach(TensorProgram::close);
        programs.clear();
    }
}
