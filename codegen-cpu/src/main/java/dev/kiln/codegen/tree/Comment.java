package dev.kiln.codegen.tree;

/** A {@code //} comment in generated source (for EXPLAIN CODEGEN); bytecode ignores it. */
public record Comment(String text) implements JStmt {
    public Comment {
        if (text == null) throw new IllegalArgumentException("Comment needs text");
    }
}
