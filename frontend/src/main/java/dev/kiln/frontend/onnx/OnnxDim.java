package dev.kiln.frontend.onnx;

/** One dimension of a declared shape ({@code TensorShapeProto.Dimension}). */
public sealed interface OnnxDim {
    /** {@code dim_value}: a fixed size. */
    record Known(long size) implements OnnxDim {
        @Override
        public String toString() {
            return Long.toString(size);
        }
    }

    /** {@code dim_param}: a named size, the same wherever the name appears (e.g. "batch"). */
    record Symbolic(String name) implements OnnxDim {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Neither set: any size. */
    record Unknown() implements OnnxDim {
        @Override
        public String toString() {
            return "?";
        }
    }
}
