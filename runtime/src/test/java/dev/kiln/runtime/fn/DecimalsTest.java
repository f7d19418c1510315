package dev.kiln.runtime.fn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.KilnException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Decimals against BigDecimal as the oracle; an overflow must raise exactly when BigDecimal's result leaves a long. */
class DecimalsTest {
    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    static boolean fitsLong(BigInteger v) {
        return v.compareTo(MIN) >= 0 && v.compareTo(MAX) <= 0;
    }

    /** Longs of every magnitude: uniformly random digit counts, so small and huge values both occur. */
    static long anyUnscaled(Random r) {
        int digits = r.nextInt(20);
        long v = digits == 19 ? r.nextLong() : r.nextLong(Decimals.POW10[digits]);
        return r.nextBoolean() ? v : -v;
    }

    @Property(tries = 5000)
    void rescaleRoundsHalfUpAndDetectsOverflow(@ForAll long seed) {
        Random r = new Random(seed);
        long v = anyUnscaled(r);
        int from = r.nextInt(19);
        int to = r.nextInt(19);
        BigInteger want = BigDecimal.valueOf(v, from).setScale(to, RoundingMode.HALF_UP).unscaledValue();
        if (fitsLong(want)) {
            assertEquals(want.longValueExact(), Decimals.rescale(v, from, to), v + " scale " + from + " -> " + to);
        } else {
            assertThrows(KilnException.class, () -> Decimals.rescale(v, from, to));
        }
    }

    @Property(tries = 5000)
    void exactArithmetic(@ForAll long seed) {
        Random r = new Random(seed);
        long a = anyUnscaled(r);
        long b = r.nextInt(4) == 0 ? anyUnscaled(r) : r.nextLong(2_000_000) - 1_000_000;
        check(BigInteger.valueOf(a).add(BigInteger.valueOf(b)), () -> Decimals.add(a, b));
        check(BigInteger.valueOf(a).subtract(BigInteger.valueOf(b)), () -> Decimals.subtract(a, b));
        check(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)), () -> Decimals.multiply(a, b));
        int drop = r.nextInt(19);
        BigInteger rounded = new BigDecimal(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)), drop).setScale(0, RoundingMode.HALF_UP).unscaledValue();
        check(rounded, () -> Decimals.multiplyRescale(a, b, drop));
    }

    private static void check(BigInteger want, java.util.function.LongSupplier got) {
        if (fitsLong(want)) assertEquals(want.longValueExact(), got.getAsLong());
        else assertThrows(KilnException.class, got::getAsLong);
    }

    @Property(tries = 5000)
    void textAndDoubleConversions(@ForAll long seed) {
        Random r = new Random(seed);
        long v = anyUnscaled(r);
        int scale = r.nextInt(19);
        BigDecimal exact = BigDecimal.valueOf(v, scale);
        assertEquals(exact.toPlainString(), Decimals.toString(v, scale));
        assertEquals(exact.doubleValue(), Decimals.toDouble(v, scale), exact.toPlainString());
        int precision = Math.max(1, Math.max(scale, r.nextInt(19)));
        BigInteger parsed = exact.setScale(scale, RoundingMode.HALF_UP).unscaledValue();
        if (parsed.abs().compareTo(BigInteger.TEN.pow(precision)) < 0) {
            assertEquals(v, Decimals.parse(exact.toPlainString(), precision, scale));
            assertEquals(v, Decimals.checkPrecision(v, precision));
        } else {
            assertThrows(KilnException.class, () -> Decimals.parse(exact.toPlainString(), precision, scale));
            assertThrows(KilnException.class, () -> Decimals.checkPrecision(v, precision));
        }
        // more digits than the scale: rounds HALF_UP
        int target = r.nextInt(scale + 1);
        BigInteger want = exact.setScale(target, RoundingMode.HALF_UP).unscaledValue();
        if (want.abs().compareTo(BigInteger.TEN.pow(18)) < 0) assertEquals(want.longValueExact(), Decimals.parse(exact.toPlainString(), 18, target));
    }

    @Property(tries = 5000)
    void fromDoubleIsTheExactBinaryValueRoundedHalfUp(@ForAll long seed) {
        Random r = new Random(seed);
        int scale = r.nextInt(8);
        double d = switch (r.nextInt(4)) {
            case 0 -> r.nextInt(2_000_000) / 1000.0 - 1000;          // decimal-looking values: ties in decimal text
            case 1 -> (r.nextInt(20_000) - 10_000) / 8.0;              // exact binary ties (x.125, x.5)
            case 2 -> r.nextGaussian() * Math.pow(10, r.nextInt(12));
            default -> Double.longBitsToDouble(r.nextLong());
        };
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            assertThrows(KilnException.class, () -> Decimals.fromDouble(d, scale));
            return;
        }
        BigInteger want = new BigDecimal(d).setScale(scale, RoundingMode.HALF_UP).unscaledValue();
        check(want, () -> Decimals.fromDouble(d, scale));
    }

    @Property(tries = 3000)
    void roundFloorCeil(@ForAll long seed) {
        Random r = new Random(seed);
        long v = r.nextLong(2_000_000_000_000L) - 1_000_000_000_000L;
        int scale = r.nextInt(10);
        int digits = r.nextInt(14) - 3;
        BigDecimal x = BigDecimal.valueOf(v, scale);
        assertEquals(x.setScale(Math.min(digits, scale), RoundingMode.HALF_UP).setScale(scale).unscaledValue().longValueExact(),
                Decimals.round(v, scale, digits), x + " ROUND " + digits);
        assertEquals(x.setScale(0, RoundingMode.FLOOR).setScale(scale).unscaledValue().longValueExact(), Decimals.floor(v, scale));
        assertEquals(x.setScale(0, RoundingMode.CEILING).setScale(scale).unscaledValue().longValueExact(), Decimals.ceil(v, scale));
    }

    @Test
    void knownValuesAndMessages() {
        assertEquals(13, Decimals.fromDouble(0.125, 2));
        assertEquals(-13, Decimals.fromDouble(-0.125, 2));
        assertEquals(100, Decimals.fromDouble(1.005, 2)); // 1.005 is 1.00499999999999989... in binary
        assertEquals(-15, Decimals.rescale(-145, 1, 0));
        assertEquals(12345, Decimals.parse(" 123.45 ", 5, 2));
        assertEquals(12346, Decimals.parse("123.455", 5, 2));
        assertEquals(-100, Decimals.parse("-1e0", 5, 2));
        assertEquals("-0.05", Decimals.toString(-5, 2));
        assertEquals("-9223372036854775.808", Decimals.toString(Long.MIN_VALUE, 3));
        assertEquals(1_000_000_000_000_000_000L, Decimals.POW10[18]);
        assertEquals("invalid input for CAST from VARCHAR to DECIMAL(5,2): '12x'",
                assertThrows(KilnException.class, () -> Decimals.parse("12x", 5, 2)).getMessage());
        assertEquals("numeric overflow: value 1234.5 does not fit DECIMAL(5,2)",
                assertThrows(KilnException.class, () -> Decimals.parse("1234.5", 5, 2)).getMessage());
        assertEquals("numeric overflow: value 1000.00 does not fit DECIMAL(5,2)",
                assertThrows(KilnException.class, () -> Decimals.checkPrecision(100_000, 5, 2)).getMessage());
        assertThrows(KilnException.class, () -> Decimals.parse("", 5, 2));
        assertThrows(KilnException.class, () -> Decimals.parse("1_000", 5, 0));
    }
}
