package dev.kiln.ir.expr;

import dev.kiln.ir.type.DataType;

/** CAST(input AS type). Invalid conversions (overflow, bad text) raise errors at run time. */
public record Cast(Expr input, DataType type) implements Expr {
    @Override
    public boolean nullable() {
        return input.nullable();
    }
}
