package dev.kiln.frontend;

import dev.kiln.ir.rel.Rel;
import java.util.List;

/** A compiled SQL statement. */
public sealed interface Statement {
    /** A query: its logical plan, whose schema's field names are the output column names. */
    record Query(Rel plan, List<String> columnNames) implements Statement {}

    record CreateView(String name, String sql, List<String> columnNames, boolean orReplace) implements Statement {}

    /** DROP VIEW; {@code cascade} drops the views that use it too, {@code restrict} refuses if there are any. */
    record DropView(String name, boolean ifExists, boolean cascade, boolean restrict) implements Statement {}
}
