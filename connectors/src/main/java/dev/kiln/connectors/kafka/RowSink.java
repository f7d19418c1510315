package dev.kiln.connectors.kafka;

import dev.kiln.connectors.TableAssembler;
import dev.kiln.connectors.json.JsonRecordParser;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.ir.type.Schema;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The row a {@link RecordDecoder} fills: values are staged here, in primitive arrays, and only
 * appended to the columns when the whole record decoded. A record that fails half-way therefore
 * leaves no half row behind (the off-heap column builders cannot take a value back), at the cost
 * of one copy of each value, which no object allocation comes with.
 *
 * <p>Setters by column index (the schema's order): {@link #setLong} for every integer type,
 * DECIMAL (the unscaled value), DATE (days since 1970-01-01) and TIMESTAMP (microseconds since
 * 1970-01-01T00:00); {@link #setDouble}, {@link #setBoolean}, {@link #setString} for VARCHAR;
 * {@link #setNull}. Setting a column twice keeps the last value. Calling a setter of the wrong
 * kind is a decoder bug and throws {@link IllegalStateException}; a value that does not fit its
 * column (300 into a TINYINT) is a bad record. The setters are those of a
 * {@link JsonRecordParser.Sink}, so the JSON parser fills a RowSink directly
 * ({@link JsonRecordDecoder}).
 */
public final class RowSink implements JsonRecordParser.Sink {
    private static final byte UNSET = 0, VALUE = 1, NULL = 2;

    private final Schema schema;
    private final PhysicalKind[] kinds;
    private final long[] longs;
    private final byte[][] strings;
    private final int[] stringOffsets;
    private final int[] stringLengths;
    private final byte[] state;
    private TableAssembler out;
    /** The last string source wrapped as a segment: a record's strings usually share one array. */
    private byte[] wrappedArray;
    private MemorySegment wrapped;

    /** A sink for rows of {@code schema}; a source points it at its output with {@link #target}. */
    public RowSink(Schema schema) {
        this.schema = schema;
        int n = schema.size();
        kinds = new PhysicalKind[n];
        for (int i = 0; i < n; i++) {
            kinds[i] = schema.field(i).type().physical();
            if (!kinds[i].fixedWidth() && kinds[i] != PhysicalKind.VARCHAR) {
                throw new IllegalArgumentException("column '" + schema.field(i).name() + "' is " + schema.field(i).type().sql() + ", which a Kafka source cannot produce");
            }
        }
        longs = new long[n];
        strings = new byte[n][];
        stringOffsets = new int[n];
        stringLengths = new int[n];
        state = new byte[n];
    }

    public Schema schema() {
        return schema;
    }

    @Override
    public void setLong(int column, long v) {
        switch (kinds[column]) {
            case I8, I16, I32, I64 -> checkRange(column, v);
            default -> throw wrongKind(column, "setLong");
        }
        longs[column] = v;
        state[column] = VALUE;
    }

    @Override
    public void setDouble(int column, double v) {
        if (kinds[column] != PhysicalKind.F64) throw wrongKind(column, "setDouble");
        longs[column] = Double.doubleToRawLongBits(v);
        state[column] = VALUE;
    }

    @Override
    public void setBoolean(int column, boolean v) {
        if (kinds[column] != PhysicalKind.BOOL) throw wrongKind(column, "setBoolean");
        longs[column] = v ? 1 : 0;
        state[column] = VALUE;
    }

    /** UTF-8 bytes {@code [offset, offset + length)} of {@code bytes}, which must not change until the decoder returns. */
    @Override
    public void setString(int column, byte[] bytes, int offset, int length) {
        if (kinds[column] != PhysicalKind.VARCHAR) throw wrongKind(column, "setString");
        strings[column] = bytes;
        stringOffsets[column] = offset;
        stringLengths[column] = length;
        state[column] = VALUE;
    }

    public void setString(int column, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        setString(column, b, 0, b.length);
    }

    @Override
    public void setNull(int column) {
        state[column] = NULL;
    }

    /** Where committed rows go (for sources: the Kafka source points it at one assembler per partition). */
    public void target(TableAssembler assembler) {
        this.out = assembler;
    }

    /** Forgets the staged values (for sources: after a bad record). */
    public void clear() {
        Arrays.fill(state, UNSET);
        Arrays.fill(strings, null);
    }

    /**
     * For sources, after the decoder returned: appends the staged row to the target and clears.
     * A NOT NULL column left unset or NULL makes the record bad (and nothing is appended).
     */
    public void commit() {
        for (int c = 0; c < kinds.length; c++) {
            if (state[c] != VALUE && !schema.field(c).nullable()) {
                throw new BadRecordException("field '" + schema.field(c).name() + "' is " + (state[c] == NULL ? "null" : "missing") + " but the column is NOT NULL");
            }
        }
        for (int c = 0; c < kinds.length; c++) {
            var b = out.column(c);
            if (state[c] != VALUE) {
                b.appendNull();
                continue;
            }
            switch (kinds[c]) {
                case BOOL -> b.appendBoolean(longs[c] != 0);
                case I8, I16, I32, I64 -> b.appendLong(longs[c]);
                case F64 -> b.appendDouble(Double.longBitsToDouble(longs[c]));
                default -> b.appendString(segment(strings[c]), stringOffsets[c], stringLengths[c]);
            }
        }
        out.endRow();
        clear();
    }

    private MemorySegment segment(byte[] array) {
        if (array != wrappedArray) {
            wrappedArray = array;
            wrapped = MemorySegment.ofArray(array);
        }
        return wrapped;
    }

    private void checkRange(int column, long v) {
        DataType t = schema.field(column).type();
        if (t instanceof DataType.IntType i && (v < i.minValue() || v > i.maxValue())) {
            throw new BadRecordException("field '" + schema.field(column).name() + "': " + v + " does not fit " + t.sql());
        }
        if (t instanceof DataType.DecimalType d && (v >= POWERS_OF_TEN[d.precision()] || v <= -POWERS_OF_TEN[d.precision()])) {
            throw new BadRecordException("field '" + schema.field(column).name() + "': too many digits for " + t.sql());
        }
    }

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }

    private IllegalStateException wrongKind(int column, String setter) {
        return new IllegalStateException("decoder bug: " + setter + " on column '" + schema.field(column).name() + "' of type " + schema.field(column).type().sql());
    }
}
