package dev.kiln.frontend.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;

/** Dense, the activation layers, and the layers that only move or pass data. */
final class CoreLayers {
    private CoreLayers() {}

    /** kernel [in, units] on the last axis: Gemm for rank 2, MatMul + Add otherwise. */
    static KerasTensor dense(LayerContext cx) {
        KerasTensor in = cx.input();
        long units = cx.cfg().integer("units"), inputs = cx.fixedDim(in, -1);
        String kernel = cx.constant("kernel", cx.weight("kernel", inputs, units));
        String bias = cx.cfg().bool("use_bias", true) ? cx.constant("bias", cx.weight("bias", units)) : "";
        String x = cx.nhwc(in), y;
        if (cx.rank(in) == 2) {
            y = cx.emit("gemm", new NeuralOp.Gemm(1f, 1f, false, false), x, kernel, bias);
        } else {
            y = cx.emit("matmul", new NeuralOp.MatMul(), x, kernel);
            if (!bias.isEmpty()) y = cx.emit("bias", new ElementwiseOp.Binary(BinaryFn.ADD), y, bias);
        }
        return Activations.apply(cx, new KerasTensor(y, false));
    }

    static KerasTensor activation(LayerContext cx) {
        return Activations.apply(cx, cx.input());
    }

    /**
     * Keras's ReLU layer: max_value caps (relu6 is max_value 6), negative_slope leaks; a threshold,
     * or a cap with a leak, has no single IR op and is refused.
     */
    static KerasTensor relu(LayerContext cx) {
        LayerConfig c = cx.cfg();
        KerasTensor in = cx.input();
        double slope = c.number("negative_slope", 0), threshold = c.number("threshold", 0);
        var max = c.optionalNumber("max_value");
        if (threshold != 0 || (slope != 0 && max.isPresent())) {
            throw cx.fail("threshold " + threshold + " with negative_slope " + slope + " and max_value " + max.orElse(null)
                    + " is not supported (only max_value or negative_slope alone)");
        }
        String y;
        if (slope != 0) y = cx.emit("leaky_relu", new ElementwiseOp.LeakyRelu((float) slope), in.value());
        else if (max.isPresent()) y = Activations.clip(cx, in.value(), 0, max.get());
        else y = cx.emit("relu", new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.RELU), in.value());
        return new KerasTensor(y, in.channelsFirst());
    }

    static KerasTensor leakyRelu(LayerContext cx) {
        KerasTensor in = cx.input();
        // Keras 2 calls the slope alpha (default 0.3), Keras 3 negative_slope
        double alpha = cx.cfg().number("alpha", cx.cfg().number("negative_slope", 0.3));
        return new KerasTensor(cx.emit("leaky_relu", new ElementwiseOp.LeakyRelu((float) alpha), in.value()), in.channelsFirst());
    }

    static KerasTensor softmax(LayerContext cx) {
        KerasTensor in = cx.input();
        return new KerasTensor(cx.emit("softmax", new NeuralOp.Softmax(cx.irAxis(in, cx.cfg().integer("axis", -1))), in.value()),
                in.channelsFirst());
    }

    /** Dropout and noise layers do nothing at inference. */
    static KerasTensor identity(LayerContext cx) {
        KerasTensor in = cx.input();
        return new KerasTensor(cx.emit("identity", new ElementwiseOp.Identity(), in.value()), in.channelsFirst());
    }

    /** Keras flattens channels-last element order, so an NCHW value is transposed back first. */
    static KerasTensor flatten(LayerContext cx) {
        cx.cfg().requireChannelsLast();
        return new KerasTensor(cx.emit("flatten", new LayoutOp.Flatten(1), cx.nhwc(cx.input())), false);
    }

    /**
     * target_shape excludes the batch axis, which 0 in ONNX Reshape's shape copies. A -1 is worked
     * out here from the input's other sizes, as Keras does: the IR cannot divide out a symbolic batch.
     */
    static KerasTensor reshape(LayerContext cx) {
        JsonNode target = cx.cfg().raw("target_shape");
        KerasTensor in = cx.input();
        if (!target.isArray()) throw cx.fail("config 'target_shape' must be a list, not " + target);
        long[] shape = new long[target.size() + 1];
        int unknown = -1;
        long known = 1, total = 1;
        for (int i = 0; i < target.size(); i++) {
            long d = target.get(i).asLong();
            if (!target.get(i).isIntegralNumber() || d == 0 || d < -1 || (d == -1 && unknown >= 0)) {
                throw cx.fail("target_shape " + target + " must hold positive sizes and at most one -1");
            }
            if (d == -1) unknown = i + 1;
            else known *= d;
            shape[i + 1] = d;
        }
        for (int a = 1; a < cx.rank(in); a++) total *= cx.fixedDim(in, a);
        if (unknown >= 0 ? total % known != 0 : total != known) {
            throw cx.fail("cannot reshape " + cx.kerasShape(in) + " to target_shape " + target);
        }
        if (unknown >= 0) shape[unknown] = total / known;
        String s = cx.constant("shape", Tensor.vector(shape));
        return new KerasTensor(cx.emit("reshape", new LayoutOp.Reshape(false), cx.nhwc(in), s), false);
    }

    /** padding: n, [h, w] (both sides) or [[top, bottom], [left, right]]; zeros around H and W. */
    static KerasTensor zeroPadding(LayerContext cx) {
        LayerConfig c = cx.cfg();
        c.requireChannelsLast();
        JsonNode p = c.raw("padding");
        long top, bottom, left, right;
        if (p.isArray() && p.size() == 2 && p.get(0).isArray() && p.get(1).isArray()) {
            top = side(cx, p.get(0), 0);
            bottom = side(cx, p.get(0), 1);
            left = side(cx, p.get(1), 0);
            right = side(cx, p.get(1), 1);
        } else {
            long[] hw = c.longs("padding", 2, new long[] {1, 1});
            top = bottom = hw[0];
            left = right = hw[1];
        }
        String pads = cx.constant("pads", Tensor.vector(0, 0, top, left, 0, 0, bottom, right));
        return new KerasTensor(cx.emit("pad", new LayoutOp.Pad(LayoutOp.PadMode.CONSTANT), cx.nchw(cx.input()), pads), true);
    }

    private static long side(LayerContext cx, JsonNode pair, int i) {
        if (pair.size() != 2 || !pair.get(i).isIntegralNumber() || pair.get(i).asLong() < 0) {
            throw cx.fail("padding " + cx.cfg().raw("padding") + " must be [[top, bottom], [left, right]] of non-negative integers");
        }
        return pair.get(i).asLong();
    }
}
