package dev.kiln.runtime.vector;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.runtime.memory.QueryMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Appends values into growable off-heap buffers (doubling), then {@link #build}s a
 * {@link ColumnVector}. The validity bitmap is only allocated once a NULL arrives.
 */
public final class VectorBuilder {
    private final DataType type;
    private final PhysicalKind kind;
    private final QueryMemory mem;
    private final int width;
    private MemorySegment values;
    private MemorySegment validity = MemorySegment.NULL;
    private MemorySegment heap = MemorySegment.NULL;
    private long heapUsed;
    private int capacity;
    private int size;
    private boolean built;

    public VectorBuilder(DataType type, QueryMemory mem, int initialCapacity) {
        this.type = type;
        this.kind = type.physical();
        if (!kind.fixedWidth() && !ColumnVector.offsets(kind)) throw new IllegalArgumentException("cannot build vectors of " + type.sql() + " yet");
        this.mem = mem;
        this.width = ColumnVector.width(type);
        this.capacity = Math.max(initialCapacity, 16);
        this.values = mem.allocate((long) (capacity + 1) * width);
        if (ColumnVector.offsets(kind)) heap = mem.allocate(Math.max(64, capacity * 8L));
    }

    public int size() {
        return size;
    }

    private void ensureRow() {
        if (built) throw new IllegalStateException("builder already built");
        if (size < capacity) return;
        int newCap = capacity * 2;
        values = mem.reallocate(values, (long) (newCap + 1) * width);
        if (validity.byteSize() != 0) validity = mem.reallocate(validity, words(newCap) * 8L);
        capacity = newCap;
    }

    private static long words(int n) {
        return (n + 63) >>> 6;
    }

    private void markPresent() {
        if (validity.byteSize() != 0) {
            long w = (long) (size >>> 6) << 3;
            validity.set(ValueLayout.JAVA_LONG_UNALIGNED, w, validity.get(ValueLayout.JAVA_LONG_UNALIGNED, w) | (1L << size));
        }
    }

    public void appendNull() {
        ensureRow();
        if (validity.byteSize() == 0) {
            validity = mem.allocate(words(capacity) * 8L);
            for (int i = 0; i < size; i++) {
                long w = (long) (i >>> 6) << 3;
                validity.set(ValueLayout.JAVA_LONG_UNALIGNED, w, validity.get(ValueLayout.JAVA_LONG_UNALIGNED, w) | (1L << i));
            }
        }
        if (ColumnVector.offsets(kind)) {
            if (size == 0) values.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 0);
            values.set(ValueLayout.JAVA_INT_UNALIGNED, (size + 1L) * 4, (int) heapUsed);
        }
        size++;
    }

    public void appendBoolean(boolean v) {
        ensureRow();
        markPresent();
        values.set(ValueLayout.JAVA_BYTE, size, (byte) (v ? 1 : 0));
        size++;
    }

    /** Any integer width, DECIMAL (unscaled) or TIMESTAMP (micros); narrowed to the physical width. */
    public void appendLong(long v) {
        ensureRow();
        markPresent();
        switch (kind) {
            case I8 -> values.set(ValueLayout.JAVA_BYTE, size, (byte) v);
            case I16 -> values.set(ValueLayout.JAVA_SHORT_UNALIGNED, size * 2L, (short) v);
            case I32 -> values.set(ValueLayout.JAVA_INT_UNALIGNED, size * 4L, (int) v);
            case I64 -> values.set(ValueLayout.JAVA_LONG_UNALIGNED, size * 8L, v);
            default -> throw new IllegalStateException("appendLong on a " + type.sql() + " column");
        }
        size++;
    }

    /** INTEGER, DATE (days) and smaller integers. */
    public void appendInt(int v) {
        if (kind != PhysicalKind.I32) {
            appendLong(v);
            return;
        }
        ensureRow();
        markPresent();
        values.set(ValueLayout.JAVA_INT_UNALIGNED, size * 4L, v);
        size++;
    }

    public void appendDouble(double v) {
        if (kind != PhysicalKind.F64) throw new IllegalStateException("appendDouble on a " + type.sql() + " column");
        ensureRow();
        markPresent();
        values.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, size * 8L, v);
        size++;
    }

    public void appendString(MemorySegment src, long offset, int length) {
        if (kind != PhysicalKind.VARCHAR) throw new IllegalStateException("appendString on a " + type.sql() + " column");
        appendCell(src, offset, length);
    }

    /** Appends the encoded bytes of a VARCHAR or TENSOR value (see {@link TensorCells}). */
    public void appendCell(MemorySegment src, long offset, int length) {
        MemorySegment.copy(src, offset, reserveCell(length), 0, length);
    }

    /**
     * Makes room for {@code bytes} more bytes of VARCHAR or TENSOR cells, so that appending cells
     * whose total size the caller knows (an image table's pixels) grows the heap once rather than
     * by doublings, each a copy.
     */
    public void reserveCellBytes(long bytes) {
        if (!ColumnVector.offsets(kind)) throw new IllegalStateException("reserveCellBytes on a " + type.sql() + " column");
        if (heapUsed + bytes > heap.byteSize()) heap = mem.reallocate(heap, heapUsed + bytes);
    }

    /** Appends a cell of {@code length} bytes and returns its place in the heap, for the caller to fill. */
    private MemorySegment reserveCell(int length) {
        if (!ColumnVector.offsets(kind)) throw new IllegalStateException("appendCell on a " + type.sql() + " column");
        ensureRow();
        markPresent();
        if (heapUsed + length > heap.byteSize()) {
            heap = mem.reallocate(heap, Math.max(heap.byteSize() * 2, heapUsed + length));
        }
        if (size == 0) values.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 0);
        long at = heapUsed;
        heapUsed += length;
        if (heapUsed > Integer.MAX_VALUE) throw new IllegalStateException("a " + type.sql() + " column batch holds more than 2 GB");
        values.set(ValueLayout.JAVA_INT_UNALIGNED, (size + 1L) * 4, (int) heapUsed);
        size++;
        return heap.asSlice(at, length);
    }

    public void appendString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        appendString(MemorySegment.ofArray(b), 0, b.length);
    }

    /** Boxed as {@link ColumnVector#getObject}; null appends NULL. */
    public void appendObject(Object o) {
        if (o == null) {
            appendNull();
            return;
        }
        switch (type) {
            case DataType.BooleanType b -> appendBoolean((Boolean) o);
            case DataType.IntType i -> {
                long v = ((Number) o).longValue();
                if (v < i.minValue() || v > i.maxValue()) throw new IllegalArgumentException("value " + v + " does not fit " + type.sql());
                appendLong(v);
            }
            case DataType.DecimalType d -> {
                BigDecimal v = o instanceof BigDecimal x ? x : new BigDecimal(o.toString());
                BigDecimal s = v.setScale(d.scale(), RoundingMode.HALF_UP);
                if (s.unscaledValue().abs().compareTo(java.math.BigInteger.TEN.pow(d.precision())) >= 0) {
                    throw new IllegalArgumentException("value " + v.toPlainString() + " does not fit " + type.sql());
                }
                appendLong(s.unscaledValue().longValue());
            }
            case DataType.DoubleType d -> appendDouble(((Number) o).doubleValue());
            case DataType.DateType d -> appendInt(Math.toIntExact(((LocalDate) o).toEpochDay()));
            case DataType.TimestampType t -> {
                LocalDateTime ts = (LocalDateTime) o;
                appendLong(Math.addExact(Math.multiplyExact(ts.toEpochSecond(ZoneOffset.UTC), 1_000_000L), ts.getNano() / 1000));
            }
            case DataType.VarcharType v -> appendString(o.toString());
            case DataType.TensorType t -> {
                if (!(o instanceof dev.kiln.ir.tensor.Tensor x) || x.type() != t.tensor().element()) {
                    throw new IllegalArgumentException("a " + type.sql() + " column takes " + t.tensor().element() + " tensors, not " + o);
                }
                if (x.type() == dev.kiln.ir.tensor.ElementType.STRING) {
                    byte[] b = TensorCells.encode(x);
                    appendCell(MemorySegment.ofArray(b), 0, b.length);
                } else {
                    // fixed-width elements are written straight into the heap, not through an array
                    long length = TensorCells.fixedSize(x);
                    if (length > Integer.MAX_VALUE) throw new IllegalArgumentException("a tensor value of " + length + " bytes is too large for a column cell (2 GB)");
                    TensorCells.encodeInto(x, reserveCell((int) length), 0);
                }
            }
            default -> throw new IllegalStateException("cannot append to a " + type.sql() + " column");
        }
    }

    public ColumnVector build() {
        if (built) throw new IllegalStateException("builder already built");
        built = true;
        boolean offsets = ColumnVector.offsets(kind);
        if (offsets && size == 0) values.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 0);
        MemorySegment v = values.asSlice(0, (long) (offsets ? size + 1 : size) * width);
        MemorySegment h = offsets ? heap.asSlice(0, heapUsed) : MemorySegment.NULL;
        return new ColumnVector(type, size, v, h, validity);
    }
}
