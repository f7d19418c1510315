package dev.kiln.codegen.tree;

import java.util.Optional;

/** {@code if (cond) then else otherwise}. */
public record If(JExpr cond, JStmt then, Optional<JStmt> otherwise) implements JStmt {
    public If {
        if (!cond.type().equals(JType.BOOLEAN)) throw new IllegalArgumentException("If condition must be boolean, got " + cond.type());
        if (then == null || otherwise == null) throw new IllegalArgumentException("If needs a then branch and an Optional else branch");
    }

    public static If of(JExpr cond, JStmt then) {
        return new If(cond, then, Optional.empty());
    }

    public static If of(JExpr cond, JStmt then, JStmt otherwise) {
        return new If(cond, then, Optional.of(otherwise));
    }
}
