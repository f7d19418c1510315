package dev.kiln.ir.eval;

/**
 * SQL three-valued logic on boxed booleans, {@code null} being UNKNOWN. AND is FALSE if either
 * side is FALSE (even if the other is UNKNOWN), OR is TRUE if either side is TRUE.
 */
public final class Logic {
    private Logic() {}

    public static Boolean and(Boolean a, Boolean b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) return false;
        if (a == null || b == null) return null;
        return true;
    }

    public static Boolean or(Boolean a, Boolean b) {
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) return true;
        if (a == null || b == null) return null;
        return false;
    }

    public static Boolean not(Boolean a) {
        return a == null ? null : !a;
    }
}
