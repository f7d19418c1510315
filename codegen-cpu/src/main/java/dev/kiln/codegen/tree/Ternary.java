package dev.kiln.codegen.tree;

/** {@code cond ? a : b}; both branches must have the same type. */
public record Ternary(JExpr cond, JExpr a, JExpr b) implements JExpr {
    public Ternary {
        if (!cond.type().equals(JType.BOOLEAN)) throw new IllegalArgumentException("Ternary condition must be boolean, got " + cond.type());
        if (!a.type().equals(b.type())) throw new IllegalArgumentException("Ternary branches have different types " + a.type() + " and " + b.type() + " (insert a Convert)");
        if (a.type().isVoid()) throw new IllegalArgumentException("Ternary branches must not be void");
    }

    @Override
    public JType type() {
        return a.type();
    }
}
