package dev.kiln.ir.eval;

import static dev.kiln.ir.E.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class CastTest {
    private static Object castTo(Expr e, DataType t) {
        return eval(cast(e, t));
    }

    @Test
    void numericToIntegerRoundsHalfAwayFromZeroAndChecksRange() {
        assertEquals(3L, castTo(dec("2.50", 3), INT));
        assertEquals(-3L, castTo(dec("-2.50", 3), INT));
        assertEquals(2L, castTo(dec("2.49", 3), INT));
        assertEquals(3L, castTo(dbl(2.5), INT));
        assertEquals(-3L, castTo(dbl(-2.5), INT));
        assertEquals(0L, castTo(dbl(0.49999999999999994), INT)); // no x + 0.5 rounding error
        assertEquals(127L, castTo(i32(127), DataType.TINYINT));
        assertEquals("value 128 does not fit TINYINT", error(() -> castTo(i32(128), DataType.TINYINT)));
        assertEquals("value 32767.5 does not fit SMALLINT", error(() -> castTo(dec("32767.5", 6), DataType.SMALLINT)));
        assertEquals("value 2.147483648E9 does not fit INTEGER", error(() -> castTo(dbl(2147483648.0), INT)));
        assertEquals("value NaN does not fit BIGINT", error(() -> castTo(dbl(Double.NaN), BIGINT)));
        assertEquals("value 9.3E18 does not fit BIGINT", error(() -> castTo(dbl(9.3e18), BIGINT)));
        assertEquals(1L, castTo(bool(true), INT));
    }

    @Test
    void toDecimalRoundsHalfUpAndChecksPrecision() {
        assertEquals(new BigDecimal("1.24"), castTo(dec("1.235", 4), DataType.decimal(4, 2)));
        assertEquals(new BigDecimal("-1.24"), castTo(dec("-1.235", 4), DataType.decimal(4, 2)));
        assertEquals(new BigDecimal("12.000"), castTo(i32(12), DataType.decimal(5, 3)));
        assertEquals("value 123.45 does not fit DECIMAL(4,2)", error(() -> castTo(dec("123.45", 5), DataType.decimal(4, 2))));
        assertEquals("value 99.995 does not fit DECIMAL(4,2)", error(() -> castTo(dec("99.995", 5), DataType.decimal(4, 2)))); // rounds to 100.00
        assertEquals("value 100 does not fit DECIMAL(4,2)", error(() -> castTo(i32(100), DataType.decimal(4, 2))));
        // a DOUBLE converts from its exact binary value: 2.675 is 2.67499999999999982236431605997495353221893310546875
        assertEquals(new BigDecimal("2.67"), castTo(dbl(2.675), DataType.decimal(5, 2)));
        assertEquals(new BigDecimal("0.13"), castTo(dbl(0.125), DataType.decimal(5, 2)));
        assertEquals("value Infinity does not fit DECIMAL(5,2)", error(() -> castTo(dbl(Double.POSITIVE_INFINITY), DataType.decimal(5, 2))));
    }

    @Test
    void toDouble() {
        assertEquals(0.1, castTo(dec("0.10", 3), DBL));
        assertEquals(9.223372036854776E18, castTo(i64(Long.MAX_VALUE), DBL));
    }

    @Test
    void fromVarcharTrimsAndParsesStrictly() {
        assertEquals(42L, castTo(str("  42 "), INT));
        assertEquals(-7L, castTo(str("-7"), BIGINT));
        assertEquals("invalid input for CAST to INTEGER: '4.5' (expected an integer such as -42)", error(() -> castTo(str("4.5"), INT)));
        assertEquals("invalid input for CAST to INTEGER: 'abc' (expected an integer such as -42)", error(() -> castTo(str("abc"), INT)));
        assertEquals("value 99999999999 does not fit INTEGER", error(() -> castTo(str("99999999999"), INT)));
        assertEquals(new BigDecimal("12.35"), castTo(str(" 12.345 "), DataType.decimal(6, 2)));
        assertEquals(new BigDecimal("1500.00"), castTo(str("1.5e3"), DataType.decimal(6, 2)));
        assertEquals("invalid input for CAST to DECIMAL(6,2): '1,5' (expected a number such as -12.5 or 1e3)",
                error(() -> castTo(str("1,5"), DataType.decimal(6, 2))));
        assertEquals(-0.5, castTo(str("-.5"), DBL));
        assertEquals(Double.NEGATIVE_INFINITY, castTo(str("-Infinity"), DBL));
        assertTrue(Double.isNaN((Double) castTo(str("nan"), DBL)));
        assertEquals("invalid input for CAST to DOUBLE: '1d' (expected a number such as -12.5, 1e3, inf or nan)", error(() -> castTo(str("1d"), DBL)));
        assertEquals(LocalDate.of(1995, 3, 5), castTo(str(" 1995-3-05 "), DataType.DATE));
        assertEquals("invalid input for CAST to DATE: '1995-02-30' (expected a valid calendar date)", error(() -> castTo(str("1995-02-30"), DataType.DATE)));
        assertEquals("invalid input for CAST to DATE: '15/03/1995' (expected YYYY-MM-DD)", error(() -> castTo(str("15/03/1995"), DataType.DATE)));
        assertEquals(LocalDateTime.of(1995, 3, 15, 10, 20, 30, 123_000_000), castTo(str("1995-03-15 10:20:30.123"), DataType.TIMESTAMP));
        assertEquals(LocalDateTime.of(1995, 3, 15, 0, 0), castTo(str("1995-03-15"), DataType.TIMESTAMP));
        assertEquals(LocalDateTime.of(1995, 3, 15, 7, 5), castTo(str("1995-03-15T07:05"), DataType.TIMESTAMP));
        assertEquals("invalid input for CAST to TIMESTAMP: '1995-03-15 24:00:00' (expected a valid time of day, HH:MM:SS with HH < 24)",
                error(() -> castTo(str("1995-03-15 24:00:00"), DataType.TIMESTAMP)));
        assertEquals(true, castTo(str(" TRUE "), BOOL));
        assertEquals(false, castTo(str("f"), BOOL));
        assertEquals("invalid input for CAST to BOOLEAN: 'maybe' (expected true, false, t, f, yes, no, y, n, 1 or 0)", error(() -> castTo(str("maybe"), BOOL)));
    }

    @Test
    void toVarcharIsCanonicalText() {
        assertEquals("1.50", castTo(dec("1.50", 3), TEXT));
        assertEquals("-0.05", castTo(dec("-0.05", 3), TEXT));
        assertEquals("-42", castTo(i32(-42), TEXT));
        assertEquals("1.0", castTo(dbl(1.0), TEXT));
        assertEquals("1.0E10", castTo(dbl(1e10), TEXT));
        assertEquals("0.1", castTo(dbl(0.1), TEXT));
        assertEquals("true", castTo(bool(true), TEXT));
        assertEquals("1995-03-15", castTo(Literal.of(LocalDate.of(1995, 3, 15)), TEXT));
        assertEquals("1995-03-15 00:00:00", castTo(new Literal(LocalDateTime.of(1995, 3, 15, 0, 0), DataType.TIMESTAMP), TEXT));
        assertEquals("1995-03-15 10:20:30.12", castTo(new Literal(LocalDateTime.of(1995, 3, 15, 10, 20, 30, 120_000_000), DataType.TIMESTAMP), TEXT));
        assertEquals("1995-03-15 10:20:30.000001", castTo(new Literal(LocalDateTime.of(1995, 3, 15, 10, 20, 30, 1000), DataType.TIMESTAMP), TEXT));
    }

    @Test
    void dateAndTimestamp() {
        assertEquals(LocalDate.of(1995, 3, 15), castTo(new Literal(LocalDateTime.of(1995, 3, 15, 23, 59), DataType.TIMESTAMP), DataType.DATE));
        assertEquals(LocalDateTime.of(1995, 3, 15, 0, 0), castTo(Literal.of(LocalDate.of(1995, 3, 15)), DataType.TIMESTAMP));
    }

    @Test
    void nullStaysNullAndUnsupportedCastsAreNamed() {
        assertNull(castTo(nul(TEXT), INT));
        assertFalse(Casts.isSupported(DataType.DATE, INT));
        assertFalse(Casts.isSupported(BOOL, DBL));
        assertTrue(Casts.isSupported(DataType.TIMESTAMP, TEXT));
        assertEquals("cannot CAST DATE to INTEGER", error(() -> castTo(Literal.of(LocalDate.of(1995, 3, 15)), INT)));
    }
}
