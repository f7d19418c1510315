package dev.kiln.frontend.onnx;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorGraphException;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorShapeInference;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Imports an ONNX model (default domain, opset 7 and later) into a {@link TensorGraph}. Each node
 * is lowered by its op's {@link OpLowering} onto the tensor IR's ops, which follow the latest
 * opset: attributes older opsets used for values become constant inputs, {@code Constant} nodes
 * become initializers, graph inputs that have an initializer are constants, and Dropout and
 * Identity become identities. Nodes are typed as they are added, so a shape or type error names
 * the ONNX node; the finished graph is then checked by {@link TensorShapeInference}.
 */
public final class OnnxImporter {
    /** The oldest default-domain opset imported: opset 7 made broadcasting numpy's, which the IR assumes. */
    public static final long MIN_OPSET = 7;

    /**
     * Ops whose definition has not changed in meaning since opset 1 (only in the types they take,
     * and the legacy {@code consumed_inputs} attribute, which is refused as any unread attribute
     * is), so that they are imported from older models too.
     */
    private static final java.util.Set<String> UNCHANGED_SINCE_OPSET_1 = java.util.Set.of("Relu", "Sigmoid", "Tanh", "Exp", "Log",
            "Sqrt", "Neg", "Abs", "Reciprocal", "Floor", "Ceil", "Softplus", "Not", "HardSigmoid", "LeakyRelu", "GlobalAveragePool",
            "GlobalMaxPool", "Identity", "MatMul", "Shape", "Transpose");

    private static final Map<String, OpLowering> OPS = lowerings();
    /** The ops of the {@code ai.onnx.ml} domain Kiln imports: tree ensembles and linear regression. */
    private static final Map<String, OpLowering> ML_OPS = mlLowerings();

    private OnnxImporter() {}

    private static Map<String, OpLowering> lowerings() {
        Map<String, OpLowering> ops = new TreeMap<>();
        NeuralLowerings.register(ops);
        ElementwiseLowerings.register(ops);
        LayoutLowerings.register(ops);
        ReductionLowerings.register(ops);
        QuantizedLowerings.register(ops);
        return Collections.unmodifiableMap(ops);
    }

    private static Map<String, OpLowering> mlLowerings() {
        Map<String, OpLowering> ops = new TreeMap<>();
        TreeLowerings.register(ops);
        LinearLowerings.register(ops);
        return Collections.unmodifiableMap(ops);
    }

    /** The op types of the {@code ai.onnx.ml} domain Kiln imports, sorted. */
    public static SortedSet<String> supportedMlOps() {
        return new TreeSet<>(ML_OPS.keySet());
    }

    /** The ONNX op types (default domain) Kiln imports, sorted. */
    public static SortedSet<String> supportedOps() {
        return new TreeSet<>(OPS.keySet());
    }

    public static TensorGraph importModel(Path file) {
        return importModel(OnnxModel.read(file), file.toString());
    }

    public static TensorGraph importModel(OnnxModel model) {
        return importModel(model, model.graph().name().isEmpty() ? "model" : "model '" + model.graph().name() + "'");
    }

    /** {@code source} names the model in errors (a file name, a resource). */
    public static TensorGraph importModel(OnnxModel model, String source) {
        try {
            return new OnnxImporter.Run(model, source).run();
        } catch (OnnxImportException e) {
            throw new OnnxImportException(source + ": " + e.getMessage(), e);
        }
    }

    /** The state of one import. */
    private static final class Run {
        private final OnnxModel model;
        private final OnnxGraph onnx;
        private final String source;
        private final long opset;

        Run(OnnxModel model, String source) {
            this.model = model;
            this.onnx = model.graph();
            this.source = source;
            // a model of ai.onnx.ml nodes only (a converted tree ensemble) may import no default-domain opset
            boolean defaultNodes = onnx.nodes().stream().anyMatch(n -> n.domain().isEmpty() || n.domain().equals("ai.onnx"));
            this.opset = model.defaultOpset().orElseGet(() -> {
                if (defaultNodes) throw new OnnxImportException("the model imports no default-domain (ai.onnx) opset");
                return MIN_OPSET;
            });
        }

        TensorGraph run() {
            if (opset < MIN_OPSET) {
                List<String> changed = onnx.nodes().stream().filter(n -> n.domain().isEmpty() || n.domain().equals("ai.onnx"))
                        .map(OnnxNode::opType).filter(op -> !UNCHANGED_SINCE_OPSET_1.contains(op))
                        .distinct().sorted().toList();
                if (!changed.isEmpty()) {
                    throw new OnnxImportException("opset " + opset + " is older than Kiln supports (" + MIN_OPSET + " and later) for "
                            + changed + "; convert the model with onnx.version_converter");
                }
            }
            Map<String, Tensor> initializers = new LinkedHashMap<>();
            for (OnnxTensor t : onnx.initializers()) initializers.put(t.name(), toTensor(t, "initializer '" + t.name() + "'"));
            List<TensorValue> inputs = new ArrayList<>();
            for (OnnxValueInfo in : onnx.feedInputs()) inputs.add(new TensorValue(in.name(), declaredType(in, "input")));
            ImportGraph graph = new ImportGraph(inputs, initializers, valueNames());
            Set<String> consumed = consumedValues();
            for (int i = 0; i < onnx.nodes().size(); i++) lower(onnx.nodes().get(i), i, graph, consumed);
            List<TensorValue> outputs = new ArrayList<>();
            for (OnnxValueInfo out : onnx.outputs()) outputs.add(new TensorValue(out.name(), outputType(out, graph)));
            TensorGraph g = new TensorGraph(onnx.name().isEmpty() ? "model" : onnx.name(), inputs, outputs, graph.nodes(), graph.initializers());
            try {
                TensorShapeInference.infer(g);
            } catch (TensorGraphException e) {
                throw new OnnxImportException("the imported graph does not type: " + e.getMessage(), e);
            }
            return g;
        }

