package dev.kiln.frontend.onnx;

import dev.kiln.ir.tensor.AutoPad;
import dev.kiln.ir.tensor.Window;

/** The sliding-window attributes Conv, ConvTranspose, the pools and the quantized convolutions share. */
final class WindowAttributes {
    private WindowAttributes() {}

    static Window read(ImportNode n) {
        AutoPad autoPad = switch (n.s("auto_pad", "NOTSET")) {
            case "NOTSET" -> AutoPad.NOTSET;
            case "SAME_UPPER" -> AutoPad.SAME_UPPER;
            case "SAME_LOWER" -> AutoPad.SAME_LOWER;
            case "VALID" -> AutoPad.VALID;
            case String other -> throw n.fail("auto_pad '" + other + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
        };
        try {
            return new Window(autoPad, n.ints("kernel_shape"), n.ints("strides"), n.ints("pads"), n.ints("dilations"));
        } catch (IllegalArgumentException e) {
            throw n.fail(e.getMessage());
        }
    }
}
