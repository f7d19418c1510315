package dev.kiln.ir.stats;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Statistics of one column. {@code min}, {@code max} and the histogram are in the order-preserving
 * numeric domain of {@link StatsKey} (so dates, decimals and strings compare as doubles);
 * they are empty when the column has no non-NULL value or no order (e.g. BOOLEAN has one).
 *
 * @param ndv          estimated number of distinct non-NULL values
 * @param nullFraction fraction of rows that are NULL, 0..1
 */
public record ColumnStats(double ndv, double nullFraction, OptionalDouble min, OptionalDouble max, Optional<Histogram> histogram) {
    public ColumnStats {
        if (!(ndv >= 0)) throw new IllegalArgumentException("NDV must be >= 0, not " + ndv);
        if (!(nullFraction >= 0 && nullFraction <= 1)) throw new IllegalArgumentException("null fraction must be in [0, 1], not " + nullFraction);
    }

    /** Only an NDV (e.g. derived for a computed column). */
    public static ColumnStats ofNdv(double ndv) {
        return new ColumnStats(ndv, 0, OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty());
    }

    public ColumnStats withNdv(double newNdv) {
        return new ColumnStats(newNdv, nullFraction, min, max, histogram);
    }

    /** The same column after a filter that keeps a fraction of the rows: NDV can only shrink. */
    public ColumnStats cappedTo(double rows) {
        return ndv <= rows ? this : withNdv(Math.max(rows, 0));
    }
}
