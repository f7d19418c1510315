package dev.kiln.ir.stats;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What is known about a table's data: its row count and, per column of its schema (same order),
 * the column's statistics when they were gathered. Plain data, computed by the runtime's
 * collector and read by the optimizer's estimator.
 */
public record TableStats(long rowCount, List<Optional<ColumnStats>> columns) {
    public TableStats {
        if (rowCount < 0) throw new IllegalArgumentException("row count must be >= 0, not " + rowCount);
        columns = List.copyOf(columns);
    }

    /** Only the row count: every column unknown. */
    public static TableStats rowsOnly(long rowCount, int columnCount) {
        return new TableStats(rowCount, Collections.nCopies(columnCount, Optional.empty()));
    }

    public Optional<ColumnStats> column(int i) {
        return columns.get(i);
    }
}
