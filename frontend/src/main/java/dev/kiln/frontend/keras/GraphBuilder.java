package dev.kiln.frontend.keras;

import dev.kiln.ir.tensor.NodeTyping;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorOp;
import dev.kiln.ir.tensor.TensorOpTyping;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Accumulates a {@link TensorGraph} node by node. Each node is typed as it is added, with the IR's
 * own typing rule, so the importer always knows the shape of what it built (a layer's input
 * channels, a flattened size) and a wrong shape fails at the layer that caused it. Value names are
 * made unique by a suffix; the last node's output can be renamed so that a layer's result carries
 * the layer's name.
 */
final class GraphBuilder {
    private final List<TensorNode> nodes = new ArrayList<>();
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private final List<TensorValue> inputs = new ArrayList<>();
    private final Map<String, TensorType> types = new HashMap<>();

    String input(String name, TensorType type) {
        String n = fresh(name);
        inputs.add(new TensorValue(n, type));
        types.put(n, type);
        return n;
    }

    String constant(String hint, Tensor value) {
        String n = fresh(hint);
        initializers.put(n, value);
        types.put(n, value.tensorType());
        return n;
    }

    /** Adds a one-output node on the given inputs (an empty string is an absent optional input). */
    String node(String hint, TensorOp op, String... in) {
        String out = fresh(hint);
        List<Optional<String>> ins = new ArrayList<>();
        for (String i : in) ins.add(i.isEmpty() ? Optional.empty() : Optional.of(i));
        TensorNode node = new TensorNode(out, op, ins, List.of(out));
        List<Optional<TensorType>> inTypes = ins.stream().map(o -> o.map(this::type)).toList();
        List<Optional<Tensor>> inConsts = ins.stream().map(o -> o.map(initializers::get)).toList();
        TensorType t = TensorOpTyping.outputTypes(new NodeTyping(node, inTypes, inConsts)).getFirst();
        nodes.add(node);
        types.put(out, t);
        return out;
    }

    TensorType type(String value) {
        TensorType t = types.get(value);
        if (t == null) throw new IllegalStateException("no value '" + value + "' built yet");
        return t;
    }

    /**
     * Renames {@code value} when it is the output of the last node added (so no node reads it yet);
     * returns the name it has afterwards.
     */
    String rename(String value, String name) {
        if (value.equals(name) || nodes.isEmpty() || !nodes.getLast().outputs().equals(List.of(value)) || types.containsKey(name)) {
            return value;
        }
        TensorNode last = nodes.removeLast();
        nodes.add(new TensorNode(name, last.op(), last.inputs(), List.of(name)));
        types.put(name, types.remove(value));
        return name;
    }

    TensorGraph build(String name, List<String> outputs) {
        List<TensorValue> outs = outputs.stream().map(o -> new TensorValue(o, type(o))).toList();
        return new TensorGraph(name, inputs, outs, nodes, initializers);
    }

    private String fresh(String hint) {
        if (!types.containsKey(hint)) return hint;
        for (int i = 1; ; i++) {
            String n = hint + "_" + i;
            if (!types.containsKey(n)) return n;
        }
    }
}
