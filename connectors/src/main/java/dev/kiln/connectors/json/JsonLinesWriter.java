package dev.kiln.connectors.json;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Writes rows as JSON Lines, one object per row with every column in schema order, in the form
 * {@link JsonLinesReader} reads back to the same values: numbers as JSON numbers (DECIMAL exact
 * with its scale's digits, DOUBLE in the shortest form that reads back to the same double),
 * DATE as {@code "YYYY-MM-DD"}, TIMESTAMP as {@code "YYYY-MM-DDTHH:MM:SS[.ffffff]"} (no zone:
 * the reader takes it as UTC, as it was), VARCHAR with quote, backslash and control characters
 * escaped and everything else as UTF-8, NULL as {@code null}. What JSON cannot hold is an error,
 * not a silent change: NaN and infinite doubles, and dates outside the years 0000 to 9999.
 * A writer reuses one buffer: use it from one thread at a time.
 */
public final class JsonLinesWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final Schema schema;
    /** per column, {@code {"name":} for the first and {@code ,"name":} for the others */
    private final byte[][] keys;
    private byte[] out = new byte[4096];
    private int size;

    public JsonLinesWriter(Schema schema) {
        this.schema = schema;
        keys = new byte[schema.size()][];
        for (int c = 0; c < keys.length; c++) {
            size = 0;
            put((byte) (c == 0 ? '{' : ','));
            string(schema.field(c).name());
            put((byte) ':');
            keys[c] = Arrays.copyOf(out, size);
        }
        size = 0;
    }

    /** All rows of the batches, each line ending in {@code \n}. */
    public byte[] write(List<Batch> batches) {
        size = 0;
        for (Batch b : batches) append(b);
        return Arrays.copyOf(out, size);
    }

    /** Writes a batch's rows to a stream. */
    public void write(Batch batch, OutputStream stream) throws IOException {
        size = 0;
        append(batch);
        stream.write(out, 0, size);
    }

    /** Boxed rows as {@code ColumnVector.getObject} gives them (Boolean, Long, BigDecimal, Double, LocalDate, LocalDateTime, String, null). */
    public byte[] writeRows(List<Object[]> rows) {
        size = 0;
        for (Object[] row : rows) {
            if (row.length != keys.length) throw new IllegalArgumentException("a row has " + row.length + " values but the schema " + keys.length + " columns");
            for (int c = 0; c < keys.length; c++) {
                put(keys[c]);
                boxed(c, row[c]);
            }
            endRow();
        }
        return Arrays.copyOf(out, size);
    }

    private void append(Batch batch) {
        for (int r = 0; r < batch.rowCount(); r++) {
            for (int c = 0; c < keys.length; c++) {
                put(keys[c]);
                ColumnVector v = batch.column(c);
                if (v.isNull(r)) {
                    word("null");
                    continue;
                }
                switch (v.type()) {
                    case DataType.BooleanType t -> word(v.getBoolean(r) ? "true" : "false");
                    case DataType.IntType t -> number(switch (t.bits()) {
                        case 8 -> v.getByte(r);
                        case 16 -> v.getShort(r);
                        case 32 -> v.getInt(r);
                        default -> v.getLong(r);
                    });
                    case DataType.DecimalType t -> decimal(v.getLong(r), t.scale());
                    case DataType.DoubleType t -> dbl(c, v.getDouble(r));
                    case DataType.DateType t -> date(c, v.getInt(r));
                    case DataType.TimestampType t -> timestamp(c, v.getLong(r));
                    case DataType.VarcharType t -> string(v.heap(), v.stringOffset(r), v.stringLength(r));
                    default -> throw unsupported(c);
                }
            }
            endRow();
        }
    }

    private void boxed(int c, Object o) {
        if (o == null) {
            word("null");
            return;
        }
        switch (schema.field(c).type()) {
            case DataType.BooleanType t -> word((Boolean) o ? "true" : "false");
            case DataType.IntType t -> number(((Number) o).longValue());
            case DataType.DecimalType t -> decimal(((BigDecimal) o).setScale(t.scale(), RoundingMode.UNNECESSARY).unscaledValue().longValueExact(), t.scale());
            case DataType.DoubleType t -> dbl(c, ((Number) o).doubleValue());
            case DataType.DateType t -> date(c, ((LocalDate) o).toEpochDay());
            case DataType.TimestampType t -> {
                LocalDateTime ts = (LocalDateTime) o;
                timestamp(c, ts.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + ts.getNano() / 1000);
            }
            case DataType.VarcharType t -> string((String) o);
            default -> throw unsupported(c);
        }
    }

    private KilnException unsupported(int c) {
        return new KilnException("column '" + schema.field(c).name() + "' is " + schema.field(c).type().sql() + ", which the JSON writer cannot write yet");
    }

    private void endRow() {
        if (keys.length == 0) put((byte) '{');
        put((byte) '}');
        put((byte) '\n');
    }

    private void word(String w) {
        for (int i = 0; i < w.length(); i++) put((byte) w.charAt(i));
    }

    private void number(long v) {
        ensure(20);
        if (v == Long.MIN_VALUE) {
            word("-9223372036854775808");
            return;
        }
        if (v < 0) {
            out[size++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) digits++;
        for (int i = size + digits - 1; i >= size; i--, v /= 10) out[i] = (byte) ('0' + v % 10);
        size += digits;
    }

    private void decimal(long unscaled, int scale) {
        if (scale == 0) {
            number(unscaled);
            return;
        }
        // precision <= 18, so the magnitude fits a long
        if (unscaled < 0) put((byte) '-');
        long m = Math.abs(unscaled);
        long pow = RecordParser.LONG_POW10[scale];
        number(m / pow);
        ensure(scale + 1);
        out[size++] = '.';
        long f = m % pow;
        for (int i = size + scale - 1; i >= size; i--, f /= 10) out[i] = (byte) ('0' + f % 10);
        size += scale;
    }

    private void dbl(int c, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new KilnException("column '" + schema.field(c).name() + "': " + d + " cannot be written as JSON (a JSON number is finite)");
        }
        word(Double.toString(d)); // "1.0E10" is a JSON number too
    }

    private void date(int c, long day) {
        ensure(12);
        put((byte) '"');
        int end = JsonTime.writeDate(day, out, size);
        if (end < 0) throw outOfYears(c, LocalDate.ofEpochDay(day).toString());
        size = end;
        put((byte) '"');
    }

    private void timestamp(int c, long micros) {
        ensure(32);
        put((byte) '"');
        int end = JsonTime.writeTimestamp(micros, out, size);
        if (end < 0) throw outOfYears(c, micros + " microseconds");
        size = end;
        put((byte) '"');
    }

    private KilnException outOfYears(int c, String value) {
        return new KilnException("column '" + schema.field(c).name() + "': " + value + " is outside the years 0000 to 9999, which JSON dates are written in");
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        string(MemorySegment.ofArray(b), 0, b.length);
    }

    /** A quoted string from UTF-8 bytes; copied as they are, then escaped only if a byte needs it. */
    private void string(MemorySegment src, long offset, int length) {
        ensure(length + 2);
        out[size++] = '"';
        int start = size;
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, offset, out, start, length);
        int i = start;
        while (i < start + length && out[i] != '"' && out[i] != '\\' && (out[i] >= 0x20 || out[i] < 0)) i++;
        if (i < start + length) {
            byte[] raw = Arrays.copyOfRange(out, i, start + length);
            size = i;
            for (byte x : raw) escaped(x);
        } else {
            size = start + length;
        }
        out[size++] = '"';
    }

    private void escaped(byte x) {
        ensure(8);
        switch (x) {
            case '"' -> word("\\\"");
            case '\\' -> word("\\\\");
            case '\n' -> word("\\n");
            case '\r' -> word("\\r");
            case '\t' -> word("\\t");
            case '\b' -> word("\\b");
            case '\f' -> word("\\f");
            default -> {
                if (x >= 0 && x < 0x20) {
                    word("\\u00");
                    put(HEX[x >> 4]);
                    put(HEX[x & 15]);
                } else {
                    put(x);
                }
            }
        }
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, out, size, b.length);
        size += b.length;
    }

    private void put(byte b) {
        ensure(1);
        out[size++] = b;
    }

    private void ensure(int more) {
        if (size + more > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
    }
}
