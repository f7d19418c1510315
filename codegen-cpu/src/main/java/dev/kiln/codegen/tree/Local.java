package dev.kiln.codegen.tree;

/** Reads a local variable or parameter. */
public record Local(LocalVar v) implements JExpr {
    public Local {
        if (v == null) throw new IllegalArgumentException("Local needs a variable");
    }

    @Override
    public JType type() {
        return v.type();
    }
}
