package dev.kiln.ir.tensor;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Structural checks: every value is assigned once (graph input, initializer or one node output),
 * nodes come in topological order (each input is defined by an earlier node), node names are
 * unique, and every graph output is defined. Types are checked by {@link TensorShapeInference}.
 */
public final class TensorGraphValidator {
    private TensorGraphValidator() {}

    public static void validate(TensorGraph g) {
        Map<String, String> definedBy = new HashMap<>();
        for (TensorValue in : g.inputs()) define(definedBy, in.name(), "graph input");
        for (String init : g.initializers().keySet()) {
            // ONNX lets an initializer double as the default of a graph input of the same name.
            if (g.inputs().stream().noneMatch(v -> v.name().equals(init))) define(definedBy, init, "initializer");
        }
        Set<String> nodeNames = new HashSet<>();
        Map<String, String> later = new HashMap<>();
        for (TensorNode n : g.nodes()) for (String out : n.outputs()) later.putIfAbsent(out, n.name());
        for (TensorNode n : g.nodes()) {
            if (n.name().isEmpty()) throw new TensorGraphException("graph " + g.name() + ": a " + n.op().opName() + " node has no name");
            if (!nodeNames.add(n.name())) throw new TensorGraphException("graph " + g.name() + ": two nodes are named " + n.name());
            for (int i = 0; i < n.inputs().size(); i++) {
                Optional<String> in = n.inputs().get(i);
                if (in.isEmpty() || definedBy.containsKey(in.get())) continue;
                String producer = later.get(in.get());
                throw new TensorGraphException("node " + n.describe() + ": input " + i + " '" + in.get() + "' "
                        + (producer == null ? "is not defined by any graph input, initializer or node"
                                : "is produced by node " + producer + ", which comes later: nodes must be in topological order"));
            }
            for (String out : n.outputs()) define(definedBy, out, "node " + n.describe());
        }
        for (TensorValue out : g.outputs()) {
            if (!definedBy.containsKey(out.name())) {
                throw new TensorGraphException("graph " + g.name() + ": output '" + out.name() + "' is not computed by any node");
            }
        }
    }

    private static void define(Map<String, String> definedBy, String value, String by) {
        String before = definedBy.putIfAbsent(value, by);
        if (before != null) {
            throw new TensorGraphException(by + ": value '" + value + "' is already defined by " + before
                    + "; every value is assigned once");
        }
    }
}
