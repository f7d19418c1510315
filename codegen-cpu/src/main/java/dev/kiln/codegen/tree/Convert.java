package dev.kiln.codegen.tree;

/**
 * A Java cast: a primitive conversion between numeric types (widening or narrowing, with Java's
 * semantics: {@code (int) 3.9 == 3}, {@code (byte) 200 == -56}), or a checked cast between
 * reference types. Boxing is not a conversion here: call {@code valueOf}/{@code longValue}.
 */
public record Convert(JExpr e, JType to) implements JExpr {
    public Convert {
        JType from = e.type();
        boolean ok = from.isPrimitive()
                ? isNumeric(from) && isNumeric(to) || from.equals(to)
                : to.isReference() && !to.isVoid();
        if (!ok) throw new IllegalArgumentException("cannot convert " + from + " to " + to + " (numeric-to-numeric or reference-to-reference only)");
    }

    static boolean isNumeric(JType t) {
        return t.isPrimitive() && !t.equals(JType.BOOLEAN) && !t.isVoid();
    }

    @Override
    public JType type() {
        return to;
    }
}
