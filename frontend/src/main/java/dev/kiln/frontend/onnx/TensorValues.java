package dev.kiln.frontend.onnx;

import static dev.kiln.frontend.onnx.ElementType.*;

import dev.kiln.ir.KilnException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that a tensor's stored values fit its type and shape, and turns them into Java arrays.
 * The rules for which TensorProto field may hold which type come from onnx/onnx.proto.
 */
final class TensorValues {
    private TensorValues() {}

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Types that onnx.proto stores in {@code int32_data}. */
    private static final Set<ElementType> IN_INT32_DATA = EnumSet.of(INT32, INT16, INT8, UINT16, UINT8, BOOL, FLOAT16,
            BFLOAT16, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ, FLOAT8E8M0, UINT4, INT4, FLOAT4E2M1, UINT2, INT2);

    /** Why {@code data} cannot hold {@code count} elements of {@code type}; empty when it can. */
    static Optional<String> problem(ElementType type, long count, TensorData data) {
        if (type == UNDEFINED) return Optional.of("the tensor has no data_type (UNDEFINED)");
        try {
            return fit(type, count, data);
        } catch (ArithmeticException e) {
            return Optional.of("its " + count + " elements take more than 2^63 bytes");
        }
    }

    private static Optional<String> fit(ElementType type, long count, TensorData data) {
        long expected;
        String field;
        switch (data) {
            case TensorData.Raw r -> {
                if (type == STRING) return Optional.of("STRING tensors keep their values in string_data, not raw_data");
                field = "raw_data (bytes)";
                expected = type.rawBytes(count);
            }
            case TensorData.Floats f -> {
                if (type != FLOAT && type != COMPLEX64) return fieldMismatch("float_data", type, "FLOAT or COMPLEX64");
                field = "float_data";
                expected = type == COMPLEX64 ? Math.multiplyExact(2, count) : count;
            }
            case TensorData.Int32s i -> {
                if (!IN_INT32_DATA.contains(type)) return fieldMismatch("int32_data", type, "an integer, BOOL or 16/8/4-bit float type");
                field = "int32_data";
                expected = type.bits() >= 8 ? count : Math.ceilDiv(count, 8 / type.bits());
            }
            case TensorData.Int64s l -> {
                if (type != INT64) return fieldMismatch("int64_data", type, "INT64");
                field = "int64_data";
                expected = count;
            }
            case TensorData.Doubles d -> {
                if (type != DOUBLE && type != COMPLEX128) return fieldMismatch("double_data", type, "DOUBLE or COMPLEX128");
                field = "double_data";
                expected = type == COMPLEX128 ? Math.multiplyExact(2, count) : count;
            }
            case TensorData.UInt64s u -> {
                if (type != UINT32 && type != UINT64) return fieldMismatch("uint64_data", type, "UINT32 or UINT64");
                field = "uint64_data";
                expected = count;
            }
            case TensorData.Strings s -> {
                if (type != STRING) return fieldMismatch("string_data", type, "STRING");
                field = "string_data";
                expected = count;
            }
        }
        if (data.storedCount() != expected) {
            return Optional.of(field + " holds " + data.storedCount() + " values where the shape needs " + expected);
        }
        return Optional.empty();
    }

    private static Optional<String> fieldMismatch(String field, ElementType type, String allowed) {
        return Optional.of(field + " is set on a " + type + " tensor; it may hold only " + allowed);
    }

    static float[] floats(OnnxTensor t) {
        int n = arrayLength(t);
        if (t.type() == FLOAT) {
            return switch (t.data()) {
                case TensorData.Raw(MemorySegment b) -> b.toArray(F32);
                case TensorData.Floats(float[] v) -> v.clone();
                default -> throw internal(t);
            };
        }
        if (t.type() != FLOAT16 && t.type() != BFLOAT16) throw wrongType(t, "floats()", "FLOAT, FLOAT16 or BFLOAT16");
        int[] bits = smallInts(t, n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            // bfloat16 is the high half of a float32
            out[i] = t.type() == FLOAT16 ? Float.float16ToFloat((short) bits[i]) : Float.intBitsToFloat(bits[i] << 16);
        }
        return out;
    }

