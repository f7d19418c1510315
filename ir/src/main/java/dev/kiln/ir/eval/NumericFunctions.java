package dev.kiln.ir.eval;

import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * ROUND, FLOOR and CEIL. DECIMAL rounds HALF_UP (half away from zero) exactly and is returned at
 * the result type's scale; DOUBLE rounds half away from zero as DuckDB does:
 * {@code roundHalfAway(x * 10^d) / 10^d} (for d &lt; 0: {@code roundHalfAway(x / 10^-d) * 10^-d}),
 * the scaling being ordinary double arithmetic; NaN and infinities are returned unchanged.
 * Integers are unchanged by FLOOR/CEIL and by ROUND with digits ≥ 0.
 */
public final class NumericFunctions {
    private NumericFunctions() {}

    public static BigDecimal round(BigDecimal x, long digits, DataType.DecimalType result) {
        int d = (int) Math.max(-40, Math.min(40, digits)); // beyond ±40 digits the answer no longer changes
        return DecimalArithmetic.fit(result, x.setScale(d, RoundingMode.HALF_UP), "round(" + x.toPlainString() + ", " + digits + ")");
    }

    public static double round(double x, long digits) {
        if (Double.isNaN(x) || Double.isInfinite(x)) return x;
        int d = (int) Math.max(-400, Math.min(400, digits));
        if (d == 0) return roundHalfAway(x);
        double scale = Math.pow(10, Math.abs(d));
        double scaled = d > 0 ? x * scale : x / scale;
        if (Double.isInfinite(scaled)) return x; // more digits asked for than a double has
        double r = roundHalfAway(scaled);
        return d > 0 ? r / scale : r * scale;
    }

    /** Nearest integer, ties away from zero, on the exact double (no x + 0.5 rounding error). */
    public static double roundHalfAway(double x) {
        double a = Math.abs(x);
        double f = Math.floor(a);
        double r = a - f >= 0.5 ? f + 1 : f; // a - f is exact for |a| < 2^52, and 0 above
        return Math.copySign(r, x);
    }

    /** ROUND of an integer to a negative number of digits: ROUND(1250, -2) = 1300. */
    public static long round(long x, long digits, DataType.IntType t) {
        if (digits >= 0) return x;
        java.math.BigInteger r = BigDecimal.valueOf(x).setScale((int) Math.max(-40, digits), RoundingMode.HALF_UP).toBigIntegerExact();
        if (r.bitLength() > 63 || r.longValue() < t.minValue() || r.longValue() > t.maxValue()) {
            throw EvalErrors.overflow(t, "round(" + x + ", " + digits + ")");
        }
        return r.longValue();
    }

    public static BigDecimal floor(BigDecimal x, DataType.DecimalType result) {
        return DecimalArithmetic.fit(result, x.setScale(0, RoundingMode.FLOOR), "floor(" + x.toPlainString() + ")");
    }

    public static BigDecimal ceil(BigDecimal x, DataType.DecimalType result) {
        return DecimalArithmetic.fit(result, x.setScale(0, RoundingMode.CEILING), "ceil(" + x.toPlainString() + ")");
    }

    /** The natural logarithm; SQL raises an error for a value not above zero (where Java would give NaN or -Infinity). */
    public static double ln(double x) {
        if (!(x > 0)) throw new dev.kiln.ir.KilnException("cannot take the logarithm of " + x + ": LN needs a value above 0");
        return Math.log(x);
    }
}
