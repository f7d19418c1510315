package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/** Compares Kiln's rows with an oracle's: exact for decimals, integers, text and dates; 1e-9 relative for doubles. */
final class ResultComparison {
    private ResultComparison() {}

    static void assertSameRows(List<Object[]> expected, List<Object[]> actual, String context) {
        if (expected.size() != actual.size()) {
            fail(context + ": expected " + expected.size() + " rows but got " + actual.size() + "\nfirst expected: "
                    + (expected.isEmpty() ? "-" : Arrays.toString(expected.getFirst())) + "\nfirst actual:   "
                    + (actual.isEmpty() ? "-" : Arrays.toString(actual.getFirst())));
        }
        for (int r = 0; r < expected.size(); r++) {
            Object[] e = expected.get(r);
            Object[] a = actual.get(r);
            if (e.length != a.length) fail(context + ": row " + r + " has " + a.length + " columns, expected " + e.length);
            for (int c = 0; c < e.length; c++) {
                if (!same(e[c], a[c])) {
                    fail(context + ": row " + r + ", column " + (c + 1) + ": expected " + e[c] + " ("
                            + (e[c] == null ? "null" : e[c].getClass().getSimpleName()) + ") but got " + a[c]
                            + "\nexpected row " + Arrays.toString(e) + "\nactual row   " + Arrays.toString(a));
                }
            }
        }
    }

    static boolean same(Object e, Object a) {
        if (e == null || a == null) return e == a;
        if (e instanceof Double || a instanceof Double || e instanceof Float) {
            double x = ((Number) e).doubleValue();
            double y = ((Number) a).doubleValue();
            return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
        }
        if (e instanceof Number && a instanceof Number) {
            return new BigDecimal(e.toString()).compareTo(new BigDecimal(a.toString())) == 0;
        }
        return e.toString().equals(a.toString());
    }
}
