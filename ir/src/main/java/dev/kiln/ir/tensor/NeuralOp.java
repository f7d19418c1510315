package dev.kiln.ir.tensor;

import java.util.List;

/** Network layers: convolutions, matrix products, normalizations and pools. */
public sealed interface NeuralOp extends TensorOp {
    /** Inputs X, W, optional B. X is [N, C, spatial...], W is [M, C/group, kernel...]. */
    record Conv(Window window, long group) implements NeuralOp {
        public Conv { requirePositive("group", group); }
    }

    /**
     * Inputs X, W, optional B; W is [C, M/group, kernel...]. A non-empty {@code outputShape} (spatial
     * sizes only) makes the pads derived from it, as ONNX says.
     */
    record ConvTranspose(Window window, long group, List<Long> outputPadding, List<Long> outputShape) implements NeuralOp {
        public ConvTranspose {
            requirePositive("group", group);
            outputPadding = List.copyOf(outputPadding);
            outputShape = List.copyOf(outputShape);
        }
    }

    /** Y = alpha * A' * B' + beta * C with A' = transA ? A^T : A; inputs A, B, optional C. */
    record Gemm(float alpha, float beta, boolean transA, boolean transB) implements NeuralOp {}

    /** numpy matmul: 1-D operands are promoted and the added axis removed, batch axes broadcast. */
    record MatMul() implements NeuralOp {}

    /** Inference form: inputs X, scale, B, input_mean, input_var; one output. */
    record BatchNormalization(float epsilon) implements NeuralOp {}

    /** Softmax over one axis (opset 13 and later). */
    record Softmax(long axis) implements NeuralOp {}

    record LogSoftmax(long axis) implements NeuralOp {}

    /**
     * Normalizes over the axes from {@code axis} to the last; inputs X, Scale, optional B; outputs
     * Y and optionally Mean and InvStdDev (shaped like X with the normalized axes set to 1).
     */
    record LayerNormalization(long axis, float epsilon) implements NeuralOp {}

    /**
     * Outputs Y and, when the node has a second output, Indices: each maximum's position in X
     * flattened (batch and channel included, padding not), its spatial part row-major, or
     * column-major with {@code columnMajor} (ONNX's storage_order 1); the first maximum in window
     * order where several are equal.
     */
    record MaxPool(Window window, boolean ceilMode, boolean columnMajor) implements NeuralOp {
        public MaxPool { requireKernel(window); }

        public MaxPool(Window window, boolean ceilMode) {
            this(window, ceilMode, false);
        }
    }

    record AveragePool(Window window, boolean ceilMode, boolean countIncludePad) implements NeuralOp {
        public AveragePool { requireKernel(window); }
    }

    record GlobalAveragePool() implements NeuralOp {}

    record GlobalMaxPool() implements NeuralOp {}

    private static void requirePositive(String what, long v) {
        if (v < 1) throw new IllegalArgumentException(what + " must be at least 1, not " + v);
    }

    private static void requireKernel(Window w) {
        if (w.kernelShape().isEmpty()) throw new IllegalArgumentException("pooling needs kernel_shape");
    }
}
