package dev.kiln.codegen.tree;

/** {@code array[index]}. */
public record ArrayLoad(JExpr array, JExpr index) implements JExpr {
    public ArrayLoad {
        if (!array.type().isArray()) throw new IllegalArgumentException("ArrayLoad needs an array, got " + array.type());
        if (!index.type().equals(JType.INT)) throw new IllegalArgumentException("array index must be int, got " + index.type());
    }

    @Override
    public JType type() {
        return array.type().componentType();
    }
}
