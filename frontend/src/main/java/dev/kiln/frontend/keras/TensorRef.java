package dev.kiln.frontend.keras;

/**
 * One Keras tensor: output {@code tensorIndex} of the {@code nodeIndex}-th call of a layer (a layer
 * called twice, a shared layer, has two nodes). Written [layer, node, tensor] in model.json.
 */
record TensorRef(String layer, int nodeIndex, int tensorIndex) {
    @Override public String toString() {
        return layer + "[" + nodeIndex + "][" + tensorIndex + "]";
    }
}
