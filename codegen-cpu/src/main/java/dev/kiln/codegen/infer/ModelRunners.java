package dev.kiln.codegen.infer;

import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.util.Map;
import java.util.function.Function;

/**
 * Where model runners come from. The engine installs the compiler of tensor programs; until one is
 * installed, models run on the reference interpreter, and EXPLAIN says so ("reference interpreter")
 * - never silently.
 */
public final class ModelRunners {
    private ModelRunners() {}

    private static volatile Function<TensorGraph, ModelRunner> compiler = ModelRunners::reference;

    /** A runner for the graph from the installed compiler. */
    public static ModelRunner forGraph(TensorGraph graph) {
        return compiler.apply(graph);
    }

    public static void install(Function<TensorGraph, ModelRunner> c) {
        compiler = c;
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
