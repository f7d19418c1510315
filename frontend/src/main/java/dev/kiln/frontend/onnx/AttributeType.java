package dev.kiln.frontend.onnx;

import java.util.Optional;

/** ONNX attribute types with their codes ({@code AttributeProto.AttributeType} in onnx/onnx.proto). */
public enum AttributeType {
    UNDEFINED(0), FLOAT(1), INT(2), STRING(3), TENSOR(4), GRAPH(5), FLOATS(6), INTS(7), STRINGS(8), TENSORS(9),
    GRAPHS(10), SPARSE_TENSOR(11), SPARSE_TENSORS(12), TYPE_PROTO(13), TYPE_PROTOS(14);

    private static final AttributeType[] BY_CODE = values();

    private final int code;

    AttributeType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<AttributeType> ofCode(long code) {
        // declared in code order
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[(int) code]) : Optional.empty();
    }
}
