package dev.kiln.codegen.tree;

/** {@code throw exception;} */
public record Throw(JExpr exception) implements JStmt {
    public Throw {
        if (!JType.of(Throwable.class).isAssignableFrom(exception.type())) {
            throw new IllegalArgumentException("Throw needs a Throwable, got " + exception.type());
        }
    }
}
