package dev.kiln.frontend.keras;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Writes small Keras models in the TF.js layers format (a Functional or Sequential model.json and
 * its weight shards) with seeded random weights, stored as float32 or quantized to uint8, uint16
 * or float16, so every importer path can be run by Kiln and by TensorFlow.js on the same files.
 */
final class SyntheticModel {
    static final ObjectMapper JSON = new ObjectMapper();

    enum Storage { FLOAT32, UINT8, UINT16, FLOAT16 }

    private final String name;
    private final boolean sequential;
    private final ArrayNode layers = JSON.createArrayNode();
    private final ArrayNode weights = JSON.createArrayNode();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private final Random random;
    private Storage storage = Storage.FLOAT32;
    private int shardSize = 4 << 20;

    private SyntheticModel(String name, boolean sequential, long seed) {
        this.name = name;
        this.sequential = sequential;
        this.random = new Random(seed);
    }

    /** A Functional model with one InputLayer named "input" of batch shape [null, dims...]. */
    static SyntheticModel functional(String name, long seed, long... dims) {
        SyntheticModel m = new SyntheticModel(name, false, seed);
        ObjectNode config = JSON.createObjectNode();
        ArrayNode shape = config.putArray("batch_input_shape").addNull();
        for (long d : dims) shape.add(d);
        config.put("dtype", "float32").put("name", "input");
        m.layers.addObject().put("name", "input").put("class_name", "InputLayer").<ObjectNode>set("config", config).putArray("inbound_nodes");
        return m;
    }

    static SyntheticModel sequential(String name, long seed) {
        return new SyntheticModel(name, true, seed);
    }

    /** How the weights added from now on are stored. */
    SyntheticModel storage(Storage s) {
        storage = s;
        return this;
    }

    /** Splits the weight data into shards of this many bytes (the last one shorter). */
    SyntheticModel shardSize(int bytes) {
        shardSize = bytes;
        return this;
    }

    /**
     * Adds a layer called on the given inputs: each input is a layer name (its first call) or
     * "name@k" for its k-th call. Returns the layer name.
     */
    String layer(String cls, String layerName, Map<String, Object> config, String... inputs) {
        ObjectNode l = layers.addObject().put("name", layerName).put("class_name", cls);
        ObjectNode c = JSON.valueToTree(config);
        c.put("name", layerName);
        l.set("config", c);
        if (!sequential) {
            ArrayNode node = l.putArray("inbound_nodes").addArray();
            for (String in : inputs) {
                String[] parts = in.split("@");
                node.addArray().add(parts[0]).add(parts.length > 1 ? Integer.parseInt(parts[1]) : 0).add(0).addObject();
            }
        }
        return layerName;
    }

    /** Calls an existing layer again (a shared layer) on another input. */
    void call(String layerName, String input) {
        for (var l : layers) {
            if (l.get("name").asText().equals(layerName)) {
                String[] parts = input.split("@");
                ((ArrayNode) l.get("inbound_nodes")).addArray().addArray().add(parts[0])
                        .add(parts.length > 1 ? Integer.parseInt(parts[1]) : 0).add(0).addObject();
                return;
            }
        }
        throw new IllegalArgumentException("no layer " + layerName);
    }

    /** A weight of random values in [lo, hi), named layer/weight. */
    void weight(String layerName, String weight, double lo, double hi, long... shape) {
        int n = 1;
        for (long d : shape) n *= (int) d;
        ObjectNode w = weights.addObject().put("name", layerName + "/" + weight).put("dtype", "float32");
        ArrayNode s = w.putArray("shape");
        for (long d : shape) s.add(d);
        ByteBuffer b;
        switch (storage) {
            case FLOAT32 -> {
                b = buffer(4 * n);
                for (int i = 0; i < n; i++) b.putFloat((float) (lo + random.nextDouble() * (hi - lo)));
            }
            case UINT8, UINT16 -> {
                int levels = storage == Storage.UINT8 ? 255 : 65535;
                w.putObject("quantization").put("dtype", storage == Storage.UINT8 ? "uint8" : "uint16")
                        .put("min", lo).put("scale", (hi - lo) / levels);
                b = buffer((storage == Storage.UINT8 ? 1 : 2) * n);
                for (int i = 0; i < n; i++) {
                    int q = random.nextInt(levels + 1);
                    if (storage == Storage.UINT8) b.put((byte) q);
                    else b.putShort((short) q);
                }
            }
            case FLOAT16 -> {
                w.putObject("quantization").put("dtype", "float16");
                b = buffer(2 * n);
                for (int i = 0; i < n; i++) b.putShort(Float.floatToFloat16((float) (lo + random.nextDouble() * (hi - lo))));
            }
            default -> throw new IllegalStateException();
        }
        data.writeBytes(b.array());
    }

    private static ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes dir/model.json and its shards; {@code outputs} are layer names (Functional only). */
    Path write(Path dir, String... outputs) throws IOException {
        Files.createDirectories(dir);
        byte[] all = data.toByteArray();
        ArrayNode paths = JSON.createArrayNode();
        int shards = Math.max(1, (all.length + shardSize - 1) / shardSize);
        for (int i = 0; i < shards; i++) {
            String p = "group1-shard" + (i + 1) + "of" + shards;
            paths.add(p);
            Files.write(dir.resolve(p), java.util.Arrays.copyOfRange(all, i * shardSize, Math.min(all.length, (i + 1) * shardSize)));
        }
        ObjectNode config = JSON.createObjectNode().put("name", name);
        config.set("layers", layers);
        if (!sequential) {
            config.putArray("input_layers").addArray().add("input").add(0).add(0);
            ArrayNode outs = config.putArray("output_layers");
            for (String o : outputs) {
                String[] parts = o.split("@");
                outs.addArray().add(parts[0]).add(parts.length > 1 ? Integer.parseInt(parts[1]) : 0).add(0);
            }
        }
        ObjectNode model = JSON.createObjectNode().put("class_name", sequential ? "Sequential" : "Model");
        model.set("config", config);
        ObjectNode topology = JSON.createObjectNode().put("keras_version", "2.2.4").put("backend", "tensorflow");
        topology.set("model_config", model);
        ObjectNode root = JSON.createObjectNode();
        root.set("modelTopology", topology);
        root.putArray("weightsManifest").addObject().<ObjectNode>set("paths", paths).set("weights", weights);
        Path json = dir.resolve("model.json");
        JSON.writeValue(json.toFile(), root);
        return json;
    }
}
