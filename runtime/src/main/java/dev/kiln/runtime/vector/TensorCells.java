package dev.kiln.runtime.vector;

import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * How a TENSOR value sits in a column: like a string, a run of bytes between two offsets in the
 * vector's heap - its rank (int), its dimensions (long each), then its elements, little-endian, at
 * the element type's width (BOOL one byte, FLOAT16/BFLOAT16 as their 16 bits; STRING elements as
 * an int length and UTF-8 bytes). Rows of one column may differ in shape (images of any size),
 * not in element type. The elements of a fixed-width type can be read in place with
 * {@link #data}, which is how batched inference copies them without boxing.
 */
public final class TensorCells {
    private TensorCells() {}

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The encoded bytes of one value. */
    public static byte[] encode(Tensor t) {
        long[] shape = t.shape();
        int header = 4 + 8 * shape.length;
        ElementType type = t.type();
        int n = t.size();
        byte[][] strings = null;
        long body;
        if (type == ElementType.STRING) {
            strings = new byte[n][];
            body = 0;
            for (int i = 0; i < n; i++) {
                strings[i] = t.getString(i).getBytes(StandardCharsets.UTF_8);
                body += 4 + strings[i].length;
            }
        } else {
            body = (long) n * type.byteWidth();
        }
        if (header + body > Integer.MAX_VALUE) throw new IllegalArgumentException("a tensor value of " + (header + body) + " bytes is too large for a column cell (2 GB)");
        byte[] out = new byte[(int) (header + body)];
        MemorySegment s = MemorySegment.ofArray(out);
        s.set(INT, 0, shape.length);
        for (int i = 0; i < shape.length; i++) s.set(LONG, 4 + 8L * i, shape[i]);
        long at = header;
        for (int i = 0; i < n; i++) {
            switch (type) {
                case FLOAT32 -> s.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), at, (float) t.getDouble(i));
                case FLOAT64 -> s.set(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), at, t.getDouble(i));
                case FLOAT16 -> s.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), at, Float.floatToFloat16((float) t.getDouble(i)));
                case BFLOAT16 -> s.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), at, (short) (Float.floatToRawIntBits((float) t.getDouble(i)) >>> 16));
                case BOOL -> s.set(ValueLayout.JAVA_BYTE, at, (byte) (t.getBool(i) ? 1 : 0));
                case INT8, UINT8 -> s.set(ValueLayout.JAVA_BYTE, at, (byte) t.getLong(i));
                case INT16, UINT16 -> s.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), at, (short) t.getLong(i));
                case INT32, UINT32 -> s.set(INT, at, (int) t.getLong(i));
                case INT64, UINT64 -> s.set(LONG, at, t.getLong(i));
                case STRING -> {
                    s.set(INT, at, strings[i].length);
                    MemorySegment.copy(strings[i], 0, s, ValueLayout.JAVA_BYTE, at + 4, strings[i].length);
                    at += 4 + strings[i].length;
                    continue;
                }
            }
            at += type.byteWidth();
        }
        return out;
    }

    /** The value whose bytes are {@code cell}. */
    public static Tensor decode(ElementType type, MemorySegment cell) {
        int rank = cell.get(INT, 0);
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) shape[i] = cell.get(LONG, 4 + 8L * i);
        Tensor.Builder b = Tensor.builder(type, shape);
        long at = 4 + 8L * rank;
        for (int i = 0; i < b.size(); i++) {
            switch (type) {
                case FLOAT32 -> b.setDouble(i, cell.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), at));
                case FLOAT64 -> b.setDouble(i, cell.get(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), at));
                case FLOAT16 -> b.setDouble(i, Float.float16ToFloat(cell.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), at)));
                case BFLOAT16 -> b.setDouble(i, Float.intBitsToFloat((cell.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), at) & 0xFFFF) << 16));
                case BOOL -> b.setBool(i, cell.get(ValueLayout.JAVA_BYTE, at) != 0);
                case INT8 -> b.setLong(i, cell.get(ValueLayout.JAVA_BYTE, at));
                case UINT8 -> b.setLong(i, cell.get(ValueLayout.JAVA_BYTE, at) & 0xFF);
                case INT16 -> b.setLong(i, cell.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), at));
                case UINT16 -> b.setLong(i, cell.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), at) & 0xFFFF);
                case INT32 -> b.setLong(i, cell.get(INT, at));
                case UINT32 -> b.setLong(i, cell.get(INT, at) & 0xFFFF_FFFFL);
                case INT64, UINT64 -> b.setLong(i, cell.get(LONG, at));
                case STRING -> {
                    int len = cell.get(INT, at);
                    byte[] bytes = new byte[len];
                    MemorySegment.copy(cell, ValueLayout.JAVA_BYTE, at + 4, bytes, 0, len);
                    b.setString(i, new String(bytes, StandardCharsets.UTF_8));
                    at += 4 + len;
                    continue;
                }
            }
            at += type.byteWidth();
        }
        return b.build();
    }

    /** The shape of the value in {@code cell}. */
    public static long[] shape(MemorySegment cell) {
        int rank = cell.get(INT, 0);
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) shape[i] = cell.get(LONG, 4 + 8L * i);
        return shape;
    }

    /** The elements of a fixed-width value in place (little-endian). */
    public static MemorySegment data(MemorySegment cell) {
        int rank = cell.get(INT, 0);
        return cell.asSlice(4 + 8L * rank);
    }
}
