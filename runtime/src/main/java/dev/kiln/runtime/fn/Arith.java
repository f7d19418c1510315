package dev.kiln.runtime.fn;

/**
 * Exact integer arithmetic with SQL errors. Generated code may equally call {@code Math.addExact}
 * and friends directly (the JIT turns them into an overflow-flag check) and map the
 * {@link ArithmeticException} where the query runs; these variants exist for call sites that want
 * the operands in the message. Division and MOD always go through here: Java's {@code /} on
 * integers would throw a bare ArithmeticException for zero and silently wrap MIN_VALUE / -1.
 */
public final class Arith {
    private Arith() {}

    public static long addExact(long a, long b, String type) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) throw SqlErrors.overflow(type, a + " + " + b);
        return r;
    }

    public static long subtractExact(long a, long b, String type) {
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) throw SqlErrors.overflow(type, a + " - " + b);
        return r;
    }

    public static long multiplyExact(long a, long b, String type) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if (hi != (lo >> 63)) throw SqlErrors.overflow(type, a + " * " + b);
        return lo;
    }

    public static long negateExact(long a, String type) {
        if (a == Long.MIN_VALUE) throw SqlErrors.overflow(type, "-(" + a + ")");
        return -a;
    }

    public static int addExact(int a, int b, String type) {
        int r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) throw SqlErrors.overflow(type, a + " + " + b);
        return r;
    }

    public static int subtractExact(int a, int b, String type) {
        int r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) throw SqlErrors.overflow(type, a + " - " + b);
        return r;
    }

    public static int multiplyExact(int a, int b, String type) {
        long r = (long) a * b;
        if ((int) r != r) throw SqlErrors.overflow(type, a + " * " + b);
        return (int) r;
    }

    /** Checks that {@code v} fits a signed integer of {@code bits} bits (8, 16, 32 or 64). */
    public static long checkRange(long v, int bits, String type) {
        if (bits < 64 && (v < -(1L << (bits - 1)) || v > (1L << (bits - 1)) - 1)) throw SqlErrors.doesNotFit(Long.toString(v), type);
        return v;
    }

    /** SQL integer division: truncates toward zero. */
    public static long divide(long a, long b) {
        if (b == 0) throw SqlErrors.divisionByZero();
        if (b == -1) {
            if (a == Long.MIN_VALUE) throw SqlErrors.overflow("BIGINT", a + " / -1");
            return -a;
        }
        return a / b;
    }

    public static int divide(int a, int b) {
        if (b == 0) throw SqlErrors.divisionByZero();
        if (b == -1) {
            if (a == Integer.MIN_VALUE) throw SqlErrors.overflow("INTEGER", a + " / -1");
            return -a;
        }
        return a / b;
    }

    /** The remainder takes the sign of the dividend (as PostgreSQL and DuckDB); x MOD -1 is 0. */
    public static long mod(long a, long b) {
        if (b == 0) throw SqlErrors.divisionByZero();
        return b == -1 ? 0 : a % b;
    }

    public static int mod(int a, int b) {
        if (b == 0) throw SqlErrors.divisionByZero();
        return b == -1 ? 0 : a % b;
    }

    /** DOUBLE division by zero is an error, as in PostgreSQL (DuckDB would return NULL). */
    public static double divide(double a, double b) {
        if (b == 0.0) throw SqlErrors.divisionByZero();
        return a / b;
    }

    public static double mod(double a, double b) {
        if (b == 0.0) throw SqlErrors.divisionByZero();
        return a % b;
    }
}
