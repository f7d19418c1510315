package dev.kiln.frontend.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One layer of model.json: its name, Keras class, config (read by {@link LayerConfig}) and the
 * inputs of each call (one list of tensors per node; InputLayer has none).
 */
record KerasLayer(String name, String className, JsonNode config, List<List<TensorRef>> inboundNodes) {
    KerasLayer {
        inboundNodes = inboundNodes.stream().map(List::copyOf).toList();
    }

    /** "Conv1 (Conv2D)", the way messages name a layer. */
    String describe() {
        return "layer '" + name + "' (" + className + ")";
    }
}
