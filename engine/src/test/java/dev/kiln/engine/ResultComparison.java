package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares Kiln's rows with an oracle's: exact for decimals, integers, text and dates; 1e-9
 * relative for doubles. Order is compared up to ties: the rows must agree on the ORDER BY columns
 * position by position, and within a run of rows with equal ORDER BY values (which SQL leaves in
 * any order) the two sides must hold the same rows.
 */
final class ResultComparison {
    private ResultComparison() {}

    /** @param orderColumns the output columns the query orders by (0-based); empty: compare as multisets */
    static void assertSameRows(List<Object[]> expected, List<Object[]> actual, int[] orderColumns, String context) {
        if (expected.size() != actual.size()) {
            fail(context + ": expected " + expected.size() + " rows but got " + actual.size() + "\nfirst expected: "
                    + (expected.isEmpty() ? "-" : Arrays.toString(expected.getFirst())) + "\nfirst actual:   "
                    + (actual.isEmpty() ? "-" : Arrays.toString(actual.getFirst())));
        }
        for (int r = 0; r < expected.size(); r++) {
            if (expected.get(r).length != actual.get(r).length) {
                fail(context + ": row " + r + " has " + actual.get(r).length + " columns, expected " + expected.get(r).length);
            }
            for (int c : orderColumns) {
                if (!same(expected.get(r)[c], actual.get(r)[c])) {
                    fail(context + ": row " + r + " is out of order: ORDER BY column " + (c + 1) + " expected " + expected.get(r)[c]
                            + " but got " + actual.get(r)[c] + "\nexpected row " + Arrays.toString(expected.get(r))
                            + "\nactual row   " + Arrays.toString(actual.get(r)));
                }
            }
        }
        int start = 0;
        while (start < expected.size()) {
            int end = orderColumns.length == 0 ? expected.size() : start + 1;
            while (end < expected.size() && sameKey(expected.get(start), expected.get(end), orderColumns)) end++;
            assertSameMultiset(expected.subList(start, end), actual.subList(start, end), start, context);
            start = end;
        }
    }

    private static boolean sameKey(Object[] a, Object[] b, int[] columns) {
        for (int c : columns) if (!same(a[c], b[c])) return false;
        return true;
    }

    /** Greedy matching is exact here: {@link #same} is an equivalence on the values Kiln and DuckDB produce for one query. */
    private static void assertSameMultiset(List<Object[]> expected, List<Object[]> actual, int offset, String context) {
        List<Object[]> unmatched = new ArrayList<>(actual);
        for (int i = 0; i < expected.size(); i++) {
            Object[] e = expected.get(i);
            int hit = -1;
            for (int j = 0; j < unmatched.size() && hit < 0; j++) if (sameRow(e, unmatched.get(j))) hit = j;
            if (hit < 0) {
                Object[] a = actual.get(i);
                int c = 0;
                while (c < e.length && same(e[c], a[c])) c++;
                fail(context + ": row " + (offset + i) + " expected " + Arrays.toString(e) + " but no such row among "
                        + (expected.size() == 1 ? "the actual one: " + Arrays.toString(a) : expected.size() + " tied rows; at this position: " + Arrays.toString(a))
                        + (c < e.length ? "\nfirst difference in column " + (c + 1) + ": expected " + e[c] + " (" + typeName(e[c]) + ") but got "
                                + a[c] + " (" + typeName(a[c]) + ")" : ""));
            }
            unmatched.remove(hit);
        }
    }

    private static String typeName(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName();
    }

    static boolean sameRow(Object[] e, Object[] a) {
        for (int c = 0; c < e.length; c++) if (!same(e[c], a[c])) return false;
        return true;
    }

    static boolean same(Object e, Object a) {
        if (e == null || a == null) return e == a;
        if (e instanceof Double || a instanceof Double || e instanceof Float) {
            double x = ((Number) e).doubleValue();
            double y = ((Number) a).doubleValue();
            // NaN is NaN, an infinity itself, -0.0 is 0.0 (as SQL compares them)
            if (x == y || Double.isNaN(x) && Double.isNaN(y)) return true;
            return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
        }
        if (e instanceof Number && a instanceof Number) {
            return new BigDecimal(e.toString()).compareTo(new BigDecimal(a.toString())) == 0;
        }
        if (e instanceof java.sql.Timestamp t && a instanceof java.time.LocalDateTime l) return t.toLocalDateTime().equals(l);
        return e.toString().equals(a.toString());
    }
}
