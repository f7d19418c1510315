package dev.kiln.frontend.onnx;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A computation graph ({@code GraphProto}): nodes in topological order, the constant
 * initializers, and the declared inputs, outputs and intermediate value types.
 */
public record OnnxGraph(String name, List<OnnxNode> nodes, List<OnnxTensor> initializers, List<OnnxValueInfo> inputs,
                        List<OnnxValueInfo> outputs, List<OnnxValueInfo> valueInfo) {
    public OnnxGraph {
        nodes = List.copyOf(nodes);
        initializers = List.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        valueInfo = List.copyOf(valueInfo);
    }

    /**
     * The inputs a caller must feed: those without an initializer. Before IR version 4 every
     * initializer was also listed as an input; since then a listed one is an overridable default.
     */
    public List<OnnxValueInfo> feedInputs() {
        Set<String> constant = initializers.stream().map(OnnxTensor::name).collect(Collectors.toSet());
        return inputs.stream().filter(i -> !constant.contains(i.name())).toList();
    }
}
