package dev.kiln.codegen.infer;

import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import dev.kiln.runtime.tensor.TensorThreads;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Where model runners come from. The engine installs the compiler of tensor programs; until one is
 * installed, models run on the reference interpreter, and EXPLAIN says so ("reference interpreter")
 * - never silently.
 */
public final class ModelRunners {
    private ModelRunners() {}

    private static volatile BiFunction<TensorGraph, TensorThreads, ModelRunner> compiler = (g, t) -> reference(g);
    private static volatile String installed = "reference interpreter";

    /** A runner for the graph from the installed compiler, its kernels split over {@code threads}. */
    public static ModelRunner forGraph(TensorGraph graph, TensorThreads threads) {
        return compiler.apply(graph, threads);
    }

    /** What runs models (EXPLAIN), without compiling anything. */
    public static String installed() {
        return installed;
    }

    public static void install(String description, BiFunction<TensorGraph, TensorThreads, ModelRunner> c) {
        compiler = c;
        installed = description;
    }

    /** The tensor interpreter: the semantics every compiled runner is checked against. */
    public static ModelRunner reference(TensorGraph graph) {
        return new ModelRunner() {
            @Override
            public Map<String, Tensor> run(Map<String, Tensor> inputs) {
                return TensorInterpreter.run(graph, inputs);
            }

            @Override
            public String describe() {
                return "reference interpreter";
            }
        };
    }
}
