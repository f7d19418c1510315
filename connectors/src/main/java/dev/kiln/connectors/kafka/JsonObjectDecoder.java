package dev.kiln.connectors.kafka;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * Decodes a record value that is one flat JSON object, {@code {"ad_id":"a1","price":12.5}}, by
 * matching keys to column names (exactly, else ignoring ASCII case). Keys without a column are
 * skipped; columns without a key are NULL. Nested objects and arrays are refused for columns.
 *
 * <p>Values: JSON numbers for the integer types, DECIMAL (exact: digits beyond the scale are a
 * bad record, not rounded), DOUBLE and TIMESTAMP (epoch milliseconds); strings for VARCHAR, DATE
 * ({@code yyyy-mm-dd}) and TIMESTAMP ({@code yyyy-mm-dd hh:mm:ss[.ffffff]}, a {@code T} allowed,
 * or digits of epoch milliseconds, as the Yahoo Streaming Benchmark writes them); a string of a
 * number is taken for a numeric column; true/false for BOOLEAN; null for NULL.
 *
 * <p>A small, careful decoder for tests and modest rates: strings without escapes and integers
 * go to the row without objects; the other types go through a {@code String}.
 */
public final class JsonObjectDecoder implements RecordDecoder {
    private final Schema schema;
    private final byte[][] names;
    private byte[] buf;
    private int pos;
    private int end;
    /** Where the last key matched plus one: objects usually list their keys in column order. */
    private int guess;

