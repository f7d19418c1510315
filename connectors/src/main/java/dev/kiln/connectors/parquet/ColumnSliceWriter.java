package dev.kiln.connectors.parquet;

import dev.kiln.connectors.TableAssembler;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the values of one column of one row group into vectors of at most
 * {@link Table#MORSEL_ROWS} rows. The row count is known from the footer, so each vector's
 * values are allocated once at their final size (strings' text grows by doubling); the validity
 * bitmap is allocated at the first NULL. {@link #abandon} frees everything written so far.
 */
final class ColumnSliceWriter {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private final DataType type;
    private final PhysicalKind kind;
    private final int width;
    private final QueryMemory mem;
    private final List<ColumnVector> done = new ArrayList<>();
    private long rowsLeft;
    private MemorySegment values = MemorySegment.NULL, validity = MemorySegment.NULL, heap = MemorySegment.NULL;
    private long heapUsed;
    private int sliceRows;
    private int pos;

    ColumnSliceWriter(DataType type, long rows, QueryMemory mem) {
        this.type = type;
        this.kind = type.physical();
        this.width = kind == PhysicalKind.VARCHAR ? 4 : kind.width();
        this.mem = mem;
        this.rowsLeft = rows;
    }

    /** Rows that can still be written into the current vector (starting the next one if it is full); 0 at the end. */
    int room() {
        if (pos == sliceRows) {
            if (sliceRows > 0) cut();
            if (rowsLeft == 0) return 0;
            start();
        }
        return sliceRows - pos;
    }

    private void start() {
        sliceRows = (int) Math.min(rowsLeft, Table.MORSEL_ROWS);
        rowsLeft -= sliceRows;
        pos = 0;
        values = mem.allocate((long) (kind == PhysicalKind.VARCHAR ? sliceRows + 1 : sliceRows) * width);
        if (kind == PhysicalKind.VARCHAR) heap = mem.allocate(Math.max(64, sliceRows * 16L));
    }

    private void cut() {
        MemorySegment h = MemorySegment.NULL;
        if (kind == PhysicalKind.VARCHAR) {
            // give back the unused tail of the text buffer
            h = heapUsed == heap.byteSize() ? heap : mem.reallocate(heap, heapUsed);
            heap = MemorySegment.NULL;
        }
        done.add(ColumnVector.wrap(type, sliceRows, values, h, validity));
        values = MemorySegment.NULL;
        validity = MemorySegment.NULL;
        heapUsed = 0;
        sliceRows = 0;
        pos = 0;
    }

    private void ensure() {
        if (pos == sliceRows && room() == 0) throw new ParquetFormatException("the column has more values than its row group has rows");
    }

    void putNull() {
        ensure();
        if (validity.address() == 0) {
            validity = mem.allocate(((sliceRows + 63L) >>> 6) * 8);
            for (int i = 0; i < pos; i++) setValid(i);
        }
        if (kind == PhysicalKind.VARCHAR) values.set(INT, (pos + 1L) * 4, (int) heapUsed);
        pos++;
    }

    private void setValid(int row) {
        long w = (long) (row >>> 6) << 3;
        validity.set(LONG, w, validity.get(LONG, w) | (1L << row));
    }

    private void present() {
        if (validity.address() != 0) setValid(pos);
    }

    /** Integers of any width, DECIMAL unscaled, DATE days, TIMESTAMP micros, BOOLEAN as 0/1. */
    void putLong(long v) {
        ensure();
        present();
        switch (kind) {
            case BOOL, I8 -> values.set(ValueLayout.JAVA_BYTE, pos, (byte) v);
            case I16 -> values.set(ValueLayout.JAVA_SHORT_UNALIGNED, pos * 2L, (short) v);
            case I32 -> values.set(INT, pos * 4L, (int) v);
            case I64 -> values.set(LONG, pos * 8L, v);
            default -> throw new IllegalStateException("putLong on a " + type.sql() + " column");
        }
        pos++;
    }

    void putDouble(double v) {
        ensure();
        present();
        values.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, pos * 8L, v);
        pos++;
    }

    void putString(MemorySegment src, long offset, int length) {
        ensure();
        present();
        if (heapUsed + length > heap.byteSize()) {
            long grown = Math.max(heap.byteSize() * 2, heapUsed + length);
            if (grown > Integer.MAX_VALUE) throw new ParquetFormatException("more than 2 GB of text in " + Table.MORSEL_ROWS + " rows");
            heap = mem.reallocate(heap, grown);
        }
        MemorySegment.copy(src, offset, heap, heapUsed, length);
        heapUsed += length;
        values.set(INT, (pos + 1L) * 4, (int) heapUsed);
        pos++;
    }

    /**
     * Copies {@code n} present fixed-width values stored little-endian (Parquet's PLAIN) whose
     * width is this column's; returns how many fit into the current vector.
     */
    int copyFixed(MemorySegment src, long offset, int n) {
        ensure();
        int take = Math.min(n, sliceRows - pos);
        if (validity.address() != 0) for (int i = 0; i < take; i++) setValid(pos + i);
        switch (kind) {
            case I32 -> MemorySegment.copy(src, INT.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), offset, values, INT, pos * 4L, take);
            case I64 -> MemorySegment.copy(src, LONG.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), offset, values, LONG, pos * 8L, take);
            case F64 -> MemorySegment.copy(src, ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), offset,
                    values, ValueLayout.JAVA_DOUBLE_UNALIGNED, pos * 8L, take);
            default -> throw new IllegalStateException("copyFixed on a " + type.sql() + " column");
        }
        pos += take;
        return take;
    }

    /** The finished vectors; fails if fewer values were written than the row group has rows. */
    List<ColumnVector> finish() {
        if (pos == sliceRows && sliceRows > 0) cut();
        if (sliceRows > 0 || rowsLeft > 0) throw new ParquetFormatException("the column has fewer values than its row group has rows");
        return List.copyOf(done);
    }

    /** Frees every vector written and the one in progress. */
    void abandon() {
        for (ColumnVector v : done) TableAssembler.free(mem, v);
        done.clear();
        for (MemorySegment s : new MemorySegment[] {values, validity, heap}) {
            if (s.address() != 0) mem.free(s);
        }
        values = validity = heap = MemorySegment.NULL;
    }
}
