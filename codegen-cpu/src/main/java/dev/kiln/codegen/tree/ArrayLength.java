package dev.kiln.codegen.tree;

/** {@code array.length}. */
public record ArrayLength(JExpr array) implements JExpr {
    public ArrayLength {
        if (!array.type().isArray()) throw new IllegalArgumentException("ArrayLength needs an array, got " + array.type());
    }

    @Override
    public JType type() {
        return JType.INT;
    }
}
