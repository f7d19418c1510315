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
        if (type != ElementType.STRING) {
            t.write(0, n, s, header);
            return out;
        }
        long at = header;
        for (int i = 0; i < n; i++) {
            s.set(INT, at, strings[i].length);
            MemorySegment.copy(strings[i], 0, s, ValueLayout.JAVA_BYTE, at + 4, strings[i].length);
            at += 4 + strings[i].length;
        }
        return out;
    }

    /** The encoded size of a fixed-width value (not STRING): header and elements. */
    public static long fixedSize(Tensor t) {
        if (t.type() == ElementType.STRING) throw new IllegalArgumentException("STRING tensors have no fixed size");
        return 4 + 8L * t.rank() + (long) t.size() * t.type().byteWidth();
    }

    /** Writes a fixed-width value's encoding ({@link #fixedSize} bytes) into {@code dst} at {@code offset}, without an intermediate array. */
    public static void encodeInto(Tensor t, MemorySegment dst, long offset) {
        long[] shape = t.shape();
        dst.set(INT, offset, shape.length);
        for (int i = 0; i < shape.length; i++) dst.set(LONG, offset + 4 + 8L * i, shape[i]);
        t.write(0, t.size(), dst, offset + 4 + 8L * shape.length);
    }

    /** The value whose bytes are {@code cell}. */
    public static Tensor decode(ElementType type, MemorySegment cell) {
        int rank = cell.get(INT, 0);
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) shape[i] = cell.get(LONG, 4 + 8L * i);
        Tensor.Builder b = Tensor.builder(type, shape);
        long at = 4 + 8L * rank;
        if (type != ElementType.STRING) return b.read(0, b.size(), cell, at).build();
        for (int i = 0; i < b.size(); i++) {
            int len = cell.get(INT, at);
            byte[] bytes = new byte[len];
            MemorySegment.copy(cell, ValueLayout.JAVA_BYTE, at + 4, bytes, 0, len);
            b.setString(i, new String(bytes, StandardCharsets.UTF_8));
            at += 4 + len;
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
