package dev.kiln.frontend.keras;

import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;

/** BatchNormalization (inference form, moving statistics) and Rescaling. */
final class NormalizationLayers {
    private NormalizationLayers() {}

    /**
     * ONNX BatchNormalization normalizes axis 1, so the Keras axis must land there: the channels of an
     * NCHW value, or axis 1 of a rank-2 one. Without {@code scale} gamma is 1, without {@code center}
     * beta is 0.
     */
    static KerasTensor batchNorm(LayerContext cx) {
        LayerConfig c = cx.cfg();
        KerasTensor in = cx.input();
        long axis = c.raw("axis").isArray() && c.raw("axis").size() == 1 ? c.raw("axis").get(0).asLong() : c.integer("axis", -1);
        KerasTensor x = cx.rank(in) == 4 ? new KerasTensor(cx.nchw(in), true) : in;
        if (cx.irAxis(x, axis) != 1) {
            throw cx.fail("normalizes axis " + axis + " of an input shaped " + cx.kerasShape(in)
                    + "; only the channel axis of a rank-4 input, or axis 1, is supported");
        }
        long n = cx.fixedDim(in, (int) (axis < 0 ? axis + cx.rank(in) : axis));
        float[] ones = new float[(int) n], zeros = new float[(int) n];
        java.util.Arrays.fill(ones, 1f);
        Tensor gamma = c.bool("scale", true) ? cx.weight("gamma", n) : Tensor.floats(new long[] {n}, ones);
        Tensor beta = c.bool("center", true) ? cx.weight("beta", n) : Tensor.floats(new long[] {n}, zeros);
        Tensor mean = cx.weight("moving_mean", n), variance = cx.weight("moving_variance", n);
        float eps = (float) c.number("epsilon", 1e-3);
        String y = cx.emit("batchnorm", new NeuralOp.BatchNormalization(eps), x.value(), cx.constant("gamma", gamma),
                cx.constant("beta", beta), cx.constant("moving_mean", mean), cx.constant("moving_variance", variance));
        return new KerasTensor(y, x.channelsFirst());
    }

    /** x * scale + offset, with scalar scale and offset. */
    static KerasTensor rescaling(LayerContext cx) {
        LayerConfig c = cx.cfg();
        KerasTensor in = cx.input();
        if (!c.raw("scale").isNumber() || (c.has("offset") && !c.raw("offset").isNumber())) {
            throw cx.fail("only scalar scale and offset are supported, not " + c.raw("scale") + " and " + c.raw("offset"));
        }
        String y = cx.emit("scale", new ElementwiseOp.Binary(BinaryFn.MUL), in.value(),
                cx.constant("scale", Tensor.scalar((float) c.number("scale", 1))));
        y = cx.emit("offset", new ElementwiseOp.Binary(BinaryFn.ADD), y,
                cx.constant("offset", Tensor.scalar((float) c.number("offset", 0))));
        return new KerasTensor(y, in.channelsFirst());
    }
}
