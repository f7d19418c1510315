package dev.kiln.ir.tensor;

/** A named, typed graph input or output. */
public record TensorValue(String name, TensorType type) {
    public TensorValue {
        if (name.isEmpty()) throw new IllegalArgumentException("a graph value needs a name");
    }
}
