package dev.kiln.ir.eval;

import java.util.Arrays;

/**
 * A tuple of values under SQL grouping equality (GROUP BY, DISTINCT): NULLs equal each other,
 * 1.0 equals 1.00, -0.0 equals 0.0, NaN equals NaN.
 */
record GroupKey(Object[] values) {
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof GroupKey k) || k.values.length != values.length) return false;
        for (int i = 0; i < values.length; i++) {
            if (!Comparisons.groupEqual(values[i], k.values[i])) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Object v : values) h = 31 * h + Comparisons.groupHash(v);
        return h;
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
