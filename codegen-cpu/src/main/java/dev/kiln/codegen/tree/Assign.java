package dev.kiln.codegen.tree;

/** {@code v = value;} */
public record Assign(LocalVar v, JExpr value) implements JStmt {
    public Assign {
        check(v.type(), value, "local " + v.name());
    }

    static void check(JType target, JExpr value, String what) {
        if (!target.isAssignableFrom(value.type())) {
            throw new IllegalArgumentException("cannot assign a " + value.type() + " to " + what + " of type " + target + " (insert a Convert)");
        }
    }
}
