package dev.kiln.codegen.tree;

/** {@code new elementType[length]}. */
public record NewArray(JType elementType, JExpr length) implements JExpr {
    public NewArray {
        if (elementType.isVoid()) throw new IllegalArgumentException("no array of void");
        if (!length.type().equals(JType.INT)) throw new IllegalArgumentException("array length must be int, got " + length.type());
    }

    @Override
    public JType type() {
        return elementType.arrayOf();
    }
}
