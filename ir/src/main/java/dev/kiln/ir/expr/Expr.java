package dev.kiln.ir.expr;

import dev.kiln.ir.type.DataType;

/**
 * A scalar expression over the columns of one input row. Immutable; equality is structural, so
 * two plans with equal expressions are equal and compile to the same class.
 */
public sealed interface Expr permits ColumnRef, Literal, NullLiteral, Call, Cast, Case, InList {
    DataType type();

    /** May this expression evaluate to NULL? */
    boolean nullable();
}
