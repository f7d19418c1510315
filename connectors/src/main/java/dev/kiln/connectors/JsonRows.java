package dev.kiln.connectors;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Rows of a batch as flat JSON objects, {@code {"campaign_id":"c1","count":42}}, written straight
 * from the column vectors into one reused buffer (the sinks' text form of a row). Values as the
 * CLI's JSON format writes them: numbers as JSON numbers (DECIMALs exact), DATE as
 * {@code "2024-01-31"}, TIMESTAMP as {@code "2024-01-31 12:00:00[.ffffff]"}, NaN and infinities
 * as strings, NULL as {@code null}.
 *
 * <p>Not thread-safe: one instance per writer.
 */
public final class JsonRows {
    private byte[] buf = new byte[256];
    private int len;
    private Schema namesOf;
    private byte[][] names;

    /** Row {@code row} of {@code batch}, every column. */
    public byte[] row(Batch batch, int row) {
        start(batch.schema());
        for (int c = 0; c < names.length; c++) field(c, batch.column(c), row);
        return finish();
    }

    /** Row {@code row} of {@code batch}, only {@code columns} (in that order). */
    public byte[] row(Batch batch, int row, int[] columns) {
        start(batch.schema());
        for (int c : columns) field(c, batch.column(c), row);
        return finish();
    }

    private void start(Schema schema) {
        // Batches of one result share one schema object, so the keys are encoded once per result.
        if (schema != namesOf) {
            namesOf = schema;
            names = new byte[schema.size()][];
            for (int c = 0; c < names.length; c++) {
                len = 0;
                string(schema.field(c).name());
                put(':');
                names[c] = Arrays.copyOf(buf, len);
            }
        }
        len = 0;
        put('{');
    }

    private byte[] finish() {
        put('}');
        return Arrays.copyOf(buf, len);
    }

    private void field(int c, ColumnVector v, int row) {
        if (len > 1) put(',');
        put(names[c]);
        value(v, row);
    }

    private void value(ColumnVector v, int row) {
        if (v.isNull(row)) {
            ascii("null");
            return;
        }
        switch (v.type()) {
            case DataType.BooleanType b -> ascii(v.getBoolean(row) ? "true" : "false");
            case DataType.IntType i -> integer(switch (i.physical()) {
                case I8 -> v.getByte(row);
                case I16 -> v.getShort(row);
                case I32 -> v.getInt(row);
                default -> v.getLong(row);
            });
            case DataType.DecimalType d -> decimal(v.getLong(row), d.scale());
            case DataType.DoubleType d -> {
                double x = v.getDouble(row);
                if (Double.isNaN(x) || Double.isInfinite(x)) string(Double.toString(x));
                else ascii(Double.toString(x));
            }
            case DataType.DateType d -> string(LocalDate.ofEpochDay(v.getInt(row)).toString());
            case DataType.TimestampType t -> string(timestamp(v.getLong(row)));
            case DataType.VarcharType s -> utf8(v.heap(), v.stringOffset(row), v.stringLength(row));
            default -> throw new IllegalArgumentException("cannot write a " + v.type().sql() + " value as JSON");
        }
    }

    /** {@code 2024-01-31 12:00:00}, with micros only when there are any, as the CLI prints it. */
    public static String timestamp(long micros) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
        return t.toString().replace('T', ' ');
    }

    private void integer(long x) {
        ascii(Long.toString(x));
    }

    /** The unscaled value with its point put back: exact, no BigDecimal. */
    private void decimal(long unscaled, int scale) {
        if (scale == 0) {
            integer(unscaled);
            return;
        }
        String digits = Long.toString(Math.abs(unscaled));
        if (unscaled == Long.MIN_VALUE) digits = digits.substring(1); // never in a DECIMAL(18): |v| < 10^18
        if (unscaled < 0) put('-');
        if (digits.length() <= scale) {
            ascii("0.");
            for (int i = digits.length(); i < scale; i++) put('0');
            ascii(digits);
        } else {
            int point = digits.length() - scale;
            ascii(digits.substring(0, point));
            put('.');
            ascii(digits.substring(point));
        }
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        utf8(MemorySegment.ofArray(b), 0, b.length);
    }

    /** A JSON string of UTF-8 bytes: quotes, backslashes and control characters escaped. */
    private void utf8(MemorySegment src, long offset, int length) {
        ensure(length + 2);
        buf[len++] = '"';
        for (int i = 0; i < length; i++) {
            byte b = src.get(ValueLayout.JAVA_BYTE, offset + i);
            if (b == '"' || b == '\\') {
                put('\\');
                put(b);
            } else if (b >= 0 && b < 0x20) {
                ascii(switch (b) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format("\\u%04x", b);
                });
            } else {
                put(b);
            }
        }
        put('"');
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) buf[len++] = (byte) s.charAt(i);
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void put(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
}
