package dev.kiln.codegen.tree;

/** {@code -operand} or {@code !operand}. */
public record Unary(UnOp op, JExpr operand) implements JExpr {
    public Unary {
        JType t = operand.type();
        boolean ok = switch (op) {
            case NEG -> t.equals(JType.INT) || t.equals(JType.LONG) || t.equals(JType.DOUBLE);
            case NOT -> t.equals(JType.BOOLEAN);
        };
        if (!ok) throw new IllegalArgumentException("operator " + op + " (" + op.symbol() + ") does not apply to " + t);
    }

    @Override
    public JType type() {
        return operand.type();
    }
}
