package dev.kiln.frontend.keras;

import dev.kiln.ir.tensor.AutoPad;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.Window;

/**
 * Conv2D, DepthwiseConv2D and SeparableConv2D as ONNX Conv on NCHW values. TensorFlow's 'same'
 * padding puts the odd pixel at the end, which is ONNX's SAME_UPPER.
 */
final class ConvLayers {
    private ConvLayers() {}

    static KerasTensor conv2d(LayerContext cx) {
        LayerConfig c = cx.cfg();
        c.requireChannelsLast();
        KerasTensor in = cx.input();
        long channels = cx.fixedDim(in, -1);
        long filters = c.integer("filters"), groups = c.integer("groups", 1);
        long[] k = c.longs("kernel_size", 2);
        if (channels % groups != 0 || filters % groups != 0) {
            throw cx.fail("groups " + groups + " must divide the input channels " + channels + " and filters " + filters);
        }
        String w = cx.constant("kernel", KernelLayouts.hwioToOihw(cx.weight("kernel", k[0], k[1], channels / groups, filters)));
        String b = bias(cx, filters);
        String y = cx.emit("conv", new NeuralOp.Conv(window(c, k), groups), cx.nchw(in), w, b);
        return Activations.apply(cx, new KerasTensor(y, true));
    }

    static KerasTensor depthwise(LayerContext cx) {
        LayerConfig c = cx.cfg();
        c.requireChannelsLast();
        KerasTensor in = cx.input();
        long channels = cx.fixedDim(in, -1), mult = c.integer("depth_multiplier", 1);
        long[] k = c.longs("kernel_size", 2);
        String w = cx.constant("depthwise_kernel", KernelLayouts.depthwiseToOihw(cx.weight("depthwise_kernel", k[0], k[1], channels, mult)));
        String b = bias(cx, channels * mult);
        String y = cx.emit("depthwise", new NeuralOp.Conv(window(c, k), channels), cx.nchw(in), w, b);
        return Activations.apply(cx, new KerasTensor(y, true));
    }

    /** A depthwise convolution (no bias) followed by a 1x1 convolution with the bias. */
    static KerasTensor separable(LayerContext cx) {
        LayerConfig c = cx.cfg();
        c.requireChannelsLast();
        KerasTensor in = cx.input();
        long channels = cx.fixedDim(in, -1), mult = c.integer("depth_multiplier", 1), filters = c.integer("filters");
        long[] k = c.longs("kernel_size", 2);
        String dw = cx.constant("depthwise_kernel", KernelLayouts.depthwiseToOihw(cx.weight("depthwise_kernel", k[0], k[1], channels, mult)));
        String pw = cx.constant("pointwise_kernel", KernelLayouts.hwioToOihw(cx.weight("pointwise_kernel", 1, 1, channels * mult, filters)));
        String b = bias(cx, filters);
        String mid = cx.emit("depthwise", new NeuralOp.Conv(window(c, k), channels), cx.nchw(in), dw);
        String y = cx.emit("pointwise", new NeuralOp.Conv(Window.kernel(1, 1), 1), mid, pw, b);
        return Activations.apply(cx, new KerasTensor(y, true));
    }

    private static Window window(LayerConfig c, long[] kernel) {
        long[] strides = c.longs("strides", 2, new long[] {1, 1});
        long[] dilation = c.longs("dilation_rate", 2, new long[] {1, 1});
        return Window.kernel(kernel).withStrides(strides).withDilations(dilation)
                .withAutoPad(c.samePadding() ? AutoPad.SAME_UPPER : AutoPad.VALID);
    }

    /** The bias constant when use_bias (the Keras default), else "" (Conv's absent input). */
    private static String bias(LayerContext cx, long size) {
        if (!cx.cfg().bool("use_bias", true)) return "";
        Tensor b = cx.weight("bias", size);
        return cx.constant("bias", b);
    }
}
