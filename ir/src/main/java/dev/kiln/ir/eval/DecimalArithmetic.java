package dev.kiln.ir.eval;

import dev.kiln.ir.type.DataType.DecimalType;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * DECIMAL arithmetic (ir/expr/package-info): operands keep their own scales, the exact result is
 * rounded HALF_UP to the result type's scale (only TIMES past scale 18 ever rounds), and a result
 * whose unscaled value does not fit a long is an error ("DECIMAL(18,4) overflow in 1.5 * 2.25").
 * The declared precision of the result type is not checked beyond that: it is min(18, …) by the
 * typing rules and a long holds every 18-digit value, so the long is the real limit.
 */
public final class DecimalArithmetic {
    private DecimalArithmetic() {}

    public static BigDecimal add(DecimalType t, BigDecimal a, BigDecimal b) {
        return fit(t, a.add(b), a.toPlainString() + " + " + b.toPlainString());
    }

    public static BigDecimal subtract(DecimalType t, BigDecimal a, BigDecimal b) {
        return fit(t, a.subtract(b), a.toPlainString() + " - " + b.toPlainString());
    }

    public static BigDecimal multiply(DecimalType t, BigDecimal a, BigDecimal b) {
        return fit(t, a.multiply(b), a.toPlainString() + " * " + b.toPlainString());
    }

    /** Remainder with the sign of the dividend; a zero divisor is an error. */
    public static BigDecimal mod(DecimalType t, BigDecimal a, BigDecimal b) {
        if (b.signum() == 0) throw EvalErrors.divisionByZero();
        return fit(t, a.remainder(b), a.toPlainString() + " % " + b.toPlainString());
    }

    public static BigDecimal negate(DecimalType t, BigDecimal a) {
        return fit(t, a.negate(), "-(" + a.toPlainString() + ")");
    }

    public static BigDecimal abs(DecimalType t, BigDecimal a) {
        return fit(t, a.abs(), "abs(" + a.toPlainString() + ")");
    }

    /** Rounds HALF_UP to the type's scale; an error when the unscaled value leaves a long. */
    public static BigDecimal fit(DecimalType t, BigDecimal exact, String operation) {
        BigDecimal r = exact.setScale(t.scale(), RoundingMode.HALF_UP);
        if (!fitsLong(r)) throw EvalErrors.overflow(t, operation);
        return r;
    }

    static boolean fitsLong(BigDecimal scaled) {
        return scaled.unscaledValue().bitLength() <= 63;
    }
}
