package dev.kiln.engine;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.Infer;
import dev.kiln.ir.rel.ModelRef;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.ReductionOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.tensor.TensorValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tensor graphs around an image model, built in the shared IR: the per-image preprocessing
 * (the image source's UINT8 [h, w, c] BGR pixels to the model's input: float, resized, channel
 * order, scaled, normalized, laid out NCHW or NHWC) and the post-processing appended to the model
 * graph itself (softmax, top k, class labels), so that the executor runs the model and its
 * decoding as one graph.
 */
final class ImageModels {
    private ImageModels() {}

    /** How images become the model's input; a width of 0 keeps the image's aspect: ceil(height * w / h), as PaddleOCR's recognizer resizes a line. */
    record Preprocess(int height, int width, boolean rgb, float scale, float[] mean, float[] std, boolean nchw) {
        boolean keepAspect() {
            return width == 0;
        }
    }

    /**
     * The column of the pixels {@code column} names: an image struct's {@code data} field (an
     * image table's {@code image} is the struct), or a column of pixels itself.
     */
    static int pixels(dev.kiln.frontend.plan.Relation input, String method, String column) {
        Optional<Integer> data = input.rel().schema().indexOf(column + ".data");
        return data.isPresent() ? data.get() : input.columnIndex(method, column);
    }

    private static Optional<String> in(String v) {
        return Optional.of(v);
    }

