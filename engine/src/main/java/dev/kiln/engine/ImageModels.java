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

    /** How images become the model's input. */
    record Preprocess(int height, int width, boolean rgb, float scale, float[] mean, float[] std, boolean nchw) {}

    private static Optional<String> in(String v) {
        return Optional.of(v);
    }

    /** One image [1, H, W, 3] (any size) to the model's input [1, 3, h, w] or [1, h, w, 3]. */
    static TensorGraph preprocess(Preprocess p) {
        List<TensorNode> nodes = new ArrayList<>();
        Map<String, Tensor> init = new LinkedHashMap<>();
        TensorType image = new TensorType(ElementType.UINT8, TensorShape.of(Dim.of(1), Dim.symbol("H"), Dim.symbol("W"), Dim.of(3)));
        nodes.add(new TensorNode("to_float", new ElementwiseOp.Cast(ElementType.FLOAT32), List.of(in("image")), List.of("f")));
        init.put("sizes", Tensor.int64(new long[] {4}, 1, p.height(), p.width(), 3));
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
        TensorShape shape = p.nchw() ? TensorShape.of(1, 3, p.height(), p.width()) : TensorShape.of(1, p.height(), p.width(), 3);
        if (p.nchw()) nodes.add(new TensorNode("nchw", new LayoutOp.Transpose(List.of(0L, 3L, 1L, 2L)), List.of(in("normalized")), List.of("pixels")));
        return new TensorGraph("image_preprocess", List.of(new TensorValue("image", image)),
                List.of(new TensorValue("pixels", new TensorType(ElementType.FLOAT32, shape))), nodes, init);
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
        ModelRef prep = new ModelRef(model.name() + "$preprocess" + Integer.toHexString(p.hashCode() ^ java.util.Arrays.hashCode(p.mean()) ^ java.util.Arrays.hashCode(p.std())),
                model.version(), preprocess(p));
        int width = input.schema().size();
        Rel pixels = new Infer(input, prep, List.of(imageColumn), List.of(new Infer.Output("pixels", "$pixels")));
        ModelRef decoded = new ModelRef(model.name() + "$top" + k + (softmax ? "s" : "") + (labels.isPresent() ? "l" + labels.get().hashCode() : ""),
                model.version(), withTopK(model.graph(), softmax, k, labels));
        List<Infer.Output> outs = new ArrayList<>(List.of(new Infer.Output("scores", outputCol + "_scores"), new Infer.Output("indices", outputCol + "_indices")));
        if (labels.isPresent()) outs.add(new Infer.Output("labels", outputCol + "_labels"));
        Rel predicted = new Infer(pixels, decoded, List.of(width), outs);
        return dropColumn(predicted, width);
    }

    /** The model's named output (an embedding) for each image, as column {@code outputCol}. */
    static Rel featurize(Rel input, int imageColumn, ModelRef model, Preprocess p, String modelOutput, String outputCol) {
        ModelRef prep = new ModelRef(model.name() + "$preprocess" + Integer.toHexString(p.hashCode() ^ java.util.Arrays.hashCode(p.mean()) ^ java.util.Arrays.hashCode(p.std())),
                model.version(), preprocess(p));
        int width = input.schema().size();
        Rel pixels = new Infer(input, prep, List.of(imageColumn), List.of(new Infer.Output("pixels", "$pixels")));
        return dropColumn(new Infer(pixels, model, List.of(width), List.of(new Infer.Output(modelOutput, outputCol))), width);
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
