package dev.kiln.frontend.keras;

import dev.kiln.ir.tensor.ElementwiseOp;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.ElementwiseOp.UnaryFn;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import java.util.List;

/**
 * Keras activation functions by name (the {@code activation} of Conv2D, Dense, Activation ...), each
 * lowered to IR ops. hard_sigmoid is Keras 2's and TF.js's clip(0.2 x + 0.5, 0, 1), not Keras 3's
 * relu6(x + 3) / 6.
 */
final class Activations {
    static final List<String> SUPPORTED = List.of("linear", "relu", "relu6", "sigmoid", "hard_sigmoid", "tanh", "softmax",
            "swish", "silu", "hard_swish", "hard_silu", "softplus", "exponential", "gelu");

    private Activations() {}

    /** Applies the layer's {@code activation} config (default linear) to {@code t}. */
    static KerasTensor apply(LayerContext cx, KerasTensor t) {
        return apply(cx, t, cx.cfg().string("activation", "linear"));
    }

    static KerasTensor apply(LayerContext cx, KerasTensor t, String name) {
        String x = t.value();
        String y = switch (name) {
            case "linear" -> x;
            case "relu" -> cx.emit("relu", new ElementwiseOp.Unary(UnaryFn.RELU), x);
            case "relu6" -> clip(cx, x, 0, 6);
            case "sigmoid" -> cx.emit("sigmoid", new ElementwiseOp.Unary(UnaryFn.SIGMOID), x);
            case "hard_sigmoid" -> cx.emit("hard_sigmoid", new ElementwiseOp.HardSigmoid(0.2f, 0.5f), x);
            case "tanh" -> cx.emit("tanh", new ElementwiseOp.Unary(UnaryFn.TANH), x);
            case "softmax" -> cx.emit("softmax", new NeuralOp.Softmax(cx.irAxis(t, -1)), x);
            case "swish", "silu" -> cx.emit("swish", new ElementwiseOp.Binary(BinaryFn.MUL), x,
                    cx.emit("sigmoid", new ElementwiseOp.Unary(UnaryFn.SIGMOID), x));
            case "hard_swish", "hard_silu" -> cx.emit("hard_swish", new ElementwiseOp.Unary(UnaryFn.HARD_SWISH), x);
            case "softplus" -> cx.emit("softplus", new ElementwiseOp.Unary(UnaryFn.SOFTPLUS), x);
            case "exponential" -> cx.emit("exp", new ElementwiseOp.Unary(UnaryFn.EXP), x);
            case "gelu" -> cx.emit("gelu", new ElementwiseOp.Gelu(ElementwiseOp.GeluApproximation.NONE), x);
            default -> throw cx.fail("activation '" + name + "' is not supported; supported: " + SUPPORTED);
        };
        return new KerasTensor(y, t.channelsFirst());
    }

    /** min(max(x, lo), hi); an infinite bound is left out. */
    static String clip(LayerContext cx, String x, double lo, double hi) {
        String min = Double.isInfinite(lo) ? "" : cx.constant("min", Tensor.scalar((float) lo));
        String max = Double.isInfinite(hi) ? "" : cx.constant("max", Tensor.scalar((float) hi));
        return cx.emit("clip", new ElementwiseOp.Clip(), x, min, max);
    }
}
