package dev.kiln.ir.eval;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Ordering and equality of SQL values. Both operands have the same type (the IR inserts casts).
 * Text compares by Unicode code point, which is the order of its UTF-8 bytes (not UTF-16 order,
 * which differs above U+FFFF). DOUBLE: -0.0 equals 0.0 and NaN equals itself and sorts above
 * every other value (as PostgreSQL and DuckDB). FALSE sorts before TRUE.
 */
public final class Comparisons {
    private Comparisons() {}

    /** Order of two non-null values of the same type. */
    public static int compare(Object a, Object b) {
        return switch (a) {
            case Long x -> Long.compare(x, (Long) b);
            case BigDecimal x -> x.compareTo((BigDecimal) b);
            case Double x -> compareDoubles(x, (Double) b);
            case String x -> compareText(x, (String) b);
            case Boolean x -> Boolean.compare(x, (Boolean) b);
            case LocalDate x -> x.compareTo((LocalDate) b);
            case LocalDateTime x -> x.compareTo((LocalDateTime) b);
            default -> throw new IllegalArgumentException("no SQL ordering for " + a.getClass().getSimpleName() + " " + a);
        };
    }

    static int compareDoubles(double x, double y) {
        // == first so that -0.0 equals 0.0; Double.compare then puts NaN last and equal to itself
        return x == y ? 0 : Double.compare(x, y);
    }

    static int compareText(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int cx = x.codePointAt(i);
            int cy = y.codePointAt(j);
            if (cx != cy) return Integer.compare(cx, cy);
            i += Character.charCount(cx);
            j += Character.charCount(cy);
        }
        return Boolean.compare(i < x.length(), j < y.length());
    }

    /** SQL comparison: NULL if either side is NULL, else the outcome of {@code test} on the order. */
    public static Boolean compare(Object a, Object b, java.util.function.IntPredicate test) {
        if (a == null || b == null) return null;
        return test.test(compare(a, b));
    }

    /** IS DISTINCT FROM: never NULL; two NULLs are not distinct, a NULL and a value are. */
    public static boolean isDistinctFrom(Object a, Object b) {
        if (a == null || b == null) return a != b;
        return compare(a, b) != 0;
    }

    /** Equality as GROUP BY, DISTINCT and IS NOT DISTINCT FROM see it: NULLs are equal to each other. */
    public static boolean groupEqual(Object a, Object b) {
        return !isDistinctFrom(a, b);
    }

    /** A hash consistent with {@link #groupEqual}. */
    public static int groupHash(Object v) {
        return switch (v) {
            case null -> 0;
            case BigDecimal d -> d.signum() == 0 ? 0 : d.stripTrailingZeros().hashCode();
            case Double d -> d == 0.0 ? 0 : d.hashCode(); // -0.0 with 0.0; Double.hashCode folds all NaNs
            default -> v.hashCode();
        };
    }
}
