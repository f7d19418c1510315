package dev.kiln.ir.eval;

import static dev.kiln.ir.E.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ArithmeticTest {
    private static Object int32(Op op, long a, long b) {
        return eval(call(op, INT, i32(a), i32(b)));
    }

    private static Object int64(Op op, long a, long b) {
        return eval(call(op, BIGINT, i64(a), i64(b)));
    }

    @Test
    void integerResultsAreExact() {
        assertEquals(2147483647L, int32(Op.PLUS, 2147483646, 1));
        assertEquals(-2147483648L, int32(Op.MINUS, -2147483647, 1));
        assertEquals(-2147483648L, int32(Op.TIMES, -65536, 32768));
        assertEquals(Long.MAX_VALUE, int64(Op.PLUS, Long.MAX_VALUE - 1, 1));
        assertEquals(Long.MIN_VALUE, int64(Op.TIMES, Long.MIN_VALUE / 2, 2));
    }

    @Test
    void integerOverflowNamesTypeAndOperation() {
        assertEquals("INTEGER overflow in 2147483647 + 1", error(() -> int32(Op.PLUS, 2147483647, 1)));
        assertEquals("INTEGER overflow in -2147483648 - 1", error(() -> int32(Op.MINUS, -2147483648, 1)));
        assertEquals("INTEGER overflow in 65536 * 32768", error(() -> int32(Op.TIMES, 65536, 32768)));
        assertEquals("INTEGER overflow in -2147483648 / -1", error(() -> int32(Op.DIVIDE, -2147483648, -1)));
        assertEquals("BIGINT overflow in 9223372036854775807 + 1", error(() -> int64(Op.PLUS, Long.MAX_VALUE, 1)));
        assertEquals("BIGINT overflow in -9223372036854775808 - 1", error(() -> int64(Op.MINUS, Long.MIN_VALUE, 1)));
        assertEquals("BIGINT overflow in 4294967296 * 4294967296", error(() -> int64(Op.TIMES, 1L << 32, 1L << 32)));
        assertEquals("BIGINT overflow in -9223372036854775808 / -1", error(() -> int64(Op.DIVIDE, Long.MIN_VALUE, -1)));
        assertEquals("BIGINT overflow in -(-9223372036854775808)", error(() -> eval(call(Op.NEGATE, BIGINT, i64(Long.MIN_VALUE)))));
        assertEquals("INTEGER overflow in -(-2147483648)", error(() -> eval(call(Op.NEGATE, INT, i32(Integer.MIN_VALUE)))));
        assertEquals("INTEGER overflow in abs(-2147483648)", error(() -> eval(call(Op.ABS, INT, i32(Integer.MIN_VALUE)))));
        assertEquals(2147483647L, eval(call(Op.ABS, INT, i32(-2147483647))));
    }

    @Test
    void divisionTruncatesTowardZeroAndModTakesTheDividendsSign() {
        assertEquals(-3L, int32(Op.DIVIDE, -7, 2));
        assertEquals(-3L, int32(Op.DIVIDE, 7, -2));
        assertEquals(3L, int32(Op.DIVIDE, -7, -2));
        assertEquals(-1L, int32(Op.MOD, -7, 2));
        assertEquals(1L, int32(Op.MOD, 7, -2));
        assertEquals(0L, int64(Op.MOD, Long.MIN_VALUE, -1));
        assertEquals("division by zero", error(() -> int32(Op.DIVIDE, 1, 0)));
        assertEquals("division by zero", error(() -> int64(Op.MOD, 1, 0)));
    }

    @Test
    void strictOperatorsGiveNullBeforeFailing() {
        assertNull(eval(call(Op.DIVIDE, INT, i32(1), nul(INT))));
        assertNull(eval(call(Op.PLUS, INT, nul(INT), i32(2147483647))));
    }

    @Test
    void decimalArithmeticKeepsScalesAndIsExact() {
        // DECIMAL(5,2) + DECIMAL(6,3) -> DECIMAL(7,3)
        Expr sum = call(Op.PLUS, DataType.decimal(7, 3), dec("1.25", 5), dec("2.125", 6));
        assertEquals(new BigDecimal("3.375"), eval(sum));
        assertEquals(new BigDecimal("-0.875"), eval(call(Op.MINUS, DataType.decimal(7, 3), dec("1.25", 5), dec("2.125", 6))));
        // DECIMAL(15,2) * DECIMAL(15,2) -> DECIMAL(18,4): scales add
        assertEquals(new BigDecimal("0.0625"), eval(call(Op.TIMES, DataType.decimal(18, 4), dec("0.25", 15), dec("0.25", 15))));
        // MOD keeps the dividend's sign
        assertEquals(new BigDecimal("-1.50"), eval(call(Op.MOD, DataType.decimal(6, 2), dec("-7.50", 5), dec("3.00", 5))));
        assertEquals("division by zero", error(() -> eval(call(Op.MOD, DataType.decimal(6, 2), dec("7.50", 5), dec("0.00", 5)))));
    }

    @Test
    void decimalProductPastScale18RoundsHalfUp() {
        // scale 10 + 10 = 20 > 18: the product 0.00000000025 * 0.00000000002 is rounded HALF_UP to 18 digits
        Expr p = call(Op.TIMES, DataType.decimal(18, 18), dec("0.0000000005", 10), dec("0.0000000001", 10));
        assertEquals(new BigDecimal("0.000000000000000000"), eval(p)); // 5E-20 rounds to 0 at scale 18
        Expr q = call(Op.TIMES, DataType.decimal(18, 18), dec("0.0000000025", 10), dec("0.0000000002", 10));
        assertEquals(new BigDecimal("0.000000000000000001"), eval(q)); // 5E-19 rounds half up to 1E-18
        assertEquals(18, ((BigDecimal) eval(q)).scale());
    }

    @Test
    void decimalOverflowWhenTheUnscaledResultLeavesALong() {
        Expr big = dec("99999999999999.9999", 18);
        assertEquals("DECIMAL(18,4) overflow in 99999999999999.9999 * 99999999999999.9999",
                error(() -> eval(call(Op.TIMES, DataType.decimal(18, 4), big, dec("99999999999999.9999", 18)))));
        assertEquals("DECIMAL(18,0) overflow in 999999999999999999 + 9000000000000000000",
                error(() -> eval(call(Op.PLUS, DataType.decimal(18, 0), dec("999999999999999999", 18), new dev.kiln.ir.expr.Literal(new BigDecimal("9000000000000000000"), DataType.decimal(18, 0))))));
    }

    @Test
    void doubleArithmeticIsIeeeExceptDivisionByZero() {
        assertEquals(0.30000000000000004, eval(call(Op.PLUS, DBL, dbl(0.1), dbl(0.2))));
        assertEquals(Double.POSITIVE_INFINITY, eval(call(Op.TIMES, DBL, dbl(1e308), dbl(10))));
        assertEquals(-1.0, eval(call(Op.MOD, DBL, dbl(-7), dbl(2))));
        assertEquals("division by zero", error(() -> eval(call(Op.DIVIDE, DBL, dbl(1), dbl(0.0)))));
        assertEquals("division by zero", error(() -> eval(call(Op.DIVIDE, DBL, dbl(1), dbl(-0.0)))));
        assertEquals("division by zero", error(() -> eval(call(Op.MOD, DBL, dbl(1), dbl(0.0)))));
        assertEquals(-2.5, eval(call(Op.NEGATE, DBL, dbl(2.5))));
        assertEquals(new BigDecimal("2.50"), eval(call(Op.ABS, DataType.decimal(3, 2), dec("-2.50", 3))));
    }
}
