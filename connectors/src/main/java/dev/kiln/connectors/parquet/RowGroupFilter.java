package dev.kiln.connectors.parquet;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which row groups a scan must read: a conjunction of column ranges, each saying that matching
 * rows have a non-NULL value in {@code [low, high]} (either bound may be open). A row group is
 * skipped only when its statistics prove that no row can satisfy some range: its min is above
 * the high bound, its max below the low bound, or all its values are NULL. Groups without
 * usable statistics are always read, so skipping never changes a query's result, provided the
 * query still applies its own filter to the rows read.
 *
 * <p>Bounds are Kiln literal values: Long (integers), BigDecimal, Double, LocalDate,
 * LocalDateTime, String, Boolean. A bound whose kind does not match the column's is ignored.
 */
public record RowGroupFilter(List<Range> ranges) {
    /** Matching rows have column {@code column} (an index into the table's schema) non-NULL and within the bounds, inclusive. */
    public record Range(int column, Optional<Object> low, Optional<Object> high) {}

    public RowGroupFilter {
        ranges = List.copyOf(ranges);
    }

    /** Reads every row group. */
    public static RowGroupFilter all() {
        return new RowGroupFilter(List.of());
    }

    public RowGroupFilter and(Range r) {
        List<Range> more = new ArrayList<>(ranges);
        more.add(r);
        return new RowGroupFilter(more);
    }

    public boolean isAll() {
        return ranges.isEmpty();
    }

    /** False only when the group's statistics prove that no row in it matches. */
    public boolean mayMatch(ParquetTable.RowGroup group) {
        for (Range r : ranges) {
            ColumnStatistics s = group.statistics().get(r.column());
            if (s.nullCount().isPresent() && s.nullCount().get() >= group.rows() && group.rows() > 0) return false; // all NULL
            if (s.min().isEmpty() || s.max().isEmpty()) continue;
            if (r.high().isPresent() && compare(s.min().get(), r.high().get()) > 0) return false;
            if (r.low().isPresent() && compare(s.max().get(), r.low().get()) < 0) return false;
        }
        return true;
    }

    /** The groups of {@code table} this filter keeps, in table order. */
    public List<ParquetTable.RowGroup> select(ParquetTable table) {
        return table.rowGroups().stream().filter(this::mayMatch).toList();
    }

    /**
     * Statistic vs bound: negative, zero or positive; 0 (which never skips) when the two cannot
     * be compared exactly (different kinds of value).
     */
    static int compare(Object stat, Object bound) {
        return switch (stat) {
            case Long a when bound instanceof Long b -> Long.compare(a, b);
            case Long a when bound instanceof BigDecimal b -> BigDecimal.valueOf(a).compareTo(b);
            case BigDecimal a when bound instanceof BigDecimal b -> a.compareTo(b);
            case BigDecimal a when bound instanceof Long b -> a.compareTo(BigDecimal.valueOf(b));
            // numeric comparison, so that -0.0 equals 0.0 as in SQL; NaN bounds compare as 0
            case Double a when bound instanceof Double b -> a < b ? -1 : a > b ? 1 : 0;
            case LocalDate a when bound instanceof LocalDate b -> a.compareTo(b);
            case LocalDateTime a when bound instanceof LocalDateTime b -> a.compareTo(b);
            case byte[] a when bound instanceof String b -> Integer.signum(Arrays.compareUnsigned(a, b.getBytes(StandardCharsets.UTF_8)));
            case Boolean a when bound instanceof Boolean b -> Boolean.compare(a, b);
            default -> 0;
        };
    }
}
