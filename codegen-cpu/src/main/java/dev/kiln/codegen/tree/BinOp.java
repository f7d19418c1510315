package dev.kiln.codegen.tree;

/**
 * Binary operators. Arithmetic and bitwise operators keep their operand type; comparisons and
 * the short-circuit {@link #LOGICAL_AND}/{@link #LOGICAL_OR} yield boolean.
 */
public enum BinOp {
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), REM("%"),
    AND("&"), OR("|"), XOR("^"),
    SHL("<<"), SHR(">>"), USHR(">>>"),
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="),
    LOGICAL_AND("&&"), LOGICAL_OR("||");

    private final String symbol;

    BinOp(String symbol) {
        this.symbol = symbol;
    }

    /** The Java source operator. */
    public String symbol() {
        return symbol;
    }

    public boolean isComparison() {
        return this == EQ || this == NE || this == LT || this == LE || this == GT || this == GE;
    }

    public boolean isShift() {
        return this == SHL || this == SHR || this == USHR;
    }

    public boolean isLogical() {
        return this == LOGICAL_AND || this == LOGICAL_OR;
    }
}
