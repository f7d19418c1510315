package dev.kiln.frontend.onnx;

import dev.kiln.ir.tensor.Tensor;
import java.util.Optional;

/** Converts ONNX element types and tensors into the tensor IR's. */
final class OnnxTensors {
    private OnnxTensors() {}

    /** The IR's element type for an ONNX one, empty when the IR has none (complex, float8, 4-bit ...). */
    static Optional<dev.kiln.ir.tensor.ElementType> elementType(ElementType t) {
        return Optional.ofNullable(switch (t) {
            case FLOAT -> dev.kiln.ir.tensor.ElementType.FLOAT32;
            case DOUBLE -> dev.kiln.ir.tensor.ElementType.FLOAT64;
            case FLOAT16 -> dev.kiln.ir.tensor.ElementType.FLOAT16;
            case BFLOAT16 -> dev.kiln.ir.tensor.ElementType.BFLOAT16;
            case INT8 -> dev.kiln.ir.tensor.ElementType.INT8;
            case UINT8 -> dev.kiln.ir.tensor.ElementType.UINT8;
            case INT16 -> dev.kiln.ir.tensor.ElementType.INT16;
            case UINT16 -> dev.kiln.ir.tensor.ElementType.UINT16;
            case INT32 -> dev.kiln.ir.tensor.ElementType.INT32;
            case UINT32 -> dev.kiln.ir.tensor.ElementType.UINT32;
            case INT64 -> dev.kiln.ir.tensor.ElementType.INT64;
            case UINT64 -> dev.kiln.ir.tensor.ElementType.UINT64;
            case BOOL -> dev.kiln.ir.tensor.ElementType.BOOL;
            case STRING -> dev.kiln.ir.tensor.ElementType.STRING;
            default -> null;
        });
    }

    /** The element type, or an error naming what holds it ("initializer 'w'", "input 'x'"). */
    static dev.kiln.ir.tensor.ElementType requireElementType(ElementType t, String what) {
        return elementType(t).orElseThrow(() -> new OnnxImportException(what + " is " + t
                + ", which Kiln's tensor IR does not have; supported element types are FLOAT, DOUBLE, FLOAT16, BFLOAT16,"
                + " the 8- to 64-bit integers, BOOL and STRING"));
    }

    /** The IR tensor holding an ONNX tensor's values; {@code what} names it in errors. */
    static Tensor toTensor(OnnxTensor t, String what) {
        dev.kiln.ir.tensor.ElementType type = requireElementType(t.type(), what);
        long[] shape = t.shape();
        Object data = switch (t.type()) {
            case FLOAT, FLOAT16, BFLOAT16 -> t.floats();
            case DOUBLE -> t.doubles();
            case BOOL -> t.booleans();
            case STRING -> t.strings();
            default -> t.longs();
        };
        return Tensor.of(type, shape, data);
    }

    /** A scalar of a numeric element type holding {@code v} (Clip's and Pad's constants made from old attributes). */
    static Tensor scalar(dev.kiln.ir.tensor.ElementType type, double v) {
        Tensor.Builder b = Tensor.builder(type, new long[0]);
        if (type.isFloating()) b.setDouble(0, v);
        else if (type == dev.kiln.ir.tensor.ElementType.BOOL) b.setBool(0, v != 0);
        else b.setLong(0, type.saturate(Double.isInfinite(v) ? (v > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : (long) v));
        return b.build();
    }
}
