package dev.kiln.ir.tensor;

import java.util.List;

/**
 * Operators the optimizer makes by fusing primitive ones, so that code generation emits one kernel
 * for them. Each means exactly its {@link FusedExpansion expansion} into primitive nodes: that is
 * how they are typed and interpreted, so the oracle for a fused graph is the unfused one.
 */
public sealed interface FusedOp extends TensorOp {
    /** act(Conv(X, W, B)); inputs X, W, optional B as Conv's. */
    record ConvActivation(NeuralOp.Conv conv, Activation activation) implements FusedOp {}

    /** act(Gemm(A, B, C)); inputs as Gemm's. */
    record GemmActivation(NeuralOp.Gemm gemm, Activation activation) implements FusedOp {}

    /** act(MatMul(A, B) + bias); inputs A, B, optional bias broadcast to the product (usually [N]). */
    record MatMulBias(Activation activation) implements FusedOp {}

    /**
     * Several elementwise ops computed in one pass. Step i applies its op to the node's inputs and
     * earlier steps' results; the last step is the node's output, whose shape is the broadcast of
     * all inputs.
     */
    record ElementwiseChain(List<ChainStep> steps) implements FusedOp {
        public ElementwiseChain {
            steps = List.copyOf(steps);
            if (steps.isEmpty()) throw new IllegalArgumentException("an elementwise chain needs a step");
            for (int i = 0; i < steps.size(); i++) {
                for (ChainArg a : steps.get(i).args()) {
                    if (a instanceof ChainArg.Step s && (s.index() < 0 || s.index() >= i)) {
                        throw new IllegalArgumentException("step " + i + " reads step " + s.index() + ", which is not before it");
                    }
                }
            }
        }
    }

    /**
     * An image batch [N, H, W, C] to a model input in one pass: Cast to FLOAT32, Resize (over H
     * and W; inputs X and sizes), the channels reordered ({@code channelOrder}, a Gather on the
     * last axis; empty keeps them), then each of {@code steps} applied to the value and a
     * per-channel constant (node inputs 2, 3, ...: shapes whose dims are 1 but the last, C or 1),
     * and with {@code channelsFirst} a Transpose to [N, C, h, w]. Preprocessing graphs (resize,
     * channel order, scale, normalize, layout) fuse into this, so no intermediate image is stored.
     */
    record ResizeNormalize(LayoutOp.Resize resize, List<Long> channelOrder, List<ChannelStep> steps, boolean channelsFirst) implements FusedOp {
        public ResizeNormalize {
            channelOrder = List.copyOf(channelOrder);
            steps = List.copyOf(steps);
        }
    }

    /** {@code value fn operand}, or {@code operand fn value} when not {@code valueFirst}: ADD, SUB, MUL or DIV. */
    record ChannelStep(ElementwiseOp.BinaryFn fn, boolean valueFirst) {
        public ChannelStep {
            if (fn != ElementwiseOp.BinaryFn.ADD && fn != ElementwiseOp.BinaryFn.SUB && fn != ElementwiseOp.BinaryFn.MUL && fn != ElementwiseOp.BinaryFn.DIV) {
                throw new IllegalArgumentException("a per-channel step is ADD, SUB, MUL or DIV, not " + fn);
            }
        }
    }

    record ChainStep(ElementwiseOp op, List<ChainArg> args) {
        public ChainStep { args = List.copyOf(args); }
    }

    /** Where a chain step's operand comes from. */
    sealed interface ChainArg {
        record Input(int index) implements ChainArg {}

        record Step(int index) implements ChainArg {}
    }
}
