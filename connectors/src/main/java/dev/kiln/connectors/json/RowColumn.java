package dev.kiln.connectors.json;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.ColumnVector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One column of the batch being read, in off-heap memory, written by row index rather than
 * appended. Why: a JSON record can turn out bad after some of its fields were written; since
 * every row writes each column exactly once (a value or a NULL) and the row count only moves on
 * when the whole record was good, the next record simply overwrites what a bad one left. No undo
 * log, no per-row staging. The layout is {@link ColumnVector}'s, so {@link #finish} wraps the
 * segments without a copy.
 */
final class RowColumn {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private final DataType type;
    private final QueryMemory mem;
    private final boolean varchar;
    private final int width;
    private MemorySegment values;
    /** null until the first NULL of the batch: a batch without NULLs gets no bitmap */
    private MemorySegment validity;
    /** VARCHAR bytes; a row's text starts where the previous row's ended (offsets[row]) */
    private MemorySegment heap;
    private int capacity;

    RowColumn(DataType type, QueryMemory mem, int capacity) {
        this.type = type;
        this.mem = mem;
        this.varchar = type.physical() == PhysicalKind.VARCHAR;
        this.width = varchar ? 4 : type.physical().width();
        this.capacity = capacity;
        this.values = mem.allocate((long) (capacity + 1) * width); // zeroed: offsets[0] = 0
        try {
            this.heap = varchar ? mem.allocate(Math.max(64, capacity * 16L)) : null;
        } catch (RuntimeException e) {
            mem.free(values);
            throw e;
        }
    }

    /** Makes room for rows 0..rows-1. */
    void grow(int rows) {
        if (rows <= capacity) return;
        int cap = Math.max(rows, capacity * 2);
        values = mem.reallocate(values, (long) (cap + 1) * width);
        if (validity != null) validity = mem.reallocate(validity, words(cap) * 8);
        capacity = cap;
    }

    private static long words(int rows) {
        return (rows + 63) >>> 6;
    }

    private void present(int row) {
        if (validity != null) {
            long w = (long) (row >>> 6) << 3;
            validity.set(LONG, w, validity.get(LONG, w) | (1L << row));
        }
    }

    void setNull(int row) {
        if (validity == null) {
            // every row before this one had a value
            validity = mem.allocate(words(capacity) * 8);
            validity.asSlice(0, row >>> 3).fill((byte) -1);
            for (int r = row & ~7; r < row; r++) present(r);
        }
        long w = (long) (row >>> 6) << 3;
        validity.set(LONG, w, validity.get(LONG, w) & ~(1L << row));
        if (varchar) values.set(INT, (row + 1L) * 4, values.get(INT, row * 4L));
    }

    void setBoolean(int row, boolean v) {
        values.set(ValueLayout.JAVA_BYTE, row, (byte) (v ? 1 : 0));
        present(row);
    }

    void setByte(int row, byte v) {
        values.set(ValueLayout.JAVA_BYTE, row, v);
        present(row);
    }

    void setShort(int row, short v) {
        values.set(SHORT, row * 2L, v);
        present(row);
    }

    void setInt(int row, int v) {
        values.set(INT, row * 4L, v);
        present(row);
    }

    void setLong(int row, long v) {
        values.set(LONG, row * 8L, v);
        present(row);
    }

    void setDouble(int row, double v) {
        values.set(DOUBLE, row * 8L, v);
        present(row);
    }

    void setString(int row, byte[] src, int offset, int length) {
        int start = values.get(INT, row * 4L);
        long end = (long) start + length;
        if (end > Integer.MAX_VALUE) throw new IllegalStateException("a string column batch holds more than 2 GB of text");
        if (end > heap.byteSize()) heap = mem.reallocate(heap, Math.max(heap.byteSize() * 2, end));
        MemorySegment.copy(src, offset, heap, ValueLayout.JAVA_BYTE, start, length);
        values.set(INT, (row + 1L) * 4, (int) end);
        present(row);
    }

    /** The first {@code rows} rows as a vector over this column's memory, which it now owns. */
    ColumnVector finish(int rows) {
        MemorySegment v = values.asSlice(0, (long) (varchar ? rows + 1 : rows) * width);
        MemorySegment h = varchar ? heap.asSlice(0, values.get(INT, rows * 4L)) : MemorySegment.NULL;
        MemorySegment nulls = validity == null ? MemorySegment.NULL : validity.asSlice(0, words(rows) * 8);
        ColumnVector out = ColumnVector.wrap(type, rows, v, h, nulls);
        values = heap = validity = null;
        return out;
    }

    /** Gives the memory back (a read that failed). */
    void free() {
        for (MemorySegment s : new MemorySegment[] {values, heap, validity}) {
            if (s != null) mem.free(s);
        }
        values = heap = validity = null;
    }
}
