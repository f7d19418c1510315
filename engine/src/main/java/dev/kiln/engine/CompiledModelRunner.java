package dev.kiln.engine;

import dev.kiln.codegen.infer.ModelRunner;
import dev.kiln.codegen.infer.ModelRunners;
import dev.kiln.codegen.tensor.NativeKernels;
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
 * folding, fusion), then compiled per distinct set of input shapes (a full batch of rows and the
 * last, smaller batch are two programs). A non-float tail after the float32 part (a classifier's
 * top k and labels, see {@link FloatCoreSplit}) runs on the interpreter after the compiled core. A
 * graph the compiler cannot take (a non-float input, an op it has no kernel for) runs on the
 * reference interpreter instead, and {@link #describe} says so with the compiler's reason -
 * visible in EXPLAIN ANALYZE and the query's progress, never silent.
 */
final class CompiledModelRunner implements ModelRunner {
    static void install() {
        ModelRunners.install("compiled tensor programs (Vector API kernels; the reference interpreter where the compiler refuses a graph)",
                CachedModelRunners::get);
    }

    private final TensorGraph graph;
    private final TensorThreads threads;
    /** the optimized core per cut (its nodes' names: the same for all shapes unless shapes move the cut; hashing the graph would hash its weights) */
    private final Map<java.util.List<String>, TensorGraph> optimizedCores = new HashMap<>();
    private final Map<String, Compiled> programs = new HashMap<>();
    private java.util.Optional<TensorGraph> lastTail = java.util.Optional.empty();
    private String refused;

    CompiledModelRunner(TensorGraph graph, TensorThreads threads) {
        this.graph = graph;
        this.threads = threads;
        // compiled programs take float32 and int64 tensors (token ids, masks); a non-float tail (top k, labels) is cut off and interpreted
        for (var v : graph.inputs()) {
            var e = v.type().element();
            if (e != dev.kiln.ir.tensor.ElementType.FLOAT32 && e != dev.kiln.ir.tensor.ElementType.INT64) refused = "input " + v.name() + " is " + v.type();
        }
    }

    /** A program for one set of input shapes, and the interpreted tail after it, if any. */
    private record Compiled(TensorProgram program, java.util.Optional<TensorGraph> tail) {}

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        if (refused == null) {
            Map<String, long[]> shapes = new TreeMap<>();
            inputs.forEach((k, v) -> shapes.put(k, v.shape()));
            String key = shapes.entrySet().stream().map(e -> e.getKey() + Arrays.toString(e.getValue())).toList().toString();
            Compiled c = programs.get(key);
            if (c == null) {
                try {
                    FloatCoreSplit split = FloatCoreSplit.of(graph, shapes).orElse(null);
                    if (split == null) {
                        refused = "no float32 part to compile";
                    } else {
                        TensorGraph core = split.tail().isEmpty() ? graph : split.core();
                        TensorGraph optimized = optimizedCores.computeIfAbsent(core.nodes().stream().map(dev.kiln.ir.tensor.TensorNode::name).toList(),
                                k -> TensorOptimizer.optimize(core));
                        c = new Compiled(TensorCompiler.compile(optimized, shapes, threads), split.tail());
                        programs.put(key, c);
                        lastTail = split.tail();
                    }
                } catch (TensorCompileException e) {
                    refused = e.getMessage();
                }
            }
            if (c != null) return c.tail().isEmpty() ? c.program().run(inputs) : withTail(c, c.program().run(inputs), inputs);
        }
        return interpreted().run(inputs);
    }

    private ModelRunner interpretedRunner;

    /**
     * How a graph that does not compile runs: interpreted, and where its optimized form holds fused
     * nodes with runtime kernels (image preprocessing, whose shapes change per image), that form
     * with those kernels; otherwise the graph as given, on the reference kernels.
     */
    private ModelRunner interpreted() {
        if (interpretedRunner == null) {
            boolean resizes = graph.nodes().stream().anyMatch(n -> n.op() instanceof dev.kiln.ir.tensor.LayoutOp.Resize);
            TensorGraph optimized = resizes ? TensorOptimizer.optimize(graph) : graph;
            if (NativeKernels.takesAny(optimized)) {
                dev.kiln.ir.tensor.TensorGraphValidator.validate(optimized);
                interpretedRunner = new ModelRunner() {
                    @Override
                    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
                        return dev.kiln.ir.tensor.eval.TensorInterpreter.run(optimized, inputs, NativeKernels.INSTANCE);
                    }

                    @Override
                    public String describe() {
                        return "interpreter with runtime kernels for " + optimized.nodes().stream().filter(n -> n.op() instanceof dev.kiln.ir.tensor.FusedOp)
                                .map(n -> n.op().getClass().getSimpleName()).distinct().toList();
                    }
                };
            } else {
                interpretedRunner = ModelRunners.reference(graph);
            }
        }
        return interpretedRunner;
    }

    /** The tail interpreted over the core's outputs (and the inputs it reads); the graph's outputs from both. */
    private Map<String, Tensor> withTail(Compiled c, Map<String, Tensor> core, Map<String, Tensor> inputs) {
        TensorGraph tail = c.tail().orElseThrow();
        Map<String, Tensor> in = new HashMap<>();
        for (var v : tail.inputs()) in.put(v.name(), core.containsKey(v.name()) ? core.get(v.name()) : inputs.get(v.name()));
        Map<String, Tensor> tailOut = dev.kiln.ir.tensor.eval.TensorInterpreter.run(tail, in);
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        for (var v : graph.outputs()) out.put(v.name(), tailOut.containsKey(v.name()) ? tailOut.get(v.name()) : core.get(v.name()));
        return out;
    }

    @Override
    public String describe() {
        if (refused != null) return interpreted().describe() + ": " + refused;
        String compiled = "compiled (" + programs.size() + " program" + (programs.size() == 1 ? "" : "s") + ")";
        return lastTail.map(t -> compiled + ", its non-float tail (" + t.nodes().size() + " node" + (t.nodes().size() == 1 ? "" : "s")
                + ": " + t.nodes().stream().map(n -> n.op().getClass().getSimpleName()).distinct().toList() + ") interpreted").orElse(compiled);
    }

    @Override
    public void close() {
        programs.values().forEach(c -> c.program().close());
        programs.clear();
    }
}
