package dev.kiln.codegen.tree;

/** Unary operators: arithmetic negation of int/long/double, and boolean {@code !}. */
public enum UnOp {
    NEG("-"), NOT("!");

    private final String symbol;

    UnOp(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
