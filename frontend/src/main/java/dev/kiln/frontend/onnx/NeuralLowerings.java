package dev.kiln.frontend.onnx;

import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.TensorShape;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ONNX convolutions, matrix products, normalizations and pools onto {@link NeuralOp}s. */
final class NeuralLowerings {
    private NeuralLowerings() {}

    static void register(Map<String, OpLowering> ops) {
        ops.put("Conv", n -> n.emit(new NeuralOp.Conv(WindowAttributes.read(n), group(n)), n.inputs(3), List.of(n.output0())));
        ops.put("ConvTranspose", n -> n.emit(new NeuralOp.ConvTranspose(WindowAttributes.read(n), group(n),
                n.ints("output_padding"), n.ints("output_shape")), n.inputs(3), List.of(n.output0())));
        ops.put("Gemm", n -> n.emit(new NeuralOp.Gemm(n.f("alpha", 1f), n.f("beta", 1f), n.flag("transA", false), n.flag("transB", false)),
                n.inputs(3), List.of(n.output0())));
        ops.put("MatMul", n -> n.emitSimple(new NeuralOp.MatMul(), List.of(n.requiredInput(0), n.requiredInput(1))));
        ops.put("BatchNormalization", NeuralLowerings::batchNorm);
        ops.put("Softmax", n -> softmax(n, false));
        ops.put("LogSoftmax", n -> softmax(n, true));
        ops.put("LayerNormalization", n -> {
            // stash_type says in which precision the statistics are computed; the IR computes them in double anyway
            n.ignore("stash_type");
            n.emit(new NeuralOp.LayerNormalization(n.i("axis", -1), n.f("epsilon", 1e-5f)), n.inputs(3), n.outputs(3));
        });
        ops.put("MaxPool", n -> {
            long order = n.i("storage_order", 0);
            if (order != 0 && order != 1) throw n.fail("storage_order must be 0 (row major) or 1 (column major), not " + order);
            // Indices only where a later node or the graph reads it
            n.emit(new NeuralOp.MaxPool(WindowAttributes.read(n), n.flag("ceil_mode", false), order == 1), n.inputs(1),
                    n.outputUsed(1) ? n.outputs(2) : List.of(n.output0()));
        });
        ops.put("AveragePool", n -> n.emit(new NeuralOp.AveragePool(WindowAttributes.read(n), n.flag("ceil_mode", false),
                n.flag("count_include_pad", false)), n.inputs(1), List.of(n.output0())));
        ops.put("GlobalAveragePool", n -> n.emitSimple(new NeuralOp.GlobalAveragePool(), List.of(n.requiredInput(0))));
        ops.put("GlobalMaxPool", n -> n.emitSimple(new NeuralOp.GlobalMaxPool(), List.of(n.requiredInput(0))));
    }

    private static long group(ImportNode n) {
        long g = n.i("group", 1);
        if (g < 1) throw n.fail("group must be at least 1, not " + g);
        return g;
    }

    /**
     * Inference only. Before opset 14 the number of outputs chose the mode: with the statistics
     * outputs present the op is in training mode, and even Y is normalized with the batch's own
     * statistics (ONNX Runtime does so), so a node with them is refused whether or not they are
     * read. From opset 14 training_mode says it, and the statistics exist only in training mode.
     */
    private static void batchNorm(ImportNode n) {
        n.ignore("momentum"); // only updates the running statistics in training
        if (n.opset() < 9 && n.i("spatial", 1) != 1) throw n.fail("spatial=0 (per-element statistics) is not supported by Kiln");
        if (n.flag("training_mode", false)) throw n.fail("training_mode=1 is not supported: Kiln imports models for inference");
        for (int i = 1; i < n.outputCount(); i++) {
            if (n.output(i).isPresent()) {
                throw n.fail("output " + i + " ('" + n.output(i).get() + "', a training statistic) is "
                        + (n.outputUsed(i) ? "used" : "present") + "; with it the node is in training mode, where Y is normalized"
                        + " with the batch's own statistics, but Kiln imports BatchNormalization for inference, where only Y exists");
            }
        }
        n.emitSimple(new NeuralOp.BatchNormalization(n.f("epsilon", 1e-5f)),
                List.of(n.requiredInput(0), n.requiredInput(1), n.requiredInput(2), n.requiredInput(3), n.requiredInput(4)));
    }

    /**
     * Before opset 13 Softmax flattened the input to 2-D at {@code axis} (default 1) and normalized
     * each row; that is the IR's per-axis Softmax only when the axis is the last one. Otherwise it
     * becomes Flatten → Softmax over axis 1 → Reshape back to the input's shape.
     */
    private static void softmax(ImportNode n, boolean log) {
        String x = n.requiredInput(0);
        int rank = n.type(x).rank();
        if (n.opset() >= 13) {
            n.emitSimple(log ? new NeuralOp.LogSoftmax(n.i("axis", -1)) : new NeuralOp.Softmax(n.i("axis", -1)), List.of(x));
            return;
        }
        long axis = n.i("axis", 1);
        int a;
        try {
            a = rank == 0 ? 0 : TensorShape.normalizeAxis(axis, rank);
        } catch (IllegalArgumentException e) {
            throw n.fail(e.getMessage());
        }
        if (a >= rank - 1) {
            n.emitSimple(log ? new NeuralOp.LogSoftmax(-1) : new NeuralOp.Softmax(-1), List.of(x));
            return;
        }
        String flat = n.helper(new LayoutOp.Flatten(a), List.of(Optional.of(x)), "flat");
        String shape = n.helper(new LayoutOp.Shape(0, Optional.empty()), List.of(Optional.of(x)), "shape");
        String rows = n.helper(log ? new NeuralOp.LogSoftmax(1) : new NeuralOp.Softmax(1), List.of(Optional.of(flat)), "rows");
        n.emit(new LayoutOp.Reshape(false), List.of(Optional.of(rows), Optional.of(shape)), List.of(n.output0()));
    }
}
