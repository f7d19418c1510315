package dev.kiln.ir.expr;

import dev.kiln.ir.type.DataType;

/** The value of column {@code index} of the input row. */
public record ColumnRef(int index, DataType type, boolean nullable) implements Expr {
    public ColumnRef {
        if (index < 0) throw new IllegalArgumentException("column index must be >= 0, not " + index);
    }
}