    static double[] doubles(OnnxTensor t) {
        int n = arrayLength(t);
        if (t.type() == DOUBLE) {
            return switch (t.data()) {
                case TensorData.Raw(MemorySegment b) -> b.toArray(F64);
                case TensorData.Doubles(double[] v) -> v.clone();
                default -> throw internal(t);
            };
        }
        if (t.type() == FLOAT || t.type() == FLOAT16 || t.type() == BFLOAT16) {
            float[] f = floats(t);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) out[i] = f[i];
            return out;
        }
        throw wrongType(t, "doubles()", "DOUBLE, FLOAT, FLOAT16 or BFLOAT16");
    }

    static long[] longs(OnnxTensor t) {
        int n = arrayLength(t);
        return switch (t.type()) {
            case INT64, UINT64 -> switch (t.data()) {
                case TensorData.Raw(MemorySegment b) -> b.toArray(I64);
                case TensorData.Int64s(long[] v) -> v.clone();
                case TensorData.UInt64s(long[] v) -> v.clone();
                default -> throw internal(t);
            };
            case UINT32 -> switch (t.data()) {
                case TensorData.Raw(MemorySegment b) -> {
                    long[] out = new long[n];
                    for (int i = 0; i < n; i++) out[i] = Integer.toUnsignedLong(b.getAtIndex(I32, i));
                    yield out;
                }
                case TensorData.UInt64s(long[] v) -> v.clone();
                default -> throw internal(t);
            };
            case INT32, INT16, INT8, UINT16, UINT8 -> {
                int[] v = smallInts(t, n);
                long[] out = new long[n];
                for (int i = 0; i < n; i++) out[i] = v[i];
                yield out;
            }
            default -> throw wrongType(t, "longs()", "an integer type (UINT64 as its bits)");
        };
    }

    static int[] ints(OnnxTensor t) {
        return switch (t.type()) {
            case INT32, INT16, INT8, UINT16, UINT8 -> smallInts(t, arrayLength(t));
            default -> throw wrongType(t, "ints()", "INT32, INT16, INT8, UINT16 or UINT8");
        };
    }

    static byte[] bytes(OnnxTensor t) {
        if (t.type() != INT8 && t.type() != UINT8) throw wrongType(t, "bytes()", "INT8 or UINT8");
        int n = arrayLength(t);
        int[] v = smallInts(t, n);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) out[i] = (byte) v[i];
        return out;
    }

    static boolean[] booleans(OnnxTensor t) {
        if (t.type() != BOOL) throw wrongType(t, "booleans()", "BOOL");
        int n = arrayLength(t);
        int[] v = smallInts(t, n);
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) out[i] = v[i] != 0;
        return out;
    }

    static String[] strings(OnnxTensor t) {
        if (!(t.data() instanceof TensorData.Strings(var values))) throw wrongType(t, "strings()", "STRING");
        String[] out = new String[values.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(values.get(i))).toString();
            } catch (CharacterCodingException e) {
                throw new KilnException("tensor '" + t.name() + "': string element " + i + " is not valid UTF-8");
            }
        }
        return out;
    }

    /**
     * Elements of a type of 8 to 32 bits as ints: sign-extended for signed types, zero-extended for
     * unsigned ones and for the bits of FLOAT16/BFLOAT16. {@code int32_data} is normalized the same
     * way, so a writer that stored an INT8 -1 as 255 reads back as -1.
     */
    private static int[] smallInts(OnnxTensor t, int n) {
        int bits = t.type().bits();
        boolean signed = t.type() == INT8 || t.type() == INT16 || t.type() == INT32;
        int[] out = new int[n];
        switch (t.data()) {
            case TensorData.Raw(MemorySegment b) -> {
                for (int i = 0; i < n; i++) {
                    out[i] = switch (bits) {
                        case 8 -> b.get(ValueLayout.JAVA_BYTE, i);
                        case 16 -> b.getAtIndex(I16, i);
                        case 32 -> b.getAtIndex(I32, i);
                        default -> throw internal(t);
                    };
                }
            }
            case TensorData.Int32s(int[] v) -> System.arraycopy(v, 0, out, 0, n);
            default -> throw internal(t);
        }
        if (bits < 32) {
            int shift = 32 - bits;
            for (int i = 0; i < n; i++) out[i] = signed ? (out[i] << shift) >> shift : (out[i] << shift) >>> shift;
        }
        return out;
    }

    private static int arrayLength(OnnxTensor t) {
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new KilnException("tensor '" + t.name() + "' has " + n + " elements, more than a Java array holds");
        }
        return (int) n;
    }

    private static KilnException wrongType(OnnxTensor t, String accessor, String allowed) {
        return new KilnException("tensor '" + t.name() + "' is " + t.type() + "; " + accessor + " reads " + allowed);
    }

    /** The constructor checked the data against the type, so this is a bug in the reader. */
    private static IllegalStateException internal(OnnxTensor t) {
        return new IllegalStateException("tensor '" + t.name() + "': " + t.type() + " with " + t.data().getClass().getSimpleName());
    }
}
