package dev.kiln.ir.tensor;

/**
 * A tensor operator with its typed attributes. Semantics are those of the latest ONNX opset of
 * the same name: values that older opsets gave as attributes (Reshape's shape, Slice's bounds,
 * Clip's limits, reduce axes, Pad's pads, Resize's scales/sizes, Squeeze/Unsqueeze axes, Split's
 * sizes) are node inputs, usually constants. Operators are grouped in families so that passes can
 * match a whole family (every {@link ElementwiseOp} fuses into one loop, for example).
 */
public sealed interface TensorOp permits NeuralOp, ElementwiseOp, LayoutOp, ReductionOp, QuantizedOp, FusedOp, TextOp, MlOp {
    /** The operator's name as printed and used in messages ({@code Conv}, {@code Relu}, ...). */
    default String opName() {
        return getClass().getSimpleName();
    }
}
