package dev.kiln.frontend.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The layer graph of model.json's {@code modelTopology}: layers in file order with their inbound
 * nodes, and the model's input and output tensors. A Sequential model is turned into the same
 * form, each layer called on the one before (with an InputLayer made from the first layer's
 * batch_input_shape when the file has none, as Keras and TF.js do).
 */
record KerasTopology(String name, List<KerasLayer> layers, List<TensorRef> inputs, List<TensorRef> outputs) {
    KerasTopology {
        layers = List.copyOf(layers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    static KerasTopology parse(JsonNode modelTopology, String source) {
        // Keras's model.to_json() is wrapped in {keras_version, backend, model_config}; TF.js also
        // accepts the bare model config.
        JsonNode model = modelTopology.has("model_config") ? modelTopology.get("model_config") : modelTopology;
        String cls = model.path("class_name").asText("");
        JsonNode config = model.path("config");
        return switch (cls) {
            case "Sequential" -> sequential(config, source);
            case "Model", "Functional" -> functional(config, source);
            default -> throw new KerasFormatException(source, "modelTopology has class_name '" + cls
                    + "'; only Sequential, Model and Functional (the Keras layers format) are imported"
                    + (model.has("node") ? " (this looks like a TF.js graph model, which is not a Keras model)" : ""));
        };
    }

    private static KerasTopology functional(JsonNode config, String source) {
        List<KerasLayer> layers = new ArrayList<>();
        for (JsonNode l : array(config, "layers", source, "model config")) {
            String name = text(l, "name", source);
            List<List<TensorRef>> inbound = new ArrayList<>();
            for (JsonNode node : array(l, "inbound_nodes", source, "layer '" + name + "'")) {
                List<TensorRef> refs = new ArrayList<>();
                if (!node.isArray()) {
                    throw new KerasFormatException(source, "layer '" + name + "': inbound node " + node
                            + " is not a list of [layer, node, tensor, kwargs] (the Keras 3 form is not read yet)");
                }
                for (JsonNode ref : node) refs.add(ref(ref, source, "layer '" + name + "' inbound node"));
                inbound.add(refs);
            }
            layers.add(new KerasLayer(name, text(l, "class_name", source), l.path("config"), inbound));
        }
        return new KerasTopology(config.path("name").asText("model"), layers,
                refs(config, "input_layers", source), refs(config, "output_layers", source));
    }

    private static KerasTopology sequential(JsonNode config, String source) {
        // Keras 2.2 wrote the layer list itself as the config; later versions {name, layers}.
        JsonNode list = config.isArray() ? config : array(config, "layers", source, "model config");
        List<KerasLayer> layers = new ArrayList<>();
        for (JsonNode l : list) {
            String name = text(l, "name", source);
            String cls = text(l, "class_name", source);
            if (layers.isEmpty() && !cls.equals("InputLayer")) {
                JsonNode shape = l.path("config").path("batch_input_shape");
                if (!shape.isArray()) {
                    throw new KerasFormatException(source, "Sequential model: the first layer '" + name
                            + "' has no batch_input_shape, so the model's input shape is unknown");
                }
                ObjectNode in = JsonNodeFactory.instance.objectNode();
                in.set("batch_input_shape", shape);
                in.put("dtype", l.path("config").path("dtype").asText("float32"));
                layers.add(new KerasLayer(name + "_input", "InputLayer", in, List.of()));
            }
            List<List<TensorRef>> inbound = layers.isEmpty() ? List.of()
                    : List.of(List.of(new TensorRef(layers.getLast().name(), 0, 0)));
            layers.add(new KerasLayer(name, cls, l.path("config"), inbound));
        }
        if (layers.isEmpty()) throw new KerasFormatException(source, "Sequential model has no layers");
        return new KerasTopology(config.isArray() ? "sequential" : config.path("name").asText("sequential"), layers,
                List.of(new TensorRef(layers.getFirst().name(), 0, 0)), List.of(new TensorRef(layers.getLast().name(), 0, 0)));
    }

    private static List<TensorRef> refs(JsonNode config, String key, String source) {
        List<TensorRef> out = new ArrayList<>();
        for (JsonNode r : array(config, key, source, "model config")) out.add(ref(r, source, key));
        return out;
    }

    private static TensorRef ref(JsonNode r, String source, String where) {
        if (!r.isArray() || r.size() < 3 || !r.get(0).isTextual() || !r.get(1).isIntegralNumber() || !r.get(2).isIntegralNumber()) {
            throw new KerasFormatException(source, where + ": " + r + " is not [layer name, node index, tensor index]");
        }
        return new TensorRef(r.get(0).asText(), r.get(1).asInt(), r.get(2).asInt());
    }

    private static JsonNode array(JsonNode parent, String key, String source, String where) {
        JsonNode n = parent.path(key);
        if (!n.isArray()) throw new KerasFormatException(source, where + " has no list '" + key + "'");
        return n;
    }

    private static String text(JsonNode parent, String key, String source) {
        JsonNode n = parent.path(key);
        if (!n.isTextual()) throw new KerasFormatException(source, "a layer has no string '" + key + "': " + abbreviate(parent));
        return n.asText();
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
