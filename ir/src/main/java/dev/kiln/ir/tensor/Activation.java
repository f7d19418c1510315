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

    /**
     * Add, Sub, Mul or Div of the value and a float32 scalar constant: {@code value fn constant},
     * or {@code constant fn value} when {@code constantFirst} (a learnable affine map's two steps).
     */
    record Scalar(ElementwiseOp.BinaryFn fn, float constant, boolean constantFirst) implements Activation {
        public Scalar {
            if (fn != ElementwiseOp.BinaryFn.ADD && fn != ElementwiseOp.BinaryFn.SUB && fn != ElementwiseOp.BinaryFn.MUL && fn != ElementwiseOp.BinaryFn.DIV) {
                throw new IllegalArgumentException("a scalar step is Add, Sub, Mul or Div, not " + fn);
            }
        }
    }

    /** Activations applied one after another, each to the last one's result (two or more, none of them None or a Chain). */
    record Chain(List<Activation> steps) implements Activation {
        public Chain {
            steps = List.copyOf(steps);
            if (steps.size() < 2) throw new IllegalArgumentException("a chain has two steps or more");
            for (Activation a : steps) {
                if (a instanceof None || a instanceof Chain) throw new IllegalArgumentException("a chain's step cannot be " + a);
            }
        }
    }

    /** This activation, then {@code next} (a chain of both; None adds nothing). */
    default Activation then(Activation next) {
        if (next instanceof None) return this;
        if (this instanceof None) return next;
        List<Activation> all = new java.util.ArrayList<>(this instanceof Chain c ? c.steps() : List.of(this));
        all.addAll(next instanceof Chain c ? c.steps() : List.of(next));
        return new Chain(all);
    }

    /** The elementwise ops this activation stands for, in order, with their constant extra inputs (Clip's limits); none for None. */
    default List<OpWithConstants> asOps() {
        if (this instanceof Chain c) return c.steps().stream().flatMap(a -> a.asOps().stream()).toList();
        if (this instanceof Scalar sc) return List.of(new OpWithConstants(new ElementwiseOp.Binary(sc.fn()), List.of(Tensor.scalar(sc.constant())), sc.constantFirst()));
        return asOp().map(List::of).orElse(List.of());
    }

    /** The elementwise op this activation stands for, with its constant extra inputs (Clip's limits); empty for None. */
    default Optional<OpWithConstants> asOp() {
        return switch (this) {
            case None n -> Optional.empty();
            case Scalar sc -> Optional.of(asOps().getFirst());
            case Chain c -> throw new UnsupportedOperationException("a chain stands for " + c.steps().size() + " ops: see asOps");
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

    /**
     * An elementwise op whose first input is the value activated and whose other inputs are these
     * constants, or (constantsFirst) whose inputs are the constants and then the value.
     */
    record OpWithConstants(ElementwiseOp op, List<Tensor> constants, boolean constantsFirst) {
        public OpWithConstants { constants = List.copyOf(constants); }

        public OpWithConstants(ElementwiseOp op, List<Tensor> constants) {
            this(op, constants, false);
        }
    }
}
