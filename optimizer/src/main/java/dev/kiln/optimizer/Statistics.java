package dev.kiln.optimizer;

import dev.kiln.ir.rel.TableRef;
import java.util.OptionalLong;

/** What the optimizer knows about the data; the cost-based passes of the next issue build on it. */
public interface Statistics {
    OptionalLong rowCount(TableRef table);

    Statistics FROM_TABLE_REFS = t -> t.rowCount() >= 0 ? OptionalLong.of(t.rowCount()) : OptionalLong.empty();
}
