package dev.kiln.runtime.fn;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * DECIMAL(p,s) arithmetic on unscaled longs (p &le; 18, see DataType.DecimalType). Rounding is
 * HALF_UP (away from zero on a tie) as in PostgreSQL and DuckDB; every result that does not fit
 * raises an overflow error instead of losing digits. The common paths are long arithmetic only;
 * BigDecimal appears only on the rare exact-tie or 128-bit cases.
 */
public final class Decimals {
    private Decimals() {}

    /** POW10[i] = 10^i for i in 0..18. */
    public static final long[] POW10 = new long[19];
    private static final double[] POW10_D = new double[19];

    static {
        POW10[0] = 1;
        POW10_D[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
            POW10_D[i] = POW10[i];
        }
    }

    private static String type(int scale) {
        return "DECIMAL(18," + scale + ")";
    }

    /** Changes the scale; HALF_UP when the scale shrinks, overflow error when it grows past a long. */
    public static long rescale(long unscaled, int fromScale, int toScale) {
        if (toScale == fromScale) return unscaled;
        if (toScale > fromScale) {
            int up = toScale - fromScale;
            if (up > 18) {
                if (unscaled == 0) return 0;
                throw SqlErrors.doesNotFit(toString(unscaled, fromScale), "DECIMAL with scale " + toScale);
            }
            long p = POW10[up];
            long hi = Math.multiplyHigh(unscaled, p);
            long lo = unscaled * p;
            if (hi != (lo >> 63)) throw SqlErrors.doesNotFit(toString(unscaled, fromScale), "DECIMAL with scale " + toScale);
            return lo;
        }
        int down = fromScale - toScale;
        if (down > 18) return 0; // |unscaled| < 10^19 < 0.5 * 10^down
        return divideHalfUp(unscaled, POW10[down]);
    }

    /** v / d rounded HALF_UP, d &gt; 0. */
    private static long divideHalfUp(long v, long d) {
        long q = v / d;
        long r = v % d;
        // |r| >= d - |r| ⇔ 2|r| >= d, written so that it cannot overflow
        long ar = Math.abs(r);
        if (ar >= d - ar) q += v < 0 ? -1 : 1;
        return q;
    }

