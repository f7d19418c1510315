package dev.kiln.frontend;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Java values as SQL literal text, for queries whose parameters are bound by writing their values
 * into the text (typed queries): the text always parses back to the value, in parentheses so that
 * a negative number cannot join the text around it. Kiln compiles literals into parameters of the
 * generated classes, so a query run with new values reuses the classes compiled for the first.
 */
public final class SqlLiterals {
    private SqlLiterals() {}

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /** {@code value} as a literal; NULL is written as a NULL of {@code type}. */
    public static String of(Object value, DataType type) {
        return switch (value) {
            case null -> "CAST(NULL AS " + type.sql() + ")";
            case Boolean b -> b ? "TRUE" : "FALSE";
            case Long l -> "(" + l + ")";
            case Integer i -> "(" + i + ")";
            case Short s -> "(" + s + ")";
            case Byte b -> "(" + b + ")";
            case BigDecimal d -> "(" + d.toPlainString() + ")";
            case Double d -> doubleLiteral(d);
            case Float f -> doubleLiteral(f.doubleValue());
            case String s -> "'" + s.replace("'", "''") + "'";
            case LocalDate d -> "DATE '" + d + "'";
            case LocalDateTime t -> "TIMESTAMP '" + TIMESTAMP.format(t) + "'";
            default -> throw new KilnException("a " + value.getClass().getName() + " cannot be a query parameter; use boolean, a number, BigDecimal, String, LocalDate or LocalDateTime");
        };
    }

    /**
     * {@code value} as a literal of exactly {@code type} (numbers cast to it), so that every value
     * gives the query the same shape; a DECIMAL value with more decimal places than the type has
     * is an error, never rounded.
     */
    public static String typed(String name, Object value, DataType type) {
        if (value == null) return of(null, type);
        boolean fits = switch (type) {
            case DataType.BooleanType b -> value instanceof Boolean;
            case DataType.IntType i -> value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
            case DataType.DecimalType d -> value instanceof BigDecimal || value instanceof Long || value instanceof Integer;
            case DataType.DoubleType d -> value instanceof Number;
            case DataType.DateType d -> value instanceof LocalDate;
            case DataType.TimestampType t -> value instanceof LocalDateTime;
            case DataType.VarcharType v -> value instanceof String;
            default -> false;
        };
        if (!fits) throw new KilnException("parameter '" + name + "' is " + type.sql() + " and cannot take a " + value.getClass().getSimpleName() + " (" + value + ")");
        if (type instanceof DataType.DecimalType d && value instanceof BigDecimal b && b.stripTrailingZeros().scale() > d.scale()) {
            throw new KilnException("parameter '" + name + "': " + b.toPlainString() + " has more than " + d.scale() + " decimal places for " + type.sql()
                    + "; declare the scale it needs with @Column(scale = " + b.stripTrailingZeros().scale() + ")");
        }
        if (type instanceof DataType.DoubleType && !(value instanceof Double || value instanceof Float)) return "CAST(" + of(value, type) + " AS DOUBLE)";
        return type.isNumeric() ? "CAST(" + of(value, type) + " AS " + type.sql() + ")" : of(value, type);
    }

    private static String doubleLiteral(double d) {
        if (!Double.isFinite(d)) throw new KilnException("a parameter of " + d + " has no SQL literal: Kiln's DOUBLE values are finite");
        String s = Double.toString(d);
        // the exponent makes the literal a DOUBLE rather than a DECIMAL
        return "(" + (s.contains("E") ? s : s + "E0") + ")";
    }

    /** A literal of {@code type}, for checking a query's types before any value is known. */
    public static String sample(DataType type) {
        return switch (type) {
            case DataType.BooleanType b -> "TRUE";
            case DataType.IntType i -> "CAST(0 AS " + type.sql() + ")";
            case DataType.DecimalType d -> "CAST(0 AS " + type.sql() + ")";
            case DataType.DoubleType d -> "CAST(0 AS DOUBLE)";
            case DataType.DateType d -> "DATE '2000-01-01'";
            case DataType.TimestampType t -> "TIMESTAMP '2000-01-01 00:00:00'";
            case DataType.VarcharType v -> "'x'";
            default -> throw new KilnException(type.sql() + " cannot be a query parameter");
        };
    }
}
