package dev.kiln.frontend.onnx;

import java.util.List;
import java.util.Optional;

/**
 * One operator call in a graph ({@code NodeProto}).
 *
 * @param name may be empty: ONNX does not require node names
 * @param domain "" for the default ONNX domain
 * @param inputs value names in the operator's input order; "" marks an optional input left out
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       List<OnnxAttribute> attributes) {
    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = List.copyOf(attributes);
    }

    public Optional<OnnxAttribute> attribute(String attributeName) {
        return attributes.stream().filter(a -> a.name().equals(attributeName)).findFirst();
    }

    /** How errors name the node: {@code Conv node 'conv1'} or {@code Conv node #3 (unnamed)}. */
    public String describe(int index) {
        String op = domain.isEmpty() || domain.equals("ai.onnx") ? opType : domain + "." + opType;
        return op + " node " + (name.isEmpty() ? "#" + index + " (unnamed)" : "'" + name + "'");
    }
}
