package dev.kiln.ir.tensor;

import java.util.Optional;

/**
 * Linear quantization: real = (q - zero_point) * scale. Scales and zero points are per tensor
 * (scalar), per axis (1-D along {@code axis}) or, with a block size, per block along that axis.
 */
public sealed interface QuantizedOp extends TensorOp {
    /** Inputs x, x_scale, optional x_zero_point; output type {@code outputType} or the scale's. */
    record DequantizeLinear(long axis, long blockSize, Optional<ElementType> outputType) implements QuantizedOp {}

    /**
     * Inputs x, y_scale, optional y_zero_point; y = saturate(round_half_even(x / scale) + zero_point),
     * of {@code outputType}, else the zero point's type, else UINT8.
     */
    record QuantizeLinear(long axis, long blockSize, Optional<ElementType> outputType) implements QuantizedOp {}

    /** Input x (FLOAT32); outputs y (UINT8), y_scale, y_zero_point, the range widened to include 0. */
    record DynamicQuantizeLinear() implements QuantizedOp {}

    /** Inputs A, B, optional a_zero_point, b_zero_point (8-bit); INT32 output of matmul of (A - a_zp)(B - b_zp). */
    record MatMulInteger() implements QuantizedOp {}

    /** Inputs x, w, optional x_zero_point, w_zero_point (8-bit); INT32 output. */
    record ConvInteger(Window window, long group) implements QuantizedOp {}

    /** Inputs x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, optional B (INT32); output of y_zp's type. */
    record QLinearConv(Window window, long group) implements QuantizedOp {}

    /** Inputs a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp; output of y_zp's type. */
    record QLinearMatMul() implements QuantizedOp {}
}
