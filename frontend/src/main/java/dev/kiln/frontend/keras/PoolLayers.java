package dev.kiln.frontend.keras;

import dev.kiln.ir.tensor.AutoPad;
import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.TensorOp;
import dev.kiln.ir.tensor.Window;

/**
 * 2-D pooling on NCHW values. TensorFlow's average pool with 'same' padding divides by the window
 * positions inside the input, which is ONNX's count_include_pad = 0.
 */
final class PoolLayers {
    private PoolLayers() {}

    static KerasTensor maxPool(LayerContext cx) {
        return pool(cx, w -> new NeuralOp.MaxPool(w, false), "maxpool");
    }

    static KerasTensor averagePool(LayerContext cx) {
        return pool(cx, w -> new NeuralOp.AveragePool(w, false, false), "avgpool");
    }

    static KerasTensor globalAverage(LayerContext cx) {
        return global(cx, new NeuralOp.GlobalAveragePool(), "avgpool");
    }

    static KerasTensor globalMax(LayerContext cx) {
        return global(cx, new NeuralOp.GlobalMaxPool(), "maxpool");
    }

    private static KerasTensor pool(LayerContext cx, java.util.function.Function<Window, TensorOp> op, String what) {
        LayerConfig c = cx.cfg();
        c.requireChannelsLast();
        long[] size = c.longs("pool_size", 2, new long[] {2, 2});
        // strides null means "the pool size" in Keras
        long[] strides = c.longs("strides", 2, size);
        Window w = Window.kernel(size).withStrides(strides).withAutoPad(c.samePadding() ? AutoPad.SAME_UPPER : AutoPad.VALID);
        return new KerasTensor(cx.emit(what, op.apply(w), cx.nchw(cx.input())), true);
    }

    /** [N, C, 1, 1], flattened to Keras's [N, C] unless keepdims. */
    private static KerasTensor global(LayerContext cx, TensorOp op, String what) {
        cx.cfg().requireChannelsLast();
        String y = cx.emit(what, op, cx.nchw(cx.input()));
        if (cx.cfg().bool("keepdims", false)) return new KerasTensor(y, true);
        return new KerasTensor(cx.emit("flatten", new LayoutOp.Flatten(1), y), false);
    }
}
