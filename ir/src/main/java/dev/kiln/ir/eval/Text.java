package dev.kiln.ir.eval;

import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text form of values: CAST to VARCHAR ({@link #format}) and CAST from VARCHAR ({@link #parse}).
 *
 * <p>Formats: BOOLEAN {@code true}/{@code false}; integers and DECIMAL in plain notation, DECIMAL
 * with exactly its scale ({@code 1.50}); DOUBLE as {@link Double#toString(double)} — the shortest
 * text that reads back to the same double, e.g. {@code 1.0}, {@code 0.1}, {@code 1.0E10},
 * {@code NaN}, {@code Infinity} (DuckDB prints 10000000000.0 and inf; we choose Java's form because
 * every JVM backend gets it from one call and it round-trips); DATE {@code 1995-03-15}; TIMESTAMP
 * {@code 1995-03-15 10:20:30[.ffffff]} with trailing zeros of the fraction dropped.
 */
public final class Text {
    private Text() {}

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern SPECIAL_DOUBLE = Pattern.compile("([+-]?)(inf|infinity|nan)", Pattern.CASE_INSENSITIVE);
    private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,6}))?)?)?");

    public static String format(Object v) {
        return switch (v) {
            case Boolean b -> b ? "true" : "false";
            case BigDecimal d -> d.toPlainString();
            case Double d -> Double.toString(d);
            case LocalDateTime t -> formatTimestamp(t);
            default -> v.toString(); // Long, String, LocalDate (ISO yyyy-mm-dd)
        };
    }

    public static String formatTimestamp(LocalDateTime t) {
        StringBuilder sb = new StringBuilder(t.toLocalDate().toString()).append(' ');
        sb.append(two(t.getHour())).append(':').append(two(t.getMinute())).append(':').append(two(t.getSecond()));
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            String f = String.format(Locale.ROOT, "%06d", micros);
            int end = f.length();
            while (f.charAt(end - 1) == '0') end--;
            sb.append('.').append(f, 0, end);
        }
        return sb.toString();
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    /** Parses {@code text} (surrounding blanks ignored) as a value of {@code to}. */
    public static Object parse(String text, DataType to) {
        String s = text.strip();
        return switch (to) {
            case DataType.VarcharType v -> text;
            case DataType.BooleanType b -> switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "t", "yes", "y", "1" -> true;
                case "false", "f", "no", "n", "0" -> false;
                default -> throw EvalErrors.invalidText(text, to, "true, false, t, f, yes, no, y, n, 1 or 0");
            };
            case DataType.IntType t -> {
                if (!INTEGER.matcher(s).matches()) throw EvalErrors.invalidText(text, to, "an integer such as -42");
                yield Casts.integerInRange(new BigInteger(s), t, s);
            }
            case DataType.DecimalType t -> {
                if (!NUMBER.matcher(s).matches()) throw EvalErrors.invalidText(text, to, "a number such as -12.5 or 1e3");
                yield Casts.decimalInRange(new BigDecimal(s), t, s);
            }
            case DataType.DoubleType t -> parseDouble(text, s);
            case DataType.DateType t -> {
                Matcher m = DATE.matcher(s);
                if (!m.matches()) throw EvalErrors.invalidText(text, to, "YYYY-MM-DD");
                yield date(m, text, to);
            }
            case DataType.TimestampType t -> {
                Matcher m = TIMESTAMP.matcher(s);
                if (!m.matches()) throw EvalErrors.invalidText(text, to, "YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]");
                LocalDate d = date(m, text, to);
                if (m.group(4) == null) yield d.atStartOfDay();
                int hour = Integer.parseInt(m.group(4));
                int minute = Integer.parseInt(m.group(5));
                int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
                int micros = m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "00000").substring(0, 6));
                try {
                    yield d.atTime(hour, minute, second, micros * 1000);
                } catch (DateTimeException e) {
                    throw EvalErrors.invalidText(text, to, "a valid time of day, HH:MM:SS with HH < 24");
                }
            }
            default -> throw EvalErrors.unsupportedCast(DataType.VARCHAR, to);
        };
    }

    private static double parseDouble(String text, String s) {
        if (NUMBER.matcher(s).matches()) return Double.parseDouble(s);
        Matcher m = SPECIAL_DOUBLE.matcher(s);
        if (!m.matches()) throw EvalErrors.invalidText(text, DataType.DOUBLE, "a number such as -12.5, 1e3, inf or nan");
        if (m.group(2).equalsIgnoreCase("nan")) return Double.NaN;
        return m.group(1).equals("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    private static LocalDate date(Matcher m, String text, DataType to) {
        try {
            return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        } catch (DateTimeException e) {
            throw EvalErrors.invalidText(text, to, "a valid calendar date");
        }
    }
}
