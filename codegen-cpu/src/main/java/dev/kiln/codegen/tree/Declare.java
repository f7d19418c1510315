package dev.kiln.codegen.tree;

/** Declares a local in the enclosing block and initialises it ({@code T v = init;}). */
public record Declare(LocalVar v, JExpr init) implements JStmt {
    public Declare {
        if (init == null) throw new IllegalArgumentException("Declare of " + v.name() + " needs an initial value");
        Assign.check(v.type(), init, "local " + v.name());
    }
}
