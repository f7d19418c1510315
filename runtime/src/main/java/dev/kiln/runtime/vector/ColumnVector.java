package dev.kiln.runtime.vector;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.runtime.memory.QueryMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * An immutable column of {@code size} values in off-heap memory. Fixed-width values sit in
 * {@link #values()} in native order; VARCHAR keeps size+1 int offsets there and the UTF-8 bytes
 * in {@link #heap()}. {@link #validity()} is a bitmap (bit set = present) or
 * {@code MemorySegment.NULL} when there are no NULLs. Generated code reads the segments directly;
 * the getters are for results, tests and the slow paths.
 */
public final class ColumnVector {
    private final DataType type;
    private final int size;
    private final MemorySegment values;
    private final MemorySegment heap;
    private final MemorySegment validity;
    private final List<ColumnVector> fields;

    public ColumnVector(DataType type, int size, MemorySegment values, MemorySegment heap, MemorySegment validity) {
        this(type, size, values, heap, validity, List.of());
    }

    private ColumnVector(DataType type, int size, MemorySegment values, MemorySegment heap, MemorySegment validity, List<ColumnVector> fields) {
        this.type = type;
        this.size = size;
        this.values = values;
        this.heap = heap;
        this.validity = validity;
        this.fields = fields;
    }

    /**
     * A STRUCT column made of its fields' columns (no copy), as a result gives a selected struct
     * back: a row's struct is NULL where every field is (SQL's rule for row values).
     */
    public static ColumnVector struct(DataType.StructType type, List<ColumnVector> fields) {
        if (fields.size() != type.fields().size()) {
            throw new IllegalArgumentException(type.sql() + " has " + type.fields().size() + " fields, not " + fields.size() + " columns");
        }
        int size = fields.isEmpty() ? 0 : fields.getFirst().size();
        for (ColumnVector f : fields) {
            if (f.size() != size) throw new IllegalArgumentException("the fields of a " + type.sql() + " column have different sizes");
        }
        return new ColumnVector(type, size, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, List.copyOf(fields));
    }

    /** A STRUCT column's fields, in the type's order; empty for other columns. */
    public List<ColumnVector> fields() {
        return fields;
    }

    /** Wraps existing segments (e.g. memory-mapped files); no copy. */
    public static ColumnVector wrap(DataType type, int size, MemorySegment values, MemorySegment heap, MemorySegment validity) {
        return new ColumnVector(type, size, values, heap, validity);
    }

    public static ColumnVector of(DataType type, QueryMemory mem, List<?> boxedValues) {
        VectorBuilder b = new VectorBuilder(type, mem, Math.max(1, boxedValues.size()));
        for (Object o : boxedValues) b.appendObject(o);
        return b.build();
    }

    public DataType type() { return type; }
    public int size() { return size; }
    public MemorySegment values() { return values; }
    public MemorySegment heap() { return heap; }
    public MemorySegment validity() { return validity; }

    public boolean hasNulls() {
        if (!fields.isEmpty()) return fields.stream().allMatch(ColumnVector::hasNulls);
        return validity.byteSize() != 0;
    }

    public boolean isNull(int row) {
        if (!fields.isEmpty()) {
            for (ColumnVector f : fields) if (!f.isNull(row)) return false;
            return true;
        }
        return validity.byteSize() != 0 && (validity.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) (row >>> 6) << 3) & (1L << row)) == 0;
    }

    public boolean getBoolean(int row) { return values.get(ValueLayout.JAVA_BYTE, row) != 0; }
    public byte getByte(int row) { return values.get(ValueLayout.JAVA_BYTE, row); }
    public short getShort(int row) { return values.get(ValueLayout.JAVA_SHORT_UNALIGNED, (long) row * 2); }
    public int getInt(int row) { return values.get(ValueLayout.JAVA_INT_UNALIGNED, (long) row * 4); }
    public long getLong(int row) { return values.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) row * 8); }
    public double getDouble(int row) { return values.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, (long) row * 8); }

    public int stringOffset(int row) { return getInt(row); }
    public int stringLength(int row) { return getInt(row + 1) - getInt(row); }

    public String getString(int row) {
        int start = getInt(row);
        int len = getInt(row + 1) - start;
        byte[] b = new byte[len];
        MemorySegment.copy(heap, ValueLayout.JAVA_BYTE, start, b, 0, len);
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Boxed as the IR's literals: Boolean, Long, BigDecimal, Double, LocalDate, LocalDateTime,
     * String; a {@link StructValue} for a STRUCT; null for NULL.
     */
    public Object getObject(int row) {
        if (isNull(row)) return null;
        return switch (type) {
            case DataType.BooleanType b -> getBoolean(row);
            case DataType.IntType i -> switch (i.physical()) {
                case I8 -> (long) getByte(row);
                case I16 -> (long) getShort(row);
                case I32 -> (long) getInt(row);
                default -> getLong(row);
            };
            case DataType.DecimalType d -> BigDecimal.valueOf(getLong(row), d.scale());
            case DataType.DoubleType d -> getDouble(row);
            case DataType.DateType d -> LocalDate.ofEpochDay(getInt(row));
            case DataType.TimestampType t -> {
                long micros = getLong(row);
                yield LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
            }
            case DataType.VarcharType v -> getString(row);
            case DataType.StructType s -> {
                List<Object> values = new java.util.ArrayList<>(fields.size());
                for (ColumnVector f : fields) values.add(f.getObject(row));
                yield new StructValue(s.fields().stream().map(dev.kiln.ir.type.Field::name).toList(), values);
            }
            case DataType.TensorType t -> TensorCells.decode(t.tensor().element(), cell(row));
        };
    }

    /** The bytes of a VARCHAR or TENSOR value in the heap. */
    public MemorySegment cell(int row) {
        int start = getInt(row);
        return heap.asSlice(start, getInt(row + 1) - start);
    }

    /** VARCHAR and TENSOR vectors hold int offsets into a heap of variable-length values. */
    static boolean offsets(PhysicalKind k) {
        return k == PhysicalKind.VARCHAR || k == PhysicalKind.TENSOR;
    }

    static int width(DataType type) {
        PhysicalKind k = type.physical();
        return offsets(k) ? 4 : k.width();
    }
}