    public JsonObjectDecoder(Schema schema) {
        this.schema = schema;
        names = new byte[schema.size()][];
        for (int i = 0; i < names.length; i++) names[i] = schema.field(i).name().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void decode(byte[] value, int offset, int length, RowSink out) {
        buf = value;
        pos = offset;
        end = offset + length;
        skipSpace();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                skipSpace();
                int column = key();
                skipSpace();
                expect(':');
                skipSpace();
                if (column < 0) skipValue();
                else value(column, out);
                skipSpace();
                byte c = next();
                if (c == '}') break;
                if (c != ',') throw bad("expected ',' or '}' after a value, found " + describe(c));
            }
        }
        skipSpace();
        if (pos < end) throw bad("text after the object");
    }

    private int key() {
        if (peek() != '"') throw bad("expected a key in double quotes, found " + describe(peek()));
        pos++;
        int start = pos;
        while (pos < end && buf[pos] != '"' && buf[pos] != '\\') pos++;
        if (pos < end && buf[pos] == '"') {
            int len = pos - start;
            pos++;
            return column(start, len);
        }
        pos = start - 1;
        String k = escapedString();
        return schema.indexOf(k).orElse(-1);
    }

    private int column(int start, int len) {
        int n = names.length;
        for (int i = 0; i < n; i++) {
            int c = (guess + i) % n;
            byte[] name = names[c];
            if (name.length == len && Arrays.equals(name, 0, len, buf, start, start + len)) {
                guess = c + 1;
                return c;
            }
        }
        return schema.indexOf(new String(buf, start, len, StandardCharsets.UTF_8)).orElse(-1);
    }

    private void value(int column, RowSink out) {
        DataType type = schema.field(column).type();
        byte c = peek();
        if (c == '"') {
            pos++;
            int start = pos;
            while (pos < end && buf[pos] != '"' && buf[pos] != '\\') pos++;
            if (pos < end && buf[pos] == '"') {
                pos++;
                if (type instanceof DataType.VarcharType) out.setString(column, buf, start, pos - 1 - start);
                else fromText(column, type, new String(buf, start, pos - 1 - start, StandardCharsets.UTF_8), out);
            } else {
                pos = start - 1;
                String s = escapedString();
                if (type instanceof DataType.VarcharType) out.setString(column, s);
                else fromText(column, type, s, out);
            }
        } else if (c == '-' || c >= '0' && c <= '9') {
            int start = pos;
            while (pos < end && isNumberChar(buf[pos])) pos++;
            number(column, type, start, pos - start, out);
        } else if (c == 't' || c == 'f') {
            boolean v = c == 't';
            literal(v ? "true" : "false");
            if (!(type instanceof DataType.BooleanType)) throw wrongType(column, "a boolean");
            out.setBoolean(column, v);
        } else if (c == 'n') {
            literal("null");
            out.setNull(column);
        } else if (c == '{' || c == '[') {
            throw bad("field '" + schema.field(column).name() + "': nested " + (c == '{' ? "objects" : "arrays") + " are not supported");
        } else {
            throw bad("field '" + schema.field(column).name() + "': expected a value, found " + describe(c));
        }
    }

    private void number(int column, DataType type, int start, int len, RowSink out) {
        switch (type) {
            case DataType.IntType i -> out.setLong(column, integer(column, start, len));
            case DataType.TimestampType t -> out.setLong(column, Math.multiplyExact(integer(column, start, len), 1000L));
            case DataType.VarcharType v -> out.setString(column, buf, start, len);
            case DataType.DecimalType d -> fromText(column, type, new String(buf, start, len, StandardCharsets.ISO_8859_1), out);
            case DataType.DoubleType d -> fromText(column, type, new String(buf, start, len, StandardCharsets.ISO_8859_1), out);
            default -> throw wrongType(column, "a number");
        }
    }

    /** An integer written with digits only; anything else (a point, an exponent, too many digits) is bad. */
    private long integer(int column, int start, int len) {
        int i = start;
        boolean negative = buf[i] == '-';
        if (negative) i++;
        if (i == start + len) throw bad("field '" + schema.field(column).name() + "': '-' is not a number");
        long v = 0;
        for (; i < start + len; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) throw bad("field '" + schema.field(column).name() + "': '" + new String(buf, start, len, StandardCharsets.ISO_8859_1) + "' is not an integer");
            if (v < (Long.MIN_VALUE + d) / 10) throw bad("field '" + schema.field(column).name() + "': " + new String(buf, start, len, StandardCharsets.ISO_8859_1) + " does not fit BIGINT");
            v = v * 10 - d; // accumulated negative, so Long.MIN_VALUE fits
        }
        if (!negative && v == Long.MIN_VALUE) throw bad("field '" + schema.field(column).name() + "': number does not fit BIGINT");
        return negative ? v : -v;
    }

    /** A value given as text (a JSON string, or a number's digits) for a column that is not VARCHAR. */
    private void fromText(int column, DataType type, String text, RowSink out) {
        String name = schema.field(column).name();
        try {
            switch (type) {
                case DataType.IntType i -> out.setLong(column, Long.parseLong(text));
                case DataType.DecimalType d -> {
                    BigDecimal v = new BigDecimal(text).setScale(d.scale(), RoundingMode.UNNECESSARY);
                    out.setLong(column, v.unscaledValue().longValueExact());
                }
                case DataType.DoubleType d -> out.setDouble(column, Double.parseDouble(text));
                case DataType.DateType d -> out.setLong(column, LocalDate.parse(text).toEpochDay());
                case DataType.TimestampType t -> out.setLong(column, timestamp(text));
                case DataType.BooleanType b -> throw wrongType(column, "a string");
                default -> throw wrongType(column, "a value");
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw bad("field '" + name + "': '" + text + "' is not " + ("AEIOU".indexOf(type.sql().charAt(0)) >= 0 ? "an " : "a ") + type.sql());
        }
    }

    private static long timestamp(String text) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) return Math.multiplyExact(Long.parseLong(text), 1000L);
        LocalDateTime t = text.length() == 10 ? LocalDate.parse(text).atStartOfDay() : LocalDateTime.parse(text.replace(' ', 'T'));
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
    }

    /** A string with escapes, from its opening quote; the slow path. */
    private String escapedString() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        int runStart = pos;
        while (true) {
            if (pos >= end) throw bad("a string is not closed");
            byte c = buf[pos];
            if (c == '"') {
                sb.append(new String(buf, runStart, pos - runStart, StandardCharsets.UTF_8));
                pos++;
                return sb.toString();
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            sb.append(new String(buf, runStart, pos - runStart, StandardCharsets.UTF_8));
            if (pos + 1 >= end) throw bad("a string is not closed");
            byte e = buf[pos + 1];
            pos += 2;
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > end) throw bad("a \\u escape needs four hex digits");
                    try {
                        sb.append((char) Integer.parseInt(new String(buf, pos, 4, StandardCharsets.ISO_8859_1), 16));
                    } catch (NumberFormatException x) {
                        throw bad("a \\u escape needs four hex digits");
                    }
                    pos += 4;
                }
                default -> throw bad("unknown escape \\" + (char) e);
            }
            runStart = pos;
        }
    }

    /** Skips the value of a key that has no column, nested ones included. */
    private void skipValue() {
        int depth = 0;
        do {
            byte c = peek();
            if (c == '"') {
                escapedString();
            } else if (c == '{' || c == '[') {
                depth++;
                pos++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) throw bad("unexpected " + describe(c));
                depth--;
                pos++;
            } else if (c == ',' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (depth == 0) throw bad("expected a value, found " + describe(c));
                pos++;
            } else {
                int start = pos;
                while (pos < end && (isNumberChar(buf[pos]) || buf[pos] >= 'a' && buf[pos] <= 'z')) pos++;
                if (pos == start) throw bad("expected a value, found " + describe(c));
            }
        } while (depth > 0);
    }

    private static boolean isNumberChar(byte c) {
        return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (pos + i >= end || buf[pos + i] != word.charAt(i)) throw bad("expected " + word);
        }
        pos += word.length();
    }

    private void skipSpace() {
        while (pos < end && (buf[pos] == ' ' || buf[pos] == '\t' || buf[pos] == '\n' || buf[pos] == '\r')) pos++;
    }

    private byte peek() {
        if (pos >= end) throw bad("the object ends early");
        return buf[pos];
    }

    private byte next() {
        byte c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        byte got = peek();
        if (got != c) throw bad("expected '" + c + "', found " + describe(got));
        pos++;
    }

    private static String describe(byte c) {
        return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c & 0xff);
    }

    private BadRecordException wrongType(int column, String found) {
        return bad("field '" + schema.field(column).name() + "': expected " + expected(schema.field(column).type()) + ", found " + found);
    }

    private static String expected(DataType t) {
        return switch (t) {
            case DataType.BooleanType b -> "true or false";
            case DataType.DateType d -> "a date string";
            case DataType.VarcharType v -> "a string";
            default -> "a number for " + t.sql();
        };
    }

    private BadRecordException bad(String reason) {
        return new BadRecordException(reason);
    }
}
