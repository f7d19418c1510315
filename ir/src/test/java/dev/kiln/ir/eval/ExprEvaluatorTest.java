package dev.kiln.ir.eval;

import static dev.kiln.ir.E.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.InList;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExprEvaluatorTest {
    @Test
    void columnRefsReadTheRow() {
        assertEquals(7L, eval(call(Op.PLUS, INT, col(0, INT), col(1, INT)), 3L, 4L));
        assertNull(eval(col(1, INT), 3L, null));
    }

    @Test
    void caseTakesTheFirstTrueBranch() {
        Expr c = new Case(List.of(
                new Case.When(call(Op.GT, BOOL, col(0, INT), i32(10)), str("big")),
                new Case.When(call(Op.GT, BOOL, col(0, INT), i32(0)), str("small"))), str("other"), TEXT, false);
        assertEquals("big", eval(c, 11L));
        assertEquals("small", eval(c, 5L));
        assertEquals("other", eval(c, -1L));
        assertEquals("other", eval(c, (Object) null)); // NULL conditions are not TRUE
        Expr guarded = new Case(List.of(new Case.When(call(Op.EQ, BOOL, col(0, INT), i32(0)), nul(INT))),
                call(Op.DIVIDE, INT, i32(10), col(0, INT)), INT, true);
        assertNull(eval(guarded, 0L)); // the ELSE that would divide by zero is not evaluated
        assertEquals(5L, eval(guarded, 2L));
    }

    @Test
    void inListIsTrueFalseOrNull() {
        Expr in = new InList(col(0, INT), List.of(i32(1), i32(2), col(1, INT)), true);
        assertEquals(true, eval(in, 2L, null));
        assertNull(eval(in, 3L, null));
        assertEquals(false, eval(in, 3L, 4L));
        assertEquals(true, eval(in, 4L, 4L));
        assertNull(eval(in, null, 4L));
        // NOT IN with a NULL in the list is never TRUE
        assertNull(eval(call(Op.NOT, BOOL, in), 3L, null));
    }

    @Test
    void coalesceAndNullif() {
        assertEquals(2L, eval(call(Op.COALESCE, INT, nul(INT), i32(2), call(Op.DIVIDE, INT, i32(1), i32(0)))));
        assertNull(eval(call(Op.COALESCE, INT, nul(INT), nul(INT))));
        assertNull(eval(call(Op.NULLIF, INT, i32(3), i32(3))));
        assertEquals(3L, eval(call(Op.NULLIF, INT, i32(3), i32(4))));
        assertEquals(3L, eval(call(Op.NULLIF, INT, i32(3), nul(INT))));
        assertNull(eval(call(Op.NULLIF, INT, nul(INT), i32(3))));
    }

    @Test
    void roundFloorCeilOnDecimals() {
        assertEquals(new BigDecimal("2.35"), eval(call(Op.ROUND, DataType.decimal(5, 2), dec("2.345", 5), i32(2))));
        assertEquals(new BigDecimal("-2.35"), eval(call(Op.ROUND, DataType.decimal(5, 2), dec("-2.345", 5), i32(2))));
        assertEquals(new BigDecimal("3"), eval(call(Op.ROUND, DataType.decimal(5, 0), dec("2.500", 5))));
        assertEquals(new BigDecimal("1200"), eval(call(Op.ROUND, DataType.decimal(6, 0), dec("1249.9", 6), i32(-2))));
        assertEquals(new BigDecimal("1300"), eval(call(Op.ROUND, DataType.decimal(6, 0), dec("1250.0", 6), i32(-2))));
        assertEquals(new BigDecimal("2"), eval(call(Op.FLOOR, DataType.decimal(3, 0), dec("2.99", 3))));
        assertEquals(new BigDecimal("-3"), eval(call(Op.FLOOR, DataType.decimal(3, 0), dec("-2.01", 3))));
        assertEquals(new BigDecimal("3"), eval(call(Op.CEIL, DataType.decimal(3, 0), dec("2.01", 3))));
        assertEquals(new BigDecimal("-2"), eval(call(Op.CEIL, DataType.decimal(3, 0), dec("-2.99", 3))));
    }

    @Test
    void roundOnDoublesAndIntegers() {
        assertEquals(3.0, eval(call(Op.ROUND, DBL, dbl(2.5))));
        assertEquals(-3.0, eval(call(Op.ROUND, DBL, dbl(-2.5))));
        assertEquals(0.0, eval(call(Op.ROUND, DBL, dbl(0.49999999999999994))));
        // scaled in double arithmetic (as DuckDB): 2.675 * 100 is exactly 267.5 in doubles, so 2.68 (a
        // CAST to DECIMAL(5,2), which uses the exact binary value 2.67499…, gives 2.67); 1.005 * 100 is 100.49999999999999
        assertEquals(2.68, eval(call(Op.ROUND, DBL, dbl(2.675), i32(2))));
        assertEquals(1.0, eval(call(Op.ROUND, DBL, dbl(1.005), i32(2))));
        assertEquals(1300.0, eval(call(Op.ROUND, DBL, dbl(1250.0), i32(-2))));
        assertEquals(Double.NaN, eval(call(Op.ROUND, DBL, dbl(Double.NaN), i32(2))));
        assertEquals(1e300, eval(call(Op.ROUND, DBL, dbl(1e300), i32(10))));
        assertEquals(1300L, eval(call(Op.ROUND, INT, i32(1250), i32(-2))));
        assertEquals(1250L, eval(call(Op.ROUND, INT, i32(1250), i32(1))));
        assertEquals("INTEGER overflow in round(2147483647, -1)", error(() -> eval(call(Op.ROUND, INT, i32(2147483647), i32(-1)))));
        assertEquals(2.0, eval(call(Op.FLOOR, DBL, dbl(2.7))));
        assertEquals(-2.0, eval(call(Op.CEIL, DBL, dbl(-2.7))));
        assertEquals(5L, eval(call(Op.FLOOR, INT, i32(5))));
    }
}
