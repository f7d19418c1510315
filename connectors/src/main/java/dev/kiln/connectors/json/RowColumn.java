package dev.kiln.connectors.json;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.ColumnVector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * One column of the batch being read, written by row index rather than appended. Why: a JSON
 * record can turn out bad after some of its fields were written; since every row writes each
 * column exactly once (a value or a NULL) and the row count only moves on when the whole record
 * was good, the next record simply overwrites what a bad one left. No undo log, no staging.
 *
 * <p>Fixed-width values go straight into the batch's off-heap segment. VARCHAR text and offsets
 * are gathered in heap arrays and copied off-heap in one go when the batch is cut: a value is
 * typically a few dozen bytes, and one {@code System.arraycopy} each plus one bulk copy per batch
 * costs far less than a native copy per value. The arrays are reused from batch to batch and, through
 * {@link TextBuffers}, from read to read (at most one batch of text per column and concurrent read,
 * outside the query's budget).
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
    /** fixed-width values of the batch (null for VARCHAR until {@link #finish}) */
    private MemorySegment values;
    /** null until the first NULL of the batch: a batch without NULLs gets no bitmap */
    private MemorySegment validity;
    /** VARCHAR: row r's text is text[offsets[r], offsets[r + 1]) */
    private int[] offsets;
    private byte[] text;
    private int capacity;

    /** Column {@code col} of a read; a VARCHAR column starts from the arrays in {@code buffers}, when it holds some. */
    RowColumn(DataType type, QueryMemory mem, TextBuffers buffers, int col) {
        this.type = type;
        this.mem = mem;
        this.varchar = type.physical() == PhysicalKind.VARCHAR;
        this.width = varchar ? 4 : type.physical().width();
        if (varchar) {
            offsets = buffers.offsets[col] != null ? buffers.offsets[col] : new int[17];
            text = buffers.text[col] != null ? buffers.text[col] : new byte[256];
        }
    }

    /** Leaves this column's heap arrays in {@code buffers} for the reader's next read. */
    void keep(TextBuffers buffers, int col) {
        if (!varchar) return;
        buffers.offsets[col] = offsets;
        buffers.text[col] = text;
    }

    /** Starts a batch with room for {@code rows} rows. */
    void start(int rows) {
        capacity = rows;
        if (varchar) {
            if (offsets.length < rows + 1) offsets = new int[rows + 1];
            offsets[0] = 0;
        } else {
            values = mem.allocate((long) rows * width);
        }
    }

    /** Makes room for rows 0..rows-1 of this batch. */
    void grow(int rows) {
        if (rows <= capacity) return;
        if (varchar) {
            if (offsets.length < rows + 1) offsets = Arrays.copyOf(offsets, rows + 1);
        } else {
            values = mem.reallocate(values, (long) rows * width);
        }
        if (validity != null) validity = mem.reallocate(validity, words(rows) * 8);
        capacity = rows;
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
        if (varchar) offsets[row + 1] = offsets[row];
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
        int start = offsets[row];
        int end = start + length;
        if (end > text.length || end < 0) growText(end);
        System.arraycopy(src, offset, text, start, length);
        offsets[row + 1] = end;
        present(row);
    }

    private void growText(int end) {
        if (end < 0 || end > Integer.MAX_VALUE - 16) throw new IllegalStateException("a string column batch holds more than 2 GB of text");
        text = Arrays.copyOf(text, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(end, text.length * 2L)));
    }

    /** The first {@code rows} rows as a vector in off-heap memory, which it now owns; the column is ready for {@link #start}. */
    ColumnVector finish(int rows) {
        MemorySegment v, h = MemorySegment.NULL;
        if (varchar) {
            v = mem.allocate((rows + 1L) * 4);
            MemorySegment.copy(offsets, 0, v, INT, 0, rows + 1);
            try {
                h = mem.allocate(offsets[rows]);
            } catch (RuntimeException e) {
                mem.free(v);
                throw e;
            }
            MemorySegment.copy(text, 0, h, ValueLayout.JAVA_BYTE, 0, offsets[rows]);
        } else {
            v = values.asSlice(0, (long) rows * width);
        }
        MemorySegment nulls = validity == null ? MemorySegment.NULL : validity.asSlice(0, words(rows) * 8);
        values = validity = null;
        return ColumnVector.wrap(type, rows, v, h, nulls);
    }

    /** Gives the batch's memory back (a read that failed). */
    void free() {
        if (values != null) mem.free(values);
        if (validity != null) mem.free(validity);
        values = validity = null;
    }
}
