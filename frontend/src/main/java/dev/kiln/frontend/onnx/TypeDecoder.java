package dev.kiln.frontend.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes {@code TypeProto} and {@code TensorShapeProto} (onnx/onnx.proto). TypeProto is a oneof:
 * 1 tensor_type, 4 sequence_type, 5 map_type, 7 opaque_type, 8 sparse_tensor_type, 9 optional_type.
 */
final class TypeDecoder {
    private TypeDecoder() {}

    /** The type, empty when no case of the oneof is set (a value whose type is not declared). */
    static Optional<OnnxType> type(ProtoReader r) {
        Optional<OnnxType> type = Optional.empty();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> type = Optional.of(tensor(r.message("tensor_type"), false));
                case 8 -> type = Optional.of(tensor(r.message("sparse_tensor_type"), true));
                case 4 -> type = Optional.of(new OnnxType.SequenceType(element(r.message("sequence_type"))));
                case 9 -> type = Optional.of(new OnnxType.OptionalType(element(r.message("optional_type"))));
                case 5 -> type = Optional.of(map(r.message("map_type")));
                case 7 -> type = Optional.of(opaque(r.message("opaque_type")));
                default -> r.skip();
            }
        }
        return type;
    }

    /** Tensor and SparseTensor: 1 elem_type, 2 shape. */
    private static OnnxType tensor(ProtoReader r, boolean sparse) {
        ElementType elem = ElementType.UNDEFINED;
        Optional<List<OnnxDim>> shape = Optional.empty();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> elem = elementType(r, "elem_type");
                case 2 -> shape = Optional.of(shape(r.message("shape")));
                default -> r.skip();
            }
        }
        return sparse ? new OnnxType.SparseTensorType(elem, shape) : new OnnxType.TensorType(elem, shape);
    }

    /** Sequence and Optional: 1 elem_type (a TypeProto, which must be set). */
    private static OnnxType element(ProtoReader r) {
        Optional<OnnxType> elem = Optional.empty();
        while (r.next()) {
            if (r.field() == 1) elem = type(r.message("elem_type"));
            else r.skip();
        }
        return elem.orElseThrow(() -> r.messageError("the container type has no element type"));
    }

    /** Map: 1 key_type (an element type code), 2 value_type. */
    private static OnnxType map(ProtoReader r) {
        ElementType key = ElementType.UNDEFINED;
        Optional<OnnxType> value = Optional.empty();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> key = elementType(r, "key_type");
                case 2 -> value = type(r.message("value_type"));
                default -> r.skip();
            }
        }
        return new OnnxType.MapType(key, value.orElseThrow(() -> r.messageError("the map type has no value type")));
    }

    /** Opaque: 1 domain, 2 name. */
    private static OnnxType opaque(ProtoReader r) {
        String domain = "", name = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> domain = r.string("domain");
                case 2 -> name = r.string("name");
                default -> r.skip();
            }
        }
        return new OnnxType.OpaqueType(domain, name);
    }

    /** TensorShapeProto: 1 dim; Dimension: 1 dim_value, 2 dim_param, 3 denotation. */
    private static List<OnnxDim> shape(ProtoReader r) {
        List<OnnxDim> dims = new ArrayList<>();
        while (r.next()) {
            if (r.field() != 1) {
                r.skip();
                continue;
            }
            ProtoReader d = r.message("dim[" + dims.size() + "]");
            OnnxDim dim = new OnnxDim.Unknown();
            while (d.next()) {
                switch (d.field()) {
                    case 1 -> dim = new OnnxDim.Known(d.varint("dim_value"));
                    case 2 -> dim = new OnnxDim.Symbolic(d.string("dim_param"));
                    default -> d.skip();
                }
            }
            dims.add(dim);
        }
        return dims;
    }

    private static ElementType elementType(ProtoReader r, String field) {
        long code = r.varint(field);
        return ElementType.ofCode(code).orElseThrow(() -> r.error(field, "element type " + code + " is not an ONNX element type"));
    }
}
