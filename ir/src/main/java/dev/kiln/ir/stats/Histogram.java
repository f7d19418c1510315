package dev.kiln.ir.stats;

import java.util.List;

/**
 * An equi-depth histogram over the non-NULL values of a column, in the {@link StatsKey} domain:
 * {@code bounds} has B+1 ascending values and each of the B buckets [b_i, b_i+1] holds about the
 * same share 1/B of the values (a value repeated often fills several buckets, so its bound
 * repeats). Inside a bucket values are assumed spread uniformly.
 */
public record Histogram(List<Double> bounds) {
    public Histogram {
        bounds = List.copyOf(bounds);
        if (bounds.size() < 2) throw new IllegalArgumentException("a histogram needs at least 2 bounds, not " + bounds.size());
        for (int i = 1; i < bounds.size(); i++) {
            if (bounds.get(i) < bounds.get(i - 1)) throw new IllegalArgumentException("histogram bounds must ascend: " + bounds);
        }
    }

    public int buckets() {
        return bounds.size() - 1;
    }

    /** Estimated fraction of the non-NULL values strictly below {@code v}. */
    public double fractionBelow(double v) {
        int b = buckets();
        if (v <= bounds.getFirst()) return 0;
        if (v > bounds.getLast()) return 1;
        int j = 1; // first bound >= v (exists, since v <= last)
        while (bounds.get(j) < v) j++;
        double lo = bounds.get(j - 1);
        double hi = bounds.get(j);
        double within = hi > lo ? (v - lo) / (hi - lo) : 1;
        return ((j - 1) + within) / b;
    }

    /** Estimated fraction of the non-NULL values at most {@code v}. */
    public double fractionAtMost(double v) {
        int b = buckets();
        if (v < bounds.getFirst()) return 0;
        if (v >= bounds.getLast()) return 1;
        int i = b - 1; // last bound <= v with a bucket after it
        while (bounds.get(i) > v) i--;
        double lo = bounds.get(i);
        double hi = bounds.get(i + 1);
        double within = hi > lo ? (v - lo) / (hi - lo) : 1;
        return (i + within) / b;
    }
}
