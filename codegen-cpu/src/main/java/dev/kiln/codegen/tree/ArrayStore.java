package dev.kiln.codegen.tree;

/** {@code array[index] = value;} */
public record ArrayStore(JExpr array, JExpr index, JExpr value) implements JStmt {
    public ArrayStore {
        if (!array.type().isArray()) throw new IllegalArgumentException("ArrayStore needs an array, got " + array.type());
        if (!index.type().equals(JType.INT)) throw new IllegalArgumentException("array index must be int, got " + index.type());
        Assign.check(array.type().componentType(), value, "an element of " + array.type());
    }
}
