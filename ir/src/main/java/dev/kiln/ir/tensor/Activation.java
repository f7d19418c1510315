package dev.kiln.ir.tensor;

import java.util.List;
import java.util.Optional;

/**
 * The activation a fused operator applies to each element of its result. Each one means exactly
 * the {@link ElementwiseOp} of the same name ({@link #asOp()}), which is how the interpreter runs
 * fused operators and how fusion proves it changes nothing.
 */
public sealed interface Activation {
    /** No activation: the fused operator's result as is. */
    record None() implements Activation {}

    record Relu() implements Activation {}

    record Sigmoid() implements Activation {}

    record HardSwish() implements Activation {}

    record LeakyRelu(float alpha) implements Activation {}

    record HardSigmoid(float alpha, float beta) implements Activation {}

    /** Clip with constant limits; an absent ONNX limit is ±infinity. */
    record Clip(float min, float max) implements Activation {}

    record Gelu(ElementwiseOp.GeluApproximation approximate) implements Activation {}

    /** The elementwise op this activation stands for, with its constant extra inputs (Clip's limits); empty for None. */
    default Optional<OpWithConstants> asOp() {
        return switch (this) {
            case None n -> Optional.empty();
            case Relu r -> plain(new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.RELU));
            case Sigmoid s -> plain(new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.SIGMOID));
            case HardSwish h -> plain(new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.HARD_SWISH));
            case LeakyRelu l -> plain(new ElementwiseOp.LeakyRelu(l.alpha()));
            case HardSigmoid h -> plain(new ElementwiseOp.HardSigmoid(h.alpha(), h.beta()));
            case Clip c -> Optional.of(new OpWithConstants(new ElementwiseOp.Clip(), List.of(Tensor.scalar(c.min()), Tensor.scalar(c.max()))));
            case Gelu g -> plain(new ElementwiseOp.Gelu(g.approximate()));
        };
    }

    private static Optional<OpWithConstants> plain(ElementwiseOp op) {
        return Optional.of(new OpWithConstants(op, List.of()));
    }

    /** An elementwise op whose first input is the value activated and whose other inputs are these constants. */
    record OpWithConstants(ElementwiseOp op, List<Tensor> constants) {
        public OpWithConstants { constants = List.copyOf(constants); }
    }
}
