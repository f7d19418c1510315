package dev.kiln.frontend.onnx;

import dev.kiln.ir.tensor.IncrementalTyping;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorOp;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tensor graph an import is building: nodes, initializers and the names in use, typed as they
 * are added (so each ONNX node's lowering can look at its inputs' types and constant values, and a
 * typing error is reported at the ONNX node that caused it). Names that the importer makes up
 * never collide with the model's own.
 */
final class ImportGraph {
    private final IncrementalTyping typing;
    private final List<TensorNode> nodes = new ArrayList<>();
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private final Set<String> valueNames = new HashSet<>();
    private final Set<String> nodeNames = new HashSet<>();

    /** {@code reserved}: every value name the model uses, so that made-up names avoid them. */
    ImportGraph(List<TensorValue> inputs, Map<String, Tensor> initializers, Set<String> reserved) {
        this.initializers.putAll(initializers);
        this.typing = new IncrementalTyping(inputs, initializers);
        valueNames.addAll(reserved);
        for (TensorValue in : inputs) valueNames.add(in.name());
        valueNames.addAll(initializers.keySet());
    }

    /** A value name based on {@code hint} that nothing uses yet. */
    String freshValue(String hint) {
        return fresh(hint, valueNames);
    }

    /** A node name based on {@code hint} (the ONNX name when it has one) that no node has yet. */
    String freshNode(String hint) {
        return fresh(hint, nodeNames);
    }

    private static String fresh(String hint, Set<String> used) {
        String name = hint;
        for (int i = 1; used.contains(name); i++) name = hint + "_" + i;
        used.add(name);
        return name;
    }

    /** Adds a constant as an initializer under {@code name} (already reserved or the model's own). */
    void addInitializer(String name, Tensor value) {
        valueNames.add(name);
        typing.addConstant(name, value);
        initializers.put(name, value);
    }

    /** Adds a node (typed at once) and returns its output types. */
    List<TensorType> addNode(String name, TensorOp op, List<Optional<String>> inputs, List<String> outputs) {
        TensorNode node = new TensorNode(name, op, inputs, outputs);
        List<TensorType> types = typing.add(node);
        nodes.add(node);
        valueNames.addAll(outputs);
        return types;
    }

    Optional<TensorType> type(String value) { return typing.type(value); }

    Optional<Tensor> constant(String value) { return typing.constant(value); }

    boolean isDefined(String value) { return typing.isDefined(value); }

    List<TensorNode> nodes() { return nodes; }

    Map<String, Tensor> initializers() { return initializers; }
}
