package dev.kiln.optimizer.cost;

import dev.kiln.ir.stats.ColumnStats;
import java.util.List;
import java.util.Optional;

/** The estimated output of an operator: its row count and what is known of each output column. */
public record RelEstimate(double rows, List<Optional<ColumnStats>> columns) {
    public RelEstimate {
        columns = List.copyOf(columns);
    }

    public Optional<ColumnStats> column(int i) {
        return columns.get(i);
    }

    /** The column's NDV if known, never above the row count. */
    public java.util.OptionalDouble ndv(int i) {
        return columns.get(i).map(c -> java.util.OptionalDouble.of(Math.min(c.ndv(), Math.max(rows, 1)))).orElse(java.util.OptionalDouble.empty());
    }
}
