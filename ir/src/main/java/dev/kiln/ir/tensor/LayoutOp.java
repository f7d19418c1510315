package dev.kiln.ir.tensor;

import java.util.List;
import java.util.Optional;

/** Operators that move, select or create data, and those that compute shapes. */
public sealed interface LayoutOp extends TensorOp {
    record Concat(long axis) implements LayoutOp {}

    /** Inputs data, shape (INT64); 0 copies the input size unless {@code allowZero}; one -1 is inferred. */
    record Reshape(boolean allowZero) implements LayoutOp {}

    /** To 2-D: axes before {@code axis} form the rows, the rest the columns. */
    record Flatten(long axis) implements LayoutOp {}

    /** An empty {@code perm} reverses the axes, the ONNX default. */
    record Transpose(List<Long> perm) implements LayoutOp {
        public Transpose { perm = List.copyOf(perm); }
    }

    /** Inputs data, optional axes; without axes every size-1 axis goes. */
    record Squeeze() implements LayoutOp {}

    /** Inputs data, axes (counted in the output's rank). */
    record Unsqueeze() implements LayoutOp {}

    /** Inputs data, indices (INT32/INT64, negative counts from the end). */
    record Gather(long axis) implements LayoutOp {}

    /** Inputs data, starts, ends, optional axes, optional steps. */
    record Slice() implements LayoutOp {}

    /** Inputs data, pads (INT64, begins then ends), optional constant_value, optional axes. */
    record Pad(PadMode mode) implements LayoutOp {}

    /**
     * Inputs X, optional roi (read by tf_crop_and_resize only: the starts then the ends of the
     * region per resized axis, as fractions of the input), optional scales, optional sizes;
     * exactly one of scales and sizes. An empty {@code axes} means all axes. Cubic interpolation
     * takes {@code cubicCoeffA} (ONNX's default -0.75) and {@code excludeOutside} (neighbours
     * outside the input weigh nothing, the others renormalized); tf_crop_and_resize writes
     * {@code extrapolationValue} where the region reaches past the input.
     */
    record Resize(ResizeMode mode, CoordinateTransform coordinateTransform, NearestMode nearestMode, List<Long> axes, double cubicCoeffA,
                  boolean excludeOutside, double extrapolationValue) implements LayoutOp {
        public Resize { axes = List.copyOf(axes); }

        public Resize(ResizeMode mode, CoordinateTransform coordinateTransform, NearestMode nearestMode, List<Long> axes) {
            this(mode, coordinateTransform, nearestMode, axes, -0.75, false, 0);
        }
    }

    /** The input's shape as 1-D INT64, dims [start, end) (negative counts from the back, clamped). */
    record Shape(long start, Optional<Long> end) implements LayoutOp {}

    /** Input shape (INT64); every element is the one element of {@code value}. */
    record ConstantOfShape(Tensor value) implements LayoutOp {
        public ConstantOfShape {
            if (value.size() != 1) throw new IllegalArgumentException("ConstantOfShape value must have one element, not " + value.size());
        }
    }

    /** Inputs start, limit, delta (scalars of one numeric type). */
    record Range() implements LayoutOp {}

    /** Inputs input, shape; broadcasts input to shape (bidirectionally, as ONNX says). */
    record Expand() implements LayoutOp {}

    /** Inputs input, optional split sizes; without sizes splits into as many near-equal parts as the node has outputs. */
    record Split(long axis) implements LayoutOp {}

    /** A literal value (ONNX Constant with its value in whichever attribute). */
    record Constant(Tensor value) implements LayoutOp {}

    enum PadMode { CONSTANT, REFLECT, EDGE }

    enum ResizeMode { NEAREST, LINEAR, CUBIC }

    enum CoordinateTransform { HALF_PIXEL, ASYMMETRIC, ALIGN_CORNERS, PYTORCH_HALF_PIXEL, TF_HALF_PIXEL_FOR_NN, TF_CROP_AND_RESIZE }

    enum NearestMode { ROUND_PREFER_FLOOR, ROUND_PREFER_CEIL, FLOOR, CEIL }
}
