package dev.kiln.ir.eval;

/**
 * DOUBLE arithmetic: IEEE 754 (overflow gives infinity, as DuckDB), except that a zero divisor
 * (0.0 or -0.0) in DIVIDE or MOD is an error rather than an infinity or NaN.
 */
public final class DoubleArithmetic {
    private DoubleArithmetic() {}

    public static double add(double a, double b) {
        return a + b;
    }

    public static double subtract(double a, double b) {
        return a - b;
    }

    public static double multiply(double a, double b) {
        return a * b;
    }

    public static double divide(double a, double b) {
        if (b == 0.0) throw EvalErrors.divisionByZero();
        return a / b;
    }

    /** Remainder with the sign of the dividend (C fmod). */
    public static double mod(double a, double b) {
        if (b == 0.0) throw EvalErrors.divisionByZero();
        return a % b;
    }
}
