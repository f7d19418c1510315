package dev.kiln.runtime.fn;

/**
 * SQL's order of DOUBLE values for generated code, as the reference evaluator
 * ({@code dev.kiln.ir.eval.Comparisons}), DuckDB, PostgreSQL and Spark order them: -0.0 equals
 * 0.0, NaN equals NaN and is above every number. Java's operators answer false for every
 * comparison with NaN, which split NaN keys into groups of one, let {@code x > 1} drop NaN and
 * left MAX blind to it. Small enough for the JIT to inline; each operand is evaluated once.
 */
public final class DoubleOrder {
    private DoubleOrder() {}

    public static boolean eq(double a, double b) {
        return a == b || a != a && b != b;
    }

    public static boolean ne(double a, double b) {
        return !eq(a, b);
    }

    public static boolean lt(double a, double b) {
        return a < b || b != b && a == a;
    }

    public static boolean le(double a, double b) {
        return a <= b || b != b;
    }

    public static boolean gt(double a, double b) {
        return a > b || a != a && b == b;
    }

    public static boolean ge(double a, double b) {
        return a >= b || a != a;
    }
}
