package dev.kiln.ir.expr;

import dev.kiln.ir.type.DataType;
import java.util.List;

/**
 * {@code value IN (v1, v2, ...)} with SQL semantics: TRUE if equal to one, else NULL if the value
 * or any list element is NULL, else FALSE. List elements have the value's type.
 */
public record InList(Expr value, List<Expr> list, boolean nullable) implements Expr {
    public InList {
        list = List.copyOf(list);
        if (list.isEmpty()) throw new IllegalArgumentException("IN list must not be empty");
    }

    @Override
    public DataType type() {
        return DataType.BOOLEAN;
    }
}
