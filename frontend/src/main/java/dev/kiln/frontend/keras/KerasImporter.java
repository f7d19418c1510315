package dev.kiln.frontend.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorGraphException;
import dev.kiln.ir.tensor.TensorGraphValidator;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports a Keras model saved in the TensorFlow.js layers format (model.json with its topology and
 * weightsManifest, plus the binary weight shards beside it) as a {@link TensorGraph}.
 *
 * <p>Layout: Keras is channels-last and the IR's convolutions are ONNX's, channels-first. Graph
 * inputs and outputs keep Keras's NHWC shapes; kernels are rearranged to ONNX's layout once, at
 * import, and activations are transposed to NCHW where a convolution or pool first needs them and
 * back only where element order matters (Flatten, Reshape, Dense on rank 4, a rank-4 model output).
 * The batch axis of every input is the symbolic dim {@code N}.
 */
public final class KerasImporter {
    private KerasImporter() {}

    /** The model with its own outputs. */
    public static TensorGraph read(Path modelJson) {
        return read(modelJson, List.of());
    }

    /**
     * The model with the given layers' results as its outputs (empty: the model's own outputs),
     * which is how an intermediate activation (an embedding, a feature map) is read.
     */
    public static TensorGraph read(Path modelJson, List<String> outputLayers) {
        String source = modelJson.toString();
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(modelJson));
        } catch (JsonProcessingException e) {
            throw new KerasFormatException(source, "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() : ""), e);
        } catch (IOException e) {
            throw new KerasFormatException(source, "cannot read: " + e, e);
        }
        if (root == null || !root.has("modelTopology")) {
            throw new KerasFormatException(source, "has no modelTopology; a TF.js layers model.json holds modelTopology and weightsManifest");
        }
        KerasTopology topology = KerasTopology.parse(root.get("modelTopology"), source);
        requireSupported(topology, source);
        Path dir = modelJson.toAbsolutePath().getParent();
        KerasWeights weights = new KerasWeights(WeightLoader.load(WeightLoader.manifest(root.path("weightsManifest"), source), dir, source));
        List<TensorRef> outputs = outputLayers.isEmpty() ? topology.outputs()
                : outputLayers.stream().map(l -> new TensorRef(l, 0, 0)).toList();
        TensorGraph g = new Lowering(topology, weights, outputs, source).run();
        weights.requireAllUsed(source);
        TensorGraphValidator.validate(g);
        return g;
    }

    private static void requireSupported(KerasTopology t, String source) {
        List<String> bad = t.layers().stream()
                .filter(l -> !l.className().equals("InputLayer") && !LayerLowerings.BY_CLASS.containsKey(l.className()))
                .map(KerasLayer::describe).toList();
        if (!bad.isEmpty()) {
            throw new KerasFormatException(source, "model '" + t.name() + "' uses layers Kiln does not import: " + bad
                    + "; supported: " + LayerLowerings.supported());
        }
    }

    /** One import: lowers every layer call once its inputs exist (file order, unless a shared layer needs later ones). */
    private static final class Lowering {
        private final KerasTopology topology;
        private final List<TensorRef> outputs;
        private final String source;
        private final GraphBuilder graph = new GraphBuilder();
        private final LayerContext.Shared shared;
        private final Map<TensorRef, KerasTensor> built = new HashMap<>();

        Lowering(KerasTopology topology, KerasWeights weights, List<TensorRef> outputs, String source) {
            this.topology = topology;
            this.outputs = outputs;
            this.source = source;
            this.shared = new LayerContext.Shared(graph, weights);
        }

        TensorGraph run() {
            Map<String, KerasLayer> byName = new LinkedHashMap<>();
            for (KerasLayer l : topology.layers()) {
                if (byName.put(l.name(), l) != null) throw new KerasFormatException(source, "two layers are named '" + l.name() + "'");
            }
            for (TensorRef r : outputs) {
                if (!byName.containsKey(r.layer())) throw new KerasFormatException(source, "output layer '" + r.layer() + "' is not in the model");
            }
            record Call(KerasLayer layer, int node) {}
            List<Call> pending = new ArrayList<>();
            for (KerasLayer l : topology.layers()) {
                int calls = l.className().equals("InputLayer") ? 1 : l.inboundNodes().size();
                for (int i = 0; i < calls; i++) pending.add(new Call(l, i));
            }
            while (!pending.isEmpty()) {
                int before = pending.size();
                pending.removeIf(c -> tryLower(c.layer(), c.node()));
                if (pending.size() == before) {
                    Call c = pending.getFirst();
                    throw new KerasFormatException(source, c.layer().describe() + " waits for " + c.layer().inboundNodes().get(c.node())
                            + ", which no layer produces");
                }
            }
            List<String> outs = new ArrayList<>();
            for (TensorRef r : outputs) {
                KerasTensor t = built.get(r);
                if (t == null) throw new KerasFormatException(source, "output " + r + " is not produced by the model");
                outs.add(t.channelsFirst() ? graph.node(r.layer(), new LayoutOp.Transpose(LayerContext.TO_NHWC), t.value()) : t.value());
            }
            return graph.build(topology.name(), outs);
        }

        private boolean tryLower(KerasLayer layer, int node) {
            List<KerasTensor> inputs = new ArrayList<>();
            if (!layer.className().equals("InputLayer")) {
                for (TensorRef r : layer.inboundNodes().get(node)) {
                    if (r.tensorIndex() != 0) {
                        throw new KerasFormatException(source, layer.describe() + " reads output " + r.tensorIndex() + " of '" + r.layer()
                                + "'; multi-output layers are not supported");
                    }
                    KerasTensor t = built.get(r);
                    if (t == null) return false;
                    inputs.add(t);
                }
            }
            LayerConfig cfg = new LayerConfig(source, layer);
            String name = node == 0 ? layer.name() : layer.name() + "@" + node;
            TensorRef self = new TensorRef(layer.name(), node, 0);
            try {
                KerasTensor t = layer.className().equals("InputLayer") ? input(cfg)
                        : LayerLowerings.BY_CLASS.get(layer.className()).lower(new LayerContext(shared, cfg, inputs));
                // a channels-first model output keeps the layer's name for its NHWC form
                String finalName = t.channelsFirst() && outputs.contains(self) ? name + "/nchw" : name;
                built.put(self, new KerasTensor(graph.rename(t.value(), finalName), t.channelsFirst()));
            } catch (TensorGraphException | IllegalArgumentException e) {
                throw cfg.fail(e.getMessage());
            }
            return true;
        }

        /** A graph input of batch_input_shape (Keras 2) or batch_shape (Keras 3); null sizes become symbols. */
        private KerasTensor input(LayerConfig cfg) {
            String dtype = cfg.string("dtype", "float32");
            if (!dtype.equals("float32")) throw cfg.fail("input dtype '" + dtype + "' is not supported, only float32");
            JsonNode shape = cfg.has("batch_input_shape") ? cfg.raw("batch_input_shape") : cfg.raw("batch_shape");
            if (!shape.isArray() || shape.isEmpty()) throw cfg.fail("has no batch_input_shape");
            List<Dim> dims = new ArrayList<>();
            for (int i = 0; i < shape.size(); i++) {
                JsonNode d = shape.get(i);
                if (d.isNull()) dims.add(Dim.symbol(i == 0 ? "N" : cfg.layer().name() + "_d" + i));
                else if (d.isIntegralNumber() && d.asLong() > 0) dims.add(Dim.of(d.asLong()));
                else throw cfg.fail("batch_input_shape " + shape + " must hold positive sizes or null");
            }
            return new KerasTensor(graph.input(cfg.layer().name(), new TensorType(ElementType.FLOAT32, new TensorShape(dims))), false);
        }
    }
}