        private void lower(OnnxNode node, int index, ImportGraph graph, Set<String> consumed) {
            boolean ml = node.domain().equals(TreeLowerings.DOMAIN);
            long nodeOpset = ml ? model.opsetImports().stream().filter(o -> o.domain().equals(TreeLowerings.DOMAIN)).mapToLong(OnnxOpset::version).max().orElse(1) : opset;
            ImportNode n = new ImportNode(node, index, nodeOpset, graph, consumed);
            if (!(node.domain().isEmpty() || node.domain().equals("ai.onnx") || ml)) {
                String fn = model.functionNames().contains(node.domain() + ":" + node.opType()) ? " (a model-local function, which Kiln does not inline)" : "";
                throw n.fail("domain '" + node.domain() + "'" + fn + " is not supported by Kiln; only the default ONNX domain and "
                        + TreeLowerings.DOMAIN + " (" + String.join(", ", ML_OPS.keySet()) + ") are");
            }
            OpLowering lowering = (ml ? ML_OPS : OPS).get(node.opType());
            if (lowering == null) {
                throw n.fail(node.opType() + " is not supported by Kiln; supported ops" + (ml ? " of " + TreeLowerings.DOMAIN : "") + " are "
                        + String.join(", ", (ml ? ML_OPS : OPS).keySet()));
            }
            try {
                lowering.lower(n);
            } catch (OnnxImportException e) {
                throw e;
            } catch (KilnException | IllegalArgumentException | IllegalStateException e) {
                throw n.fail(e.getMessage());
            }
            n.requireAllAttributesRead();
        }

        private Tensor toTensor(OnnxTensor t, String what) {
            try {
                return OnnxTensors.toTensor(t, what);
            } catch (IllegalArgumentException e) {
                throw new OnnxImportException(what + ": " + e.getMessage());
            }
        }

        /** An input's declared type; an unknown dim becomes a symbol named after the input and axis. */
        private static TensorType declaredType(OnnxValueInfo v, String kind) {
            OnnxType.TensorType t;
            try {
                t = v.tensorType();
            } catch (KilnException e) {
                throw new OnnxImportException(kind + " " + e.getMessage());
            }
            var element = OnnxTensors.requireElementType(t.elementType(), kind + " '" + v.name() + "'");
            List<OnnxDim> dims = t.shape().orElseThrow(() -> new OnnxImportException(kind + " '" + v.name()
                    + "' has no declared shape; Kiln needs at least its rank"));
            List<Dim> out = new ArrayList<>();
            for (int i = 0; i < dims.size(); i++) {
                out.add(switch (dims.get(i)) {
                    case OnnxDim.Known(long size) -> Dim.of(size);
                    case OnnxDim.Symbolic(String name) -> Dim.symbol(name);
                    case OnnxDim.Unknown() -> Dim.symbol(v.name() + "_d" + i);
                });
            }
            return new TensorType(element, new TensorShape(out));
        }

        /**
         * An output's type as computed, checked against what the model declares; a dim that is
         * computed as a symbol takes the declared dim_param name, which is the one users know.
         */
        private static TensorType outputType(OnnxValueInfo out, ImportGraph graph) {
            TensorType computed = graph.type(out.name()).orElseThrow(() ->
                    new OnnxImportException("output '" + out.name() + "' is not computed by any node, input or initializer"));
            if (out.type().isEmpty() || !(out.type().get() instanceof OnnxType.TensorType declared)) return computed;
            String problem = "";
            var element = OnnxTensors.elementType(declared.elementType());
            if (element.isEmpty() || element.get() != computed.element()) problem = "element type";
            List<Dim> dims = new ArrayList<>(computed.shape().dims());
            if (problem.isEmpty() && declared.shape().isPresent()) {
                List<OnnxDim> d = declared.shape().get();
                if (d.size() != dims.size()) problem = "rank";
                for (int i = 0; problem.isEmpty() && i < d.size(); i++) {
                    if (d.get(i) instanceof OnnxDim.Known(long size) && dims.get(i) instanceof Dim.Fixed f && f.size() != size) problem = "dim " + i;
                    if (d.get(i) instanceof OnnxDim.Symbolic(String name) && dims.get(i) instanceof Dim.Symbolic) dims.set(i, Dim.symbol(name));
                }
            }
            if (!problem.isEmpty()) {
                throw new OnnxImportException("output '" + out.name() + "' is declared " + declared + " but computes " + computed
                        + " (the " + problem + " differs)");
            }
            return new TensorType(computed.element(), new TensorShape(dims));
        }

        /** Every value name in the model, so made-up names avoid them. */
        private Set<String> valueNames() {
            Set<String> names = new HashSet<>();
            onnx.inputs().forEach(v -> names.add(v.name()));
            onnx.initializers().forEach(t -> names.add(t.name()));
            for (OnnxNode n : onnx.nodes()) names.addAll(n.outputs());
            names.remove("");
            return names;
        }

        /** The values some node or graph output reads. */
        private Set<String> consumedValues() {
            Set<String> used = new HashSet<>();
            for (OnnxNode n : onnx.nodes()) used.addAll(n.inputs());
            onnx.outputs().forEach(v -> used.add(v.name()));
            used.remove("");
            return used;
        }
    }
}