    /** One image [1, H, W, 3] (any size) to the model's input [1, 3, h, w] or [1, h, w, 3]. */
    static TensorGraph preprocess(Preprocess p) {
        List<TensorNode> nodes = new ArrayList<>();
        Map<String, Tensor> init = new LinkedHashMap<>();
        TensorType image = new TensorType(ElementType.UINT8, TensorShape.of(Dim.of(1), Dim.symbol("H"), Dim.symbol("W"), Dim.of(3)));
        nodes.add(new TensorNode("to_float", new ElementwiseOp.Cast(ElementType.FLOAT32), List.of(in("image")), List.of("f")));
        if (p.keepAspect()) {
            keepAspectSizes(p.height(), nodes, init);
        } else {
            init.put("sizes", Tensor.int64(new long[] {4}, 1, p.height(), p.width(), 3));
        }
        nodes.add(new TensorNode("resize", new LayoutOp.Resize(LayoutOp.ResizeMode.LINEAR, LayoutOp.CoordinateTransform.HALF_PIXEL,
                LayoutOp.NearestMode.ROUND_PREFER_FLOOR, List.of()), List.of(in("f"), Optional.empty(), Optional.empty(), in("sizes")), List.of("resized")));
        String last = "resized";
        if (p.rgb()) {
            init.put("bgr_to_rgb", Tensor.int64(new long[] {3}, 2, 1, 0));
            nodes.add(new TensorNode("channels", new LayoutOp.Gather(3), List.of(in(last), in("bgr_to_rgb")), List.of("ordered")));
            last = "ordered";
        }
        init.put("scale", Tensor.floats(new long[] {1}, p.scale()));
        nodes.add(new TensorNode("scaled", new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.MUL), List.of(in(last), in("scale")), List.of("scaled")));
        init.put("mean", Tensor.floats(new long[] {3}, p.mean()));
        init.put("std", Tensor.floats(new long[] {3}, p.std()));
        nodes.add(new TensorNode("centered", new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.SUB), List.of(in("scaled"), in("mean")), List.of("centered")));
        String out = p.nchw() ? "normalized" : "pixels";
        nodes.add(new TensorNode("normalized", new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.DIV), List.of(in("centered"), in("std")), List.of(out)));
        Dim w = p.keepAspect() ? Dim.symbol("resized_w") : Dim.of(p.width());
        TensorShape shape = p.nchw() ? TensorShape.of(Dim.of(1), Dim.of(3), Dim.of(p.height()), w) : TensorShape.of(Dim.of(1), Dim.of(p.height()), w, Dim.of(3));
        if (p.nchw()) nodes.add(new TensorNode("nchw", new LayoutOp.Transpose(List.of(0L, 3L, 1L, 2L)), List.of(in("normalized")), List.of("pixels")));
        return new TensorGraph("image_preprocess", List.of(new TensorValue("image", image)),
                List.of(new TensorValue("pixels", new TensorType(ElementType.FLOAT32, shape))), nodes, init);
    }

    /** sizes = [1, height, ceil(height * W / H), 3] from the image's own shape [1, H, W, 3], as graph nodes. */
    private static void keepAspectSizes(int height, List<TensorNode> nodes, Map<String, Tensor> init) {
        init.put("$h_index", Tensor.int64(new long[] {1}, 1));
        init.put("$w_index", Tensor.int64(new long[] {1}, 2));
        init.put("$target_h", Tensor.floats(new long[] {1}, height));
        init.put("$lead", Tensor.int64(new long[] {2}, 1, height));
        init.put("$channels", Tensor.int64(new long[] {1}, 3));
        nodes.add(new TensorNode("shape", new LayoutOp.Shape(0, Optional.empty()), List.of(in("image")), List.of("$shape")));
        nodes.add(new TensorNode("h", new LayoutOp.Gather(0), List.of(in("$shape"), in("$h_index")), List.of("$h")));
        nodes.add(new TensorNode("w", new LayoutOp.Gather(0), List.of(in("$shape"), in("$w_index")), List.of("$w")));
        nodes.add(new TensorNode("h_float", new ElementwiseOp.Cast(ElementType.FLOAT64), List.of(in("$h")), List.of("$hf")));
        nodes.add(new TensorNode("w_float", new ElementwiseOp.Cast(ElementType.FLOAT64), List.of(in("$w")), List.of("$wf")));
        nodes.add(new TensorNode("target_h", new ElementwiseOp.Cast(ElementType.FLOAT64), List.of(in("$target_h")), List.of("$thf")));
        nodes.add(new TensorNode("scaled_w", new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.MUL), List.of(in("$wf"), in("$thf")), List.of("$sw")));
        nodes.add(new TensorNode("ratio_w", new ElementwiseOp.Binary(ElementwiseOp.BinaryFn.DIV), List.of(in("$sw"), in("$hf")), List.of("$rw")));
        nodes.add(new TensorNode("ceil_w", new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.CEIL), List.of(in("$rw")), List.of("$cw")));
        nodes.add(new TensorNode("new_w", new ElementwiseOp.Cast(ElementType.INT64), List.of(in("$cw")), List.of("$nw")));
        nodes.add(new TensorNode("sizes", new LayoutOp.Concat(0), List.of(in("$lead"), in("$nw"), in("$channels")), List.of("sizes")));
    }

    /**
     * A recognizer's decoder as a graph of its own: class probabilities [N, T, C] → the best class
     * per step (ArgMax) → CTC greedy decoding into text, STRING [N] (output {@code text}).
     */
    static TensorGraph ctcDecoder(String model, TensorValue probs, List<String> labels, int blank) {
        if (probs.type().rank() != 3) throw new KilnException("CREATE MODEL " + model + ": a CTC decoder needs [batch, steps, classes] scores, but output " + probs.name() + " is " + probs.type());
        if (probs.type().shape().dim(2) instanceof Dim.Fixed f && f.size() != labels.size()) {
            throw new KilnException("CREATE MODEL " + model + ": output " + probs.name() + " scores " + f.size() + " classes, but the keys give " + labels.size()
                    + " (the blank, " + (labels.size() - 1) + " keys with the space)");
        }
        Dim n = probs.type().shape().dim(0);
        List<TensorNode> nodes = List.of(
                new TensorNode("best_class", new ReductionOp.ArgMax(2, false, false), List.of(in("scores")), List.of("best")),
                new TensorNode("ctc", new dev.kiln.ir.tensor.TextOp.CtcDecode(labels, blank), List.of(in("best")), List.of("text")));
        return new TensorGraph(model + "_ctc", List.of(new TensorValue("scores", new TensorType(probs.type().element(), probs.type().shape()))),
                List.of(new TensorValue("text", new TensorType(ElementType.STRING, TensorShape.of(n)))), nodes, Map.of());
    }

    /**
     * The model graph with its first output decoded: optionally a softmax over classes, then the
     * top k scores and class indices, and with labels the class names, as outputs
     * "scores", "indices" and "labels" (in place of the model's own outputs).
     */
    static TensorGraph withTopK(TensorGraph model, boolean softmax, int k, Optional<List<String>> labels) {
        if (k < 1) throw new KilnException("topK must be at least 1, not " + k);
        List<TensorNode> nodes = new ArrayList<>(model.nodes());
        Map<String, Tensor> init = new LinkedHashMap<>(model.initializers());
        TensorValue out = model.outputs().getFirst();
        if (out.type().rank() != 2) {
            throw new KilnException("model " + model.name() + ": its output " + out.name() + " is " + out.type() + "; decoding predictions needs [batch, classes]");
        }
        String probs = out.name();
        if (softmax) {
            nodes.add(new TensorNode("$softmax", new NeuralOp.Softmax(1), List.of(in(probs)), List.of("$probs")));
            probs = "$probs";
        }
        init.put("$k", Tensor.int64(new long[] {1}, k));
        // k = 1 gives one class per row: outputs [batch], which become scalar columns a query filters and groups on
        boolean one = k == 1;
        String scores = one ? "$scores" : "scores", indices = one ? "$indices" : "indices";
        nodes.add(new TensorNode("$topk", new ReductionOp.TopK(1, true, true), List.of(in(probs), in("$k")), List.of(scores, indices)));
        if (one) {
            init.put("$flat", Tensor.int64(new long[] {1}, -1));
            nodes.add(new TensorNode("$scores1", new LayoutOp.Reshape(false), List.of(in(scores), in("$flat")), List.of("scores")));
            nodes.add(new TensorNode("$indices1", new LayoutOp.Reshape(false), List.of(in(indices), in("$flat")), List.of("indices")));
        }
        Dim batch = out.type().shape().dim(0);
        TensorShape perRow = one ? TensorShape.of(batch) : TensorShape.of(batch, Dim.of(k));
        List<TensorValue> outs = new ArrayList<>(List.of(new TensorValue("scores", new TensorType(out.type().element(), perRow)),
                new TensorValue("indices", new TensorType(ElementType.INT64, perRow))));
        if (labels.isPresent()) {
            List<String> l = labels.get();
            if (out.type().shape().dim(1) instanceof Dim.Fixed f && f.size() != l.size()) {
                throw new KilnException("model " + model.name() + " has " + f.size() + " classes but " + l.size() + " labels were given");
            }
            init.put("$labels", Tensor.strings(new long[] {l.size()}, l.toArray(String[]::new)));
            nodes.add(new TensorNode("$decode", new LayoutOp.Gather(0), List.of(in("$labels"), in("indices")), List.of("labels")));
            outs.add(new TensorValue("labels", new TensorType(ElementType.STRING, perRow)));
        }
        return new TensorGraph(model.name(), model.inputs(), outs, nodes, init);
    }

    /** A model over the image column, and its decoded outputs as columns named {@code outputCol}_scores, _indices (and _labels). */
    static Rel predict(Rel input, int imageColumn, ModelRef model, Preprocess p, boolean softmax, int k, Optional<List<String>> labels, String outputCol) {
        int width = input.schema().size();
        Rel pixels = pixels(input, imageColumn, model, p);
        ModelRef decoded = derived(List.of(model, "top", k, softmax, labels), model, "$top" + k + (softmax ? "s" : "") + (labels.isPresent() ? "l" : ""),
                () -> withTopK(model.graph(), softmax, k, labels));
        List<Infer.Output> outs = new ArrayList<>(List.of(new Infer.Output("scores", outputCol + "_scores"), new Infer.Output("indices", outputCol + "_indices")));
        if (labels.isPresent()) outs.add(new Infer.Output("labels", outputCol + "_labels"));
        Rel predicted = new Infer(pixels, decoded, List.of(width), outs);
        return dropColumn(predicted, width);
    }

    /** The model's named output (an embedding) for each image, as column {@code outputCol}. */
    static Rel featurize(Rel input, int imageColumn, ModelRef model, Preprocess p, String modelOutput, String outputCol) {
        int width = input.schema().size();
        Rel pixels = pixels(input, imageColumn, model, p);
        return dropColumn(new Infer(pixels, model, List.of(width), List.of(new Infer.Output(modelOutput, outputCol))), width);
    }

    /** The input with each image preprocessed for the model appended (one row at a time: images differ in size). */
    private static Rel pixels(Rel input, int imageColumn, ModelRef model, Preprocess p) {
        // the settings by content (the record's arrays compare by identity)
        List<Object> key = List.of(model, "preprocess", p.height(), p.width(), p.rgb(), p.scale(), p.nchw(),
                java.util.Arrays.toString(p.mean()), java.util.Arrays.toString(p.std()));
        ModelRef prep = derived(key, model, "$preprocess", () -> preprocess(p));
        return new Infer(input, prep, List.of(imageColumn), List.of(new Infer.Output("pixels", "$pixels")));
    }

    /**
     * The graphs built around a model, one per distinct model and settings: the same object for
     * every query that asks for them, so that a compiled runner (cached by graph) serves them all,
     * each with a name of its own (models compare by name and version).
     */
    private static final Map<List<Object>, ModelRef> DERIVED = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Object>, ModelRef> eldest) {
            return size() > 32;
        }
    };
    private static long derivedCount;

    private static synchronized ModelRef derived(List<Object> key, ModelRef model, String what, java.util.function.Supplier<TensorGraph> graph) {
        return DERIVED.computeIfAbsent(key, k -> new ModelRef(model.name() + what + "#" + ++derivedCount, model.version(), graph.get()));
    }

    private static Rel dropColumn(Rel r, int column) {
        var s = r.schema();
        List<dev.kiln.ir.expr.Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < s.size(); c++) {
            if (c == column) continue;
            exprs.add(new dev.kiln.ir.expr.ColumnRef(c, s.field(c).type(), s.field(c).nullable()));
            names.add(s.field(c).name());
        }
        return new dev.kiln.ir.rel.Project(r, exprs, names);
    }
}
