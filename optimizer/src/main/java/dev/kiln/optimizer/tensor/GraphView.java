package dev.kiln.optimizer.tensor;

import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The lookups fusion rules need: who reads a value, who writes it, and which values are constants. */
final class GraphView {
    private final TensorGraph g;
    private final Map<String, List<TensorNode>> consumers = new HashMap<>();
    private final Map<String, TensorNode> producers = new HashMap<>();
    private final Set<String> outputs;

    GraphView(TensorGraph g) {
        this.g = g;
        for (TensorNode n : g.nodes()) {
            for (Optional<String> in : n.inputs()) in.ifPresent(v -> consumers.computeIfAbsent(v, k -> new ArrayList<>()).add(n));
            for (String out : n.outputs()) producers.put(out, n);
        }
        outputs = g.outputs().stream().map(TensorValue::name).collect(Collectors.toSet());
    }

    List<TensorNode> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** The one node reading {@code value}, when exactly one does and it is not a graph output: then it may be fused away. */
    Optional<TensorNode> soleConsumer(String value) {
        List<TensorNode> cs = consumers(value);
        if (cs.size() != 1 || outputs.contains(value)) return Optional.empty();
        return Optional.of(cs.getFirst());
    }

    Optional<TensorNode> producer(String value) {
        return Optional.ofNullable(producers.get(value));
    }

    /** The value of an initializer that is not also a graph input, or of a Constant node. */
    Optional<Tensor> constant(String value) {
        if (g.inputs().stream().anyMatch(v -> v.name().equals(value))) return Optional.empty();
        Tensor t = g.initializers().get(value);
        if (t != null) return Optional.of(t);
        return producer(value).flatMap(n -> n.op() instanceof LayoutOp.Constant c ? Optional.of(c.value()) : Optional.empty());
    }

    /**
     * The graph with each node in {@code replaced} swapped for its replacement and the nodes in
     * {@code dropped} left out, in the original order, with these initializers; the graph itself
     * when nothing was replaced.
     */
    static TensorGraph rewritten(TensorGraph g, Map<TensorNode, TensorNode> replaced, Set<TensorNode> dropped, Map<String, Tensor> initializers) {
        if (replaced.isEmpty()) return g;
        List<TensorNode> nodes = new ArrayList<>();
        for (TensorNode n : g.nodes()) if (!dropped.contains(n)) nodes.add(replaced.getOrDefault(n, n));
        return new TensorGraph(g.name(), g.inputs(), g.outputs(), nodes, initializers);
    }
}
