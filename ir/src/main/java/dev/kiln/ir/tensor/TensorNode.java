package dev.kiln.ir.tensor;

import java.util.List;
import java.util.Optional;

/**
 * One operator application. An optional input that is not given is {@link Optional#empty()} in
 * its position (ONNX writes ""); trailing absent inputs may simply be left off. Outputs are all
 * named: an op whose trailing optional outputs are unused has fewer outputs.
 */
public record TensorNode(String name, TensorOp op, List<Optional<String>> inputs, List<String> outputs) {
    public TensorNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        for (Optional<String> in : inputs) {
            if (in.isPresent() && in.get().isEmpty()) {
                throw new IllegalArgumentException("node " + name + ": an absent input is Optional.empty(), not \"\"");
            }
        }
        for (String out : outputs) {
            if (out.isEmpty()) throw new IllegalArgumentException("node " + name + ": an output needs a name");
        }
    }

    /** A node whose inputs are all given. */
    public static TensorNode of(String name, TensorOp op, List<String> inputs, List<String> outputs) {
        return new TensorNode(name, op, inputs.stream().map(Optional::of).toList(), outputs);
    }

    /** Input {@code i}, empty when absent or past the end. */
    public Optional<String> input(int i) {
        return i < inputs.size() ? inputs.get(i) : Optional.empty();
    }

    /** "conv1 (Conv)", the way messages name a node. */
    public String describe() {
        return name + " (" + op.opName() + ")";
    }
}
