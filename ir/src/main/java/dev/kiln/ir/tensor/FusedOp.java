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

    record ChainStep(ElementwiseOp op, List<ChainArg> args) {
        public ChainStep { args = List.copyOf(args); }
    }

    /** Where a chain step's operand comes from. */
    sealed interface ChainArg {
        record Input(int index) implements ChainArg {}

        record Step(int index) implements ChainArg {}
    }
}
