package dev.kiln.codegen.tree;

/**
 * {@code left op right}. Operands must already have the same type (the builder inserts
 * {@link Convert}s; there is no implicit widening), except that a shift distance may be int or
 * long. Arithmetic works on int, long and double; bitwise operators on int, long and boolean;
 * {@code ==}/{@code !=} also on booleans and references.
 */
public record Binary(BinOp op, JExpr left, JExpr right) implements JExpr {
    public Binary {
        JType l = left.type();
        JType r = right.type();
        boolean ok = switch (op) {
            case ADD, SUB, MUL, DIV, REM, LT, LE, GT, GE -> l.equals(r) && isNumeric(l);
            case AND, OR, XOR -> l.equals(r) && (l.equals(JType.INT) || l.equals(JType.LONG) || l.equals(JType.BOOLEAN));
            case SHL, SHR, USHR -> (l.equals(JType.INT) || l.equals(JType.LONG)) && (r.equals(JType.INT) || r.equals(JType.LONG));
            case EQ, NE -> (l.equals(r) && (isNumeric(l) || l.equals(JType.BOOLEAN)))
                    || (l.isReference() && r.isReference() && (l.isAssignableFrom(r) || r.isAssignableFrom(l)));
            case LOGICAL_AND, LOGICAL_OR -> l.equals(JType.BOOLEAN) && r.equals(JType.BOOLEAN);
        };
        if (!ok) {
            throw new IllegalArgumentException("operator " + op + " (" + op.symbol() + ") cannot combine " + l + " and " + r
                    + "; operands must have the same type among int, long, double" + (op.isComparison() || op.ordinal() >= BinOp.AND.ordinal() ? ", boolean" : "")
                    + " (insert a Convert)");
        }
    }

    private static boolean isNumeric(JType t) {
        return t.equals(JType.INT) || t.equals(JType.LONG) || t.equals(JType.DOUBLE);
    }

    @Override
    public JType type() {
        return op.isComparison() || op.isLogical() ? JType.BOOLEAN : left.type();
    }
}
