package dev.kiln.optimizer;

import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.stats.TableStats;
import java.util.Optional;

/**
 * What the optimizer knows about the data: the statistics of a table, supplied by the engine's
 * catalog (gathered at load time or by ANALYZE). Empty when nothing is known; the estimator then
 * falls back to the table reference's row count and default selectivities.
 */
public interface Statistics {
    Optional<TableStats> stats(TableRef table);

    /** Only the row counts carried by the table references. */
    Statistics FROM_TABLE_REFS = t -> t.rowCount() >= 0 ? Optional.of(TableStats.rowsOnly(t.rowCount(), t.schema().size())) : Optional.empty();
}
