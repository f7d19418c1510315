package dev.kiln.benchmarks.dl;

import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import java.util.Map;

import java.util.function.IntFunction;

/**
 * One model of {@code bench dl}: how Kiln imports it, its ONNX bytes for ONNX Runtime (empty for a
 * model ORT cannot run, such as a Keras TF.js one), the inputs of a batch (deterministic: the same
 * for both systems), and the output both are compared on.
 */
public record DlModel(String name, String source, TensorGraph graph, java.util.Optional<java.util.function.Supplier<byte[]>> onnx,
                      IntFunction<Map<String, Tensor>> inputs, String output) {
    /** A model whose files are not here: why, for the report. */
    public record Missing(String name, String reason) {}
}
