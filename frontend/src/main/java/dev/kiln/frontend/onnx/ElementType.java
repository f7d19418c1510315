package dev.kiln.frontend.onnx;

import java.util.Optional;

/**
 * ONNX tensor element types with ONNX's names and codes ({@code TensorProto.DataType} in
 * onnx/onnx.proto). {@code bits} is the width of one element in {@code raw_data}; 0 for STRING,
 * whose elements have no fixed width.
 */
public enum ElementType {
    UNDEFINED(0, 0),
    FLOAT(1, 32),
    UINT8(2, 8),
    INT8(3, 8),
    UINT16(4, 16),
    INT16(5, 16),
    INT32(6, 32),
    INT64(7, 64),
    STRING(8, 0),
    BOOL(9, 8),
    FLOAT16(10, 16),
    DOUBLE(11, 64),
    UINT32(12, 32),
    UINT64(13, 64),
    COMPLEX64(14, 64),
    COMPLEX128(15, 128),
    BFLOAT16(16, 16),
    FLOAT8E4M3FN(17, 8),
    FLOAT8E4M3FNUZ(18, 8),
    FLOAT8E5M2(19, 8),
    FLOAT8E5M2FNUZ(20, 8),
    UINT4(21, 4),
    INT4(22, 4),
    FLOAT4E2M1(23, 4),
    FLOAT8E8M0(24, 8),
    UINT2(25, 2),
    INT2(26, 2);

    private static final ElementType[] BY_CODE = values();

    private final int code;
    private final int bits;

    ElementType(int code, int bits) {
        this.code = code;
        this.bits = bits;
    }

    /** ONNX's code for the type, as stored in {@code data_type} and {@code elem_type}. */
    public int code() {
        return code;
    }

    /** Bits per element in {@code raw_data} (4 and 2 for the packed sub-byte types), 0 for STRING. */
    public int bits() {
        return bits;
    }

    /** The type of an ONNX code, empty for a code this version of Kiln does not know. */
    public static Optional<ElementType> ofCode(long code) {
        // constants are declared in code order, so the ordinal is the code
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[(int) code]) : Optional.empty();
    }

    /** Bytes that {@code count} elements take in {@code raw_data} (sub-byte types packed, rounded up). */
    long rawBytes(long count) {
        return Math.ceilDiv(Math.multiplyExact(count, bits), 8L);
    }
}
