package dev.kiln.frontend.onnx;

import java.util.List;
import java.util.Optional;

/**
 * The type of a graph value ({@code TypeProto}): a tensor, or one of the containers ONNX allows.
 * {@code toString} writes it the way errors and {@link OnnxSummary} show it: {@code FLOAT[batch, 3]},
 * {@code sequence<INT64[]>}; an unknown rank is {@code [?]}.
 */
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
            return elementType + shape.map(Object::toString).orElse("[?]");
        }
    }

    record SparseTensorType(ElementType elementType, Optional<List<OnnxDim>> shape) implements OnnxType {
        public SparseTensorType {
            shape = shape.map(List::copyOf);
        }

        @Override
        public String toString() {
            return "sparse " + elementType + shape.map(Object::toString).orElse("[?]");
        }
    }

    record SequenceType(OnnxType elementType) implements OnnxType {
        @Override
        public String toString() {
            return "sequence<" + elementType + ">";
        }
    }

    record MapType(ElementType keyType, OnnxType valueType) implements OnnxType {
        @Override
        public String toString() {
            return "map<" + keyType + ", " + valueType + ">";
        }
    }

    /** An optional value (opset 15+). */
    record OptionalType(OnnxType elementType) implements OnnxType {
        @Override
        public String toString() {
            return "optional<" + elementType + ">";
        }
    }

    /** An opaque type defined by a domain. */
    record OpaqueType(String domain, String name) implements OnnxType {
        @Override
        public String toString() {
            return "opaque " + domain + "." + name;
        }
    }
}
