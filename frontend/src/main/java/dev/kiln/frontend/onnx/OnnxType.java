package dev.kiln.frontend.onnx;

import java.util.List;
import java.util.Optional;

/** The type of a graph value ({@code TypeProto}): a tensor, or one of the containers ONNX allows. */
public sealed interface OnnxType {
    /**
     * A dense tensor.
     *
     * @param shape absent when the rank is unknown; an empty list for a scalar
     */
    record TensorType(ElementType elementType, Optional<List<OnnxDim>> shape) implements OnnxType {
        public TensorType {
            shape = shape.map(List::copyOf);
        }

        @Override
        public String toString() {
            return elementType + shape.map(Object::toString).orElse("[rank unknown]");
        }
    }

    record SparseTensorType(ElementType elementType, Optional<List<OnnxDim>> shape) implements OnnxType {
        public SparseTensorType {
            shape = shape.map(List::copyOf);
        }
    }

    record SequenceType(OnnxType elementType) implements OnnxType {}

    record MapType(ElementType keyType, OnnxType valueType) implements OnnxType {}

    /** An optional value (opset 15+). */
    record OptionalType(OnnxType elementType) implements OnnxType {}

    /** An opaque type defined by a domain. */
    record OpaqueType(String domain, String name) implements OnnxType {}
}
