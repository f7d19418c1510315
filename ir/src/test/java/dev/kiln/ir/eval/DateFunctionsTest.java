package dev.kiln.ir.eval;

import static dev.kiln.ir.E.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class DateFunctionsTest {
    private static Literal date(int y, int m, int d) {
        return Literal.of(LocalDate.of(y, m, d));
    }

    private static Literal ts(LocalDateTime t) {
        return new Literal(t, DataType.TIMESTAMP);
    }

    private static Object extract(Op op, Expr e) {
        return eval(call(op, BIGINT, e));
    }

    @Test
    void addMonthsClampsToTheEndOfTheMonth() {
        assertEquals(LocalDate.of(1996, 2, 29), eval(call(Op.ADD_MONTHS, DataType.DATE, date(1996, 1, 31), i32(1))));
        assertEquals(LocalDate.of(1995, 2, 28), eval(call(Op.ADD_MONTHS, DataType.DATE, date(1995, 1, 31), i32(1))));
        assertEquals(LocalDate.of(1994, 11, 30), eval(call(Op.ADD_MONTHS, DataType.DATE, date(1995, 3, 31), i32(-4))));
        assertEquals(LocalDate.of(1997, 2, 28), eval(call(Op.ADD_MONTHS, DataType.DATE, date(1996, 2, 29), i32(12))));
        assertEquals(LocalDateTime.of(1995, 4, 30, 13, 0),
                eval(call(Op.ADD_MONTHS, DataType.TIMESTAMP, ts(LocalDateTime.of(1995, 3, 31, 13, 0)), i32(1))));
    }

    @Test
    void addDaysMicrosAndDifference() {
        assertEquals(LocalDate.of(1995, 3, 15), eval(call(Op.ADD_DAYS, DataType.DATE, date(1995, 3, 1), i32(14))));
        assertEquals(LocalDate.of(1996, 2, 29), eval(call(Op.ADD_DAYS, DataType.DATE, date(1996, 3, 1), i32(-1))));
        assertEquals(LocalDateTime.of(1995, 3, 16, 0, 0, 0, 1000),
                eval(call(Op.ADD_MICROS, DataType.TIMESTAMP, ts(LocalDateTime.of(1995, 3, 15, 23, 59, 59)), i64(1_000_001))));
        assertEquals(365L, eval(call(Op.DATE_DIFF_DAYS, INT, date(1996, 1, 1), date(1995, 1, 1))));
        assertEquals(-366L, eval(call(Op.DATE_DIFF_DAYS, INT, date(1996, 1, 1), date(1997, 1, 1))));
    }

    @Test
    void dateArithmeticPastThePhysicalRangeIsAnError() {
        assertEquals("DATE overflow in 1995-03-15 + 9223372036854775807 days",
                error(() -> eval(call(Op.ADD_DAYS, DataType.DATE, date(1995, 3, 15), i64(Long.MAX_VALUE)))));
        assertEquals("TIMESTAMP overflow in 1995-03-15 00:00:00 + 4000000 months",
                error(() -> eval(call(Op.ADD_MONTHS, DataType.TIMESTAMP, ts(LocalDateTime.of(1995, 3, 15, 0, 0)), i32(4_000_000)))));
    }

    @Test
    void extractFields() {
        Literal d = date(1995, 3, 15); // a Wednesday
        assertEquals(1995L, extract(Op.EXTRACT_YEAR, d));
        assertEquals(1L, extract(Op.EXTRACT_QUARTER, d));
        assertEquals(3L, extract(Op.EXTRACT_MONTH, d));
        assertEquals(15L, extract(Op.EXTRACT_DAY, d));
        assertEquals(3L, extract(Op.EXTRACT_DOW, d));
        assertEquals(74L, extract(Op.EXTRACT_DOY, d));
        assertEquals(0L, extract(Op.EXTRACT_DOW, date(1995, 3, 19))); // Sunday
        assertEquals(6L, extract(Op.EXTRACT_DOW, date(1995, 3, 18))); // Saturday
        assertEquals(366L, extract(Op.EXTRACT_DOY, date(1996, 12, 31)));
        assertEquals(1L, extract(Op.EXTRACT_DOY, date(1996, 1, 1)));
        assertEquals(4L, extract(Op.EXTRACT_QUARTER, date(1996, 10, 1)));
        assertEquals(3L, extract(Op.EXTRACT_QUARTER, date(1996, 9, 30)));
        Literal t = ts(LocalDateTime.of(1995, 12, 31, 23, 58, 57, 999_000_000));
        assertEquals(23L, extract(Op.EXTRACT_HOUR, t));
        assertEquals(58L, extract(Op.EXTRACT_MINUTE, t));
        assertEquals(57L, extract(Op.EXTRACT_SECOND, t));
        assertEquals(0L, extract(Op.EXTRACT_DOW, t));
        assertEquals(0L, extract(Op.EXTRACT_HOUR, d));
    }
}
