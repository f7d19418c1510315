package dev.kiln.ir.expr;

import dev.kiln.ir.type.DataType;
import java.util.List;

/** Searched CASE: the first branch whose condition is TRUE wins, else {@code otherwise}. */
public record Case(List<When> branches, Expr otherwise, DataType type, boolean nullable) implements Expr {
    public Case {
        branches = List.copyOf(branches);
        if (branches.isEmpty()) throw new IllegalArgumentException("CASE needs at least one WHEN");
    }

    public record When(Expr condition, Expr result) {}
}
