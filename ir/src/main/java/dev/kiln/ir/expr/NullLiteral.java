package dev.kiln.ir.expr;

import dev.kiln.ir.type.DataType;

/** The typed SQL NULL. */
public record NullLiteral(DataType type) implements Expr {
    @Override
    public boolean nullable() {
        return true;
    }
}
