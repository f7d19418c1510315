package dev.kiln.ir.tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Types every value of a graph from its input types. Symbolic dims flow through; shapes that
 * depend on values use constants: initializers, Constant nodes, and the results of small nodes
 * whose inputs are all constant (so Shape → Gather → Concat → Reshape chains resolve when the
 * dims involved are known). Folding reuses the interpreter's kernels, so it means what running
 * the graph means; it is limited to small results because its only purpose here is shapes.
 * {@link IncrementalTyping} does the work, node by node.
 */
public final class TensorShapeInference {
    private TensorShapeInference() {}

    /** The type of every value, and the values known to be constant. */
    public record Result(Map<String, TensorType> types, Map<String, Tensor> constants) {
        public Result {
            types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
            constants = Collections.unmodifiableMap(new LinkedHashMap<>(constants));
        }

        public TensorType type(String value) {
            TensorType t = types.get(value);
            if (t == null) throw new IllegalArgumentException("no value named '" + value + "'");
            return t;
        }
    }

    public static Result infer(TensorGraph g) {
        TensorGraphValidator.validate(g);
        IncrementalTyping typing = new IncrementalTyping(g.inputs(), g.initializers());
        for (TensorNode node : g.nodes()) typing.add(node);
        Result result = typing.result();
        for (TensorValue out : g.outputs()) checkDeclared(g, out, result.type(out.name()));
        return result;
    }

    private static void checkDeclared(TensorGraph g, TensorValue declared, TensorType inferred) {
        TensorType d = declared.type();
        boolean ok = d.element() == inferred.element() && d.rank() == inferred.rank();
        for (int i = 0; ok && i < d.rank(); i++) {
            ok = !(d.shape().dim(i) instanceof Dim.Fixed a && inferred.shape().dim(i) instanceof Dim.Fixed b && a.size() != b.size());
        }
        if (!ok) {
            throw new TensorGraphException("graph " + g.name() + ": output '" + declared.name() + "' is declared " + d
                    + " but computes " + inferred);
        }
    }
}
