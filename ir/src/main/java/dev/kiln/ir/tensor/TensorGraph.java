package dev.kiln.ir.tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataflow graph of tensor operators: typed inputs, constant initializers, nodes in topological
 * order and typed outputs. Immutable with structural equality; {@link TensorGraphValidator} checks
 * it is well formed and {@link TensorShapeInference} types every value.
 */
public record TensorGraph(String name, List<TensorValue> inputs, List<TensorValue> outputs, List<TensorNode> nodes,
                          Map<String, Tensor> initializers) {
    public TensorGraph {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        nodes = List.copyOf(nodes);
        // Insertion order is kept so that printing is deterministic.
        initializers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
    }
}
