package dev.kiln.ir.eval;

import static dev.kiln.ir.E.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Op;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LogicTest {
    private static final Boolean T = true;
    private static final Boolean F = false;
    private static final Boolean U = null;
    private static final Boolean[] ALL = {T, F, U};

    private static Expr b(Boolean v) {
        return v == null ? nul(BOOL) : bool(v);
    }

    @Test
    void andTruthTable() {
        // rows: left T, F, U; columns: right T, F, U
        Boolean[][] expected = {{T, F, U}, {F, F, F}, {U, F, U}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(expected[i][j], eval(call(Op.AND, BOOL, b(ALL[i]), b(ALL[j]))), ALL[i] + " AND " + ALL[j]);
                assertEquals(expected[i][j], Logic.and(ALL[i], ALL[j]));
            }
        }
    }

    @Test
    void orTruthTable() {
        Boolean[][] expected = {{T, T, T}, {T, F, U}, {T, U, U}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(expected[i][j], eval(call(Op.OR, BOOL, b(ALL[i]), b(ALL[j]))), ALL[i] + " OR " + ALL[j]);
                assertEquals(expected[i][j], Logic.or(ALL[i], ALL[j]));
            }
        }
    }

    @Test
    void notAndTruthTests() {
        assertEquals(Arrays.asList(F, T, U), Arrays.stream(ALL).map(v -> eval(call(Op.NOT, BOOL, b(v)))).toList());
        assertEquals(Arrays.asList(T, F, F), Arrays.stream(ALL).map(v -> eval(call(Op.IS_TRUE, BOOL, b(v)))).toList());
        assertEquals(Arrays.asList(F, T, F), Arrays.stream(ALL).map(v -> eval(call(Op.IS_FALSE, BOOL, b(v)))).toList());
        assertEquals(Arrays.asList(F, F, T), Arrays.stream(ALL).map(v -> eval(call(Op.IS_NULL, BOOL, b(v)))).toList());
        assertEquals(Arrays.asList(T, T, F), Arrays.stream(ALL).map(v -> eval(call(Op.IS_NOT_NULL, BOOL, b(v)))).toList());
    }

    @Test
    void naryAndOrShortCircuitLeftToRight() {
        Expr boom = call(Op.EQ, BOOL, call(Op.DIVIDE, INT, i32(1), i32(0)), i32(1));
        assertEquals(F, eval(call(Op.AND, BOOL, nul(BOOL), bool(false), boom)));
        assertEquals(T, eval(call(Op.OR, BOOL, nul(BOOL), bool(true), boom)));
        assertEquals("division by zero", error(() -> eval(call(Op.AND, BOOL, bool(true), boom, bool(false)))));
        assertEquals(U, eval(call(Op.AND, BOOL, bool(true), nul(BOOL), bool(true))));
        assertEquals(U, eval(call(Op.OR, BOOL, bool(false), nul(BOOL), bool(false))));
    }

    @Test
    void comparisonsAreNullOnNullAndDistinctFromIsNot() {
        assertEquals(U, eval(call(Op.EQ, BOOL, i32(1), nul(INT))));
        assertEquals(U, eval(call(Op.NE, BOOL, nul(INT), nul(INT))));
        assertEquals(T, eval(call(Op.LT, BOOL, i32(1), i32(2))));
        assertEquals(F, eval(call(Op.GE, BOOL, i32(1), i32(2))));
        assertEquals(F, eval(call(Op.IS_DISTINCT_FROM, BOOL, nul(INT), nul(INT))));
        assertEquals(T, eval(call(Op.IS_DISTINCT_FROM, BOOL, i32(1), nul(INT))));
        assertEquals(F, eval(call(Op.IS_DISTINCT_FROM, BOOL, i32(1), i32(1))));
        assertEquals(T, eval(call(Op.IS_NOT_DISTINCT_FROM, BOOL, nul(INT), nul(INT))));
        assertEquals(F, eval(call(Op.IS_NOT_DISTINCT_FROM, BOOL, nul(INT), i32(3))));
    }

    @Test
    void textComparesByCodePointWhichIsUtf8ByteOrder() {
        // U+FF61 (one UTF-16 unit) sorts before U+1F600 (a surrogate pair, UTF-16 units D83D DE00 < FF61)
        assertEquals(T, eval(call(Op.LT, BOOL, str("\uFF61"), str("\uD83D\uDE00"))));
        assertEquals(T, eval(call(Op.LT, BOOL, str("B"), str("a"))));
        assertEquals(T, eval(call(Op.LT, BOOL, str("ab"), str("abc"))));
        assertEquals(F, eval(call(Op.LT, BOOL, str(""), str(""))));
    }

    @Test
    void doublesCompareWithZeroesEqualAndNanLargest() {
        assertEquals(T, eval(call(Op.EQ, BOOL, dbl(0.0), dbl(-0.0))));
        assertEquals(T, eval(call(Op.EQ, BOOL, dbl(Double.NaN), dbl(Double.NaN))));
        assertEquals(T, eval(call(Op.GT, BOOL, dbl(Double.NaN), dbl(Double.POSITIVE_INFINITY))));
    }
}