    public static long add(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) throw SqlErrors.overflow("DECIMAL", a + " + " + b + " (unscaled)");
        return r;
    }

    public static long subtract(long a, long b) {
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) throw SqlErrors.overflow("DECIMAL", a + " - " + b + " (unscaled)");
        return r;
    }

    /** Exact product of two unscaled values (the result scale is the sum of the scales). */
    public static long multiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if (hi != (lo >> 63)) throw SqlErrors.overflow("DECIMAL", a + " * " + b + " (unscaled)");
        return lo;
    }

    /** a * b with {@code drop} digits of scale rounded away HALF_UP; exact even when a * b needs 128 bits. */
    public static long multiplyRescale(long a, long b, int drop) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if (hi == (lo >> 63)) return drop == 0 ? lo : rescale(lo, drop, 0);
        BigDecimal r = new BigDecimal(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)), drop).setScale(0, RoundingMode.HALF_UP);
        if (r.unscaledValue().bitLength() > 63) throw SqlErrors.overflow("DECIMAL", a + " * " + b + " (unscaled)");
        return r.longValue();
    }

    /** The double nearest to the decimal value (correctly rounded). */
    public static double toDouble(long unscaled, int scale) {
        if (scale == 0) return (double) unscaled;
        // both operands exact in a double, so the one division rounds correctly
        if (Math.abs(unscaled) < (1L << 53) && scale <= 18) return unscaled / POW10_D[scale];
        return BigDecimal.valueOf(unscaled, scale).doubleValue();
    }

    /** The exact binary value of {@code d} rounded HALF_UP to {@code scale} digits; NaN and infinities are errors. */
    public static long fromDouble(double d, int scale) {
        if (Double.isNaN(d) || Double.isInfinite(d)) throw SqlErrors.invalidCast(Double.toString(d), "DOUBLE", "DECIMAL");
        double x = Math.abs(d) * POW10_D[scale];
        if (x < 0x1p52) {
            double f = Math.floor(x);
            double frac = x - f;
            // x carries at most half an ulp of error; away from the .5 tie the rounding is decided already
            if (Math.abs(frac - 0.5) > 2 * Math.ulp(x)) {
                long r = (long) f + (frac > 0.5 ? 1 : 0);
                return d < 0 ? -r : r;
            }
        }
        BigDecimal r = new BigDecimal(d).setScale(scale, RoundingMode.HALF_UP);
        if (r.unscaledValue().bitLength() > 63) throw SqlErrors.doesNotFit(Double.toString(d), type(scale));
        return r.unscaledValue().longValue();
    }

    /** Plain notation, e.g. (-5, 2) → "-0.05"; the same text as {@code BigDecimal.toPlainString()}. */
    public static String toString(long unscaled, int scale) {
        if (scale == 0) return Long.toString(unscaled);
        String digits = unscaled == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(Math.abs(unscaled));
        StringBuilder sb = new StringBuilder(digits.length() + scale + 3);
        if (unscaled < 0) sb.append('-');
        if (digits.length() <= scale) {
            sb.append("0.");
            for (int i = digits.length(); i < scale; i++) sb.append('0');
            sb.append(digits);
        } else {
            sb.append(digits, 0, digits.length() - scale).append('.').append(digits, digits.length() - scale, digits.length());
        }
        return sb.toString();
    }

    /**
     * Text to DECIMAL(precision, scale): optional sign, digits with an optional point, optional
     * exponent, surrounding blanks ignored; extra fraction digits round HALF_UP.
     */
    public static long parse(String text, int precision, int scale) {
        String t = text.strip();
        String type = "DECIMAL(" + precision + "," + scale + ")";
        BigDecimal v;
        try {
            if (t.isEmpty() || t.indexOf('_') >= 0) throw new NumberFormatException();
            v = new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw SqlErrors.invalidCast(text, "VARCHAR", type);
        }
        BigDecimal r = v.setScale(scale, RoundingMode.HALF_UP);
        BigInteger u = r.unscaledValue();
        if (u.abs().compareTo(BigInteger.valueOf(POW10[Math.min(precision, 18)])) >= 0) {
            throw SqlErrors.doesNotFit(t, type);
        }
        return u.longValue();
    }

    /** Throws unless |unscaled| &lt; 10^precision. */
    public static long checkPrecision(long unscaled, int precision) {
        if (unscaled == Long.MIN_VALUE || precision < 19 && Math.abs(unscaled) >= POW10[precision]) {
            throw SqlErrors.doesNotFit(Long.toString(unscaled) + " (unscaled)", "DECIMAL(" + precision + ",s)");
        }
        return unscaled;
    }

    /** As {@link #checkPrecision(long, int)}, naming the value and the full type in the error. */
    public static long checkPrecision(long unscaled, int precision, int scale) {
        if (unscaled == Long.MIN_VALUE || precision < 19 && Math.abs(unscaled) >= POW10[precision]) {
            throw SqlErrors.doesNotFit(toString(unscaled, scale), "DECIMAL(" + precision + "," + scale + ")");
        }
        return unscaled;
    }

    /** ROUND(v, digits) HALF_UP, keeping the value's scale (digits may be negative). */
    public static long round(long unscaled, int scale, int digits) {
        if (digits >= scale) return unscaled;
        int drop = scale - digits;
        if (drop > 18) return 0;
        long p = POW10[drop];
        return multiply(divideHalfUp(unscaled, p), p);
    }

    /** FLOOR to an integral value, keeping the scale. */
    public static long floor(long unscaled, int scale) {
        if (scale == 0) return unscaled;
        long p = POW10[scale];
        return multiply(Math.floorDiv(unscaled, p), p);
    }

    /** CEIL to an integral value, keeping the scale. */
    public static long ceil(long unscaled, int scale) {
        if (scale == 0) return unscaled;
        long p = POW10[scale];
        return multiply(Math.ceilDiv(unscaled, p), p);
    }
}
