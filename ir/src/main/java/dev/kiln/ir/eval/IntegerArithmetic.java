package dev.kiln.ir.eval;

import dev.kiln.ir.type.DataType.IntType;

/**
 * Integer arithmetic in a given result type: exact, and an error when the exact result leaves
 * the type's range ("INTEGER overflow in 2147483647 + 1"). DIVIDE truncates toward zero, MOD
 * takes the sign of the dividend (as Java, C, PostgreSQL and DuckDB); a zero divisor is an error.
 */
public final class IntegerArithmetic {
    private IntegerArithmetic() {}

    public static long add(IntType t, long a, long b) {
        long r = a + b;
        // overflow of the long itself iff both operands have the sign opposite to the result
        if (((a ^ r) & (b ^ r)) < 0) throw EvalErrors.overflow(t, a + " + " + b);
        return check(t, r, a + " + " + b);
    }

    public static long subtract(IntType t, long a, long b) {
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) throw EvalErrors.overflow(t, a + " - " + b);
        return check(t, r, a + " - " + b);
    }

    public static long multiply(IntType t, long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        // the 128-bit product fits a long iff its high half is just the sign of the low half
        if (hi != (lo >> 63)) throw EvalErrors.overflow(t, a + " * " + b);
        return check(t, lo, a + " * " + b);
    }

    public static long divide(IntType t, long a, long b) {
        if (b == 0) throw EvalErrors.divisionByZero();
        if (a == Long.MIN_VALUE && b == -1) throw EvalErrors.overflow(t, a + " / " + b);
        return check(t, a / b, a + " / " + b);
    }

    public static long mod(IntType t, long a, long b) {
        if (b == 0) throw EvalErrors.divisionByZero();
        return a % b; // |a % b| < |b|, so it is in range; Long.MIN_VALUE % -1 is 0 in Java
    }

    public static long negate(IntType t, long a) {
        if (a == Long.MIN_VALUE) throw EvalErrors.overflow(t, "-(" + a + ")");
        return check(t, -a, "-(" + a + ")");
    }

    public static long abs(IntType t, long a) {
        if (a == Long.MIN_VALUE) throw EvalErrors.overflow(t, "abs(" + a + ")");
        return check(t, Math.abs(a), "abs(" + a + ")");
    }

    static long check(IntType t, long v, String operation) {
        if (v < t.minValue() || v > t.maxValue()) throw EvalErrors.overflow(t, operation);
        return v;
    }
}
