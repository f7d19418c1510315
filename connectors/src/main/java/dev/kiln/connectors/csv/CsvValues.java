package dev.kiln.connectors.csv;

import dev.kiln.ir.type.DataType;
import dev.kiln.runtime.vector.VectorBuilder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Text of one CSV field to a typed value appended to a column, and the shapes that schema
 * inference recognizes. Every parse is strict: text that is not exactly a value of the type
 * (trailing junk, digits that would be rounded away, a 7th fractional second digit) is rejected
 * with a {@link BadValue}, never rounded or truncated.
 */
final class CsvValues {
    private CsvValues() {}

    static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    /** Digits with an optional point: 12, 12.5, .5, -0.25 (group 1: integer digits, group 2: fraction). */
    static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d*)(?:\\.(\\d*))?");
    static final Pattern DOUBLE = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|[-+]?Infinity|NaN");
    static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    /** A date alone is midnight, so a column mixing dates and timestamps reads as TIMESTAMP. */
    static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?)?");

    /** A field's text is not a value of the column's type; {@code reason} may be empty. */
    static final class BadValue extends Exception {
        BadValue(String reason) {
            super(reason, null, false, false);
        }
    }

    static void append(VectorBuilder b, DataType type, String text) throws BadValue {
        String t = type instanceof DataType.VarcharType ? text : text.strip();
        switch (type) {
            case DataType.BooleanType x -> b.appendBoolean(parseBoolean(t));
            case DataType.IntType i -> b.appendLong(parseInteger(t, i));
            case DataType.DecimalType d -> b.appendLong(parseDecimal(t, d));
            case DataType.DoubleType x -> b.appendDouble(parseDouble(t));
            case DataType.DateType x -> b.appendInt(parseDate(t));
            case DataType.TimestampType x -> b.appendLong(parseTimestamp(t));
            case DataType.VarcharType x -> b.appendString(t);
            case DataType.StructType x -> throw new BadValue("STRUCT columns cannot be read from CSV");
            case DataType.TensorType x -> throw new BadValue("TENSOR columns cannot be read from CSV");
        }
    }

    static boolean parseBoolean(String t) throws BadValue {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "true", "t", "yes", "y", "1" -> true;
            case "false", "f", "no", "n", "0" -> false;
            default -> throw new BadValue("");
        };
    }

    static boolean isLong(String t) {
        if (!INTEGER.matcher(t).matches()) return false;
        try {
            Long.parseLong(t);
            return true;
        } catch (NumberFormatException e) {
            return false; // more digits than a BIGINT holds
        }
    }

    static long parseInteger(String t, DataType.IntType type) throws BadValue {
        if (!isLong(t)) throw new BadValue("");
        long v = Long.parseLong(t);
        if (v < type.minValue() || v > type.maxValue()) throw new BadValue("out of range");
        return v;
    }

    /** The unscaled value; rejects digits beyond the scale rather than rounding them. */
    static long parseDecimal(String t, DataType.DecimalType type) throws BadValue {
        var m = DECIMAL.matcher(t);
        if (!m.matches() || m.group(1).isEmpty() && (m.group(2) == null || m.group(2).isEmpty())) throw new BadValue("");
        BigDecimal v = new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
        BigDecimal scaled;
        try {
            scaled = v.setScale(type.scale(), java.math.RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new BadValue("more than " + type.scale() + " digits after the point");
        }
        BigInteger unscaled = scaled.unscaledValue();
        if (unscaled.abs().compareTo(BigInteger.TEN.pow(type.precision())) >= 0) {
            throw new BadValue("more than " + (type.precision() - type.scale()) + " digits before the point");
        }
        return unscaled.longValueExact();
    }

    static double parseDouble(String t) throws BadValue {
        if (!DOUBLE.matcher(t).matches()) throw new BadValue("");
        return Double.parseDouble(t);
    }

    static int parseDate(String t) throws BadValue {
        if (!DATE.matcher(t).matches()) throw new BadValue("expected yyyy-mm-dd");
        try {
            return Math.toIntExact(LocalDate.parse(t).toEpochDay());
        } catch (DateTimeParseException e) {
            throw new BadValue("no such day");
        }
    }

    /** Microseconds since 1970-01-01T00:00. */
    static long parseTimestamp(String t) throws BadValue {
        if (!TIMESTAMP.matcher(t).matches()) throw new BadValue("expected yyyy-mm-dd[ hh:mm:ss[.ffffff]]");
        LocalDateTime ts;
        try {
            ts = t.length() == 10 ? LocalDate.parse(t).atStartOfDay() : LocalDateTime.parse(t.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            throw new BadValue("no such time");
        }
        return ts.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + ts.getNano() / 1000;
    }
}
