package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * Cast between STRING and the other element types, as ONNX's reference casts (numpy's
 * {@code astype}): a float becomes its shortest decimal that reads back as the same float
 * (float32 digits for float32), positional from 1e-4 up to 1e16 and {@code 1.5e-05} beyond,
 * NaN and infinities as {@code NaN}, {@code INF}, {@code -INF}; an integer its decimal; a
 * boolean {@code True} or {@code False}. A string becomes a number by reading it as one -
 * {@code NaN}, {@code INF}, {@code +INF}, {@code -INF} (any case) included - and a string that is
 * not one is an error naming it.
 */
final class StringCasts {
    private StringCasts() {}

    static String text(Tensor x, int i) {
        ElementType from = x.type();
        if (from == ElementType.STRING) return x.getString(i);
        if (from == ElementType.BOOL) return x.getBool(i) ? "True" : "False";
        if (from == ElementType.UINT64) return Long.toUnsignedString(x.getLong(i));
        if (from.isInteger()) return Long.toString(x.getLong(i));
        double v = x.getDouble(i);
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "INF" : "-INF";
        if (v == 0) return Double.doubleToRawLongBits(v) < 0 ? "-0.0" : "0.0";
        return decimal(new BigDecimal(from == ElementType.FLOAT64 ? Double.toString(v) : Float.toString((float) v)));
    }

    /** numpy's repr of a float with these (shortest) digits. */
    private static String decimal(BigDecimal d) {
        d = d.stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = d.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = d.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (d.signum() < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
    }

    static void parse(String s, ElementType to, Tensor.Builder b, int i) {
        String t = s.strip();
        try {
            if (to == ElementType.BOOL) {
                b.setBool(i, number(t) != 0);
            } else if (to.isInteger()) {
                b.setLong(i, to.wrap(Long.parseLong(t.startsWith("+") ? t.substring(1) : t)));
            } else {
                b.setDouble(i, number(t));
            }
        } catch (NumberFormatException e) {
            throw new KilnException("cannot cast the string '" + s + "' to " + to + ": it is not a number");
        }
    }

    private static double number(String t) {
        return switch (t.toUpperCase(Locale.ROOT)) {
            case "NAN", "+NAN", "-NAN" -> Double.NaN;
            case "INF", "+INF", "INFINITY", "+INFINITY" -> Double.POSITIVE_INFINITY;
            case "-INF", "-INFINITY" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(t);
        };
    }
}
