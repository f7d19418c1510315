package dev.kiln.ir.rel;

import dev.kiln.ir.type.Schema;
import java.util.List;

/**
 * A relational operator. Plans are immutable trees with structural equality; every rewrite
 * builds a new tree. Column references inside a node's expressions index into the node's input
 * row (for joins: the left row followed by the right row).
 */
public sealed interface Rel permits TableScan, Values, Filter, Project, Aggregate, Join, Sort, Union, SessionWindow, Infer {
    /** The row type this operator produces. */
    Schema schema();

    List<Rel> inputs();

    /** The same operator over new inputs (same count and row types). */
    Rel withInputs(List<Rel> newInputs);
}
