package dev.kiln.ir.tensor;

import java.util.List;

/**
 * The sliding-window geometry shared by convolutions and pools, over the spatial axes (those after
 * batch and channel). An empty list means the ONNX default: kernel taken from the weight (Conv
 * only), strides and dilations 1, pads 0. {@code pads} is [x1_begin, x2_begin, ..., x1_end, x2_end, ...].
 */
public record Window(AutoPad autoPad, List<Long> kernelShape, List<Long> strides, List<Long> pads, List<Long> dilations) {
    public static final Window DEFAULT = new Window(AutoPad.NOTSET, List.of(), List.of(), List.of(), List.of());

    public Window {
        kernelShape = List.copyOf(kernelShape);
        strides = List.copyOf(strides);
        pads = List.copyOf(pads);
        dilations = List.copyOf(dilations);
        for (long k : kernelShape) if (k < 1) throw new IllegalArgumentException("kernel_shape must be positive: " + kernelShape);
        for (long s : strides) if (s < 1) throw new IllegalArgumentException("strides must be positive: " + strides);
        for (long d : dilations) if (d < 1) throw new IllegalArgumentException("dilations must be positive: " + dilations);
        for (long p : pads) if (p < 0) throw new IllegalArgumentException("pads must not be negative: " + pads);
        if (pads.size() % 2 != 0) throw new IllegalArgumentException("pads needs a begin and an end per axis: " + pads);
        if (autoPad != AutoPad.NOTSET && pads.stream().anyMatch(p -> p != 0)) {
            throw new IllegalArgumentException("pads " + pads + " cannot be combined with auto_pad " + autoPad);
        }
    }

    public static Window kernel(long... kernel) {
        return DEFAULT.withKernel(kernel);
    }

    public Window withKernel(long... k) { return new Window(autoPad, longs(k), strides, pads, dilations); }
    public Window withStrides(long... s) { return new Window(autoPad, kernelShape, longs(s), pads, dilations); }
    public Window withPads(long... p) { return new Window(autoPad, kernelShape, strides, longs(p), dilations); }
    public Window withDilations(long... d) { return new Window(autoPad, kernelShape, strides, pads, longs(d)); }
    public Window withAutoPad(AutoPad a) { return new Window(a, kernelShape, strides, pads, dilations); }

    private static List<Long> longs(long[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }
}
