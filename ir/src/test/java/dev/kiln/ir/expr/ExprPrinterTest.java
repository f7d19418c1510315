package dev.kiln.ir.expr;

import static dev.kiln.ir.E.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExprPrinterTest {
    static final Schema S = Schema.of(new Field("a", INT, true), new Field("b", INT, true), new Field("s", TEXT, true),
            new Field("p", BOOL, true), new Field("q", BOOL, true), new Field("A", INT, true));

    private static String p(Expr e) {
        return ExprPrinter.print(e, S);
    }

    private static final Expr A = col(0, INT);
    private static final Expr B = col(1, INT);
    private static final Expr P = col(3, BOOL);
    private static final Expr Q = col(4, BOOL);

    @Test
    void literals() {
        assertEquals("'it''s'", p(str("it's")));
        assertEquals("DATE '1995-03-15'", p(Literal.of(LocalDate.of(1995, 3, 15))));
        assertEquals("TIMESTAMP '1995-03-15 10:20:00'", p(new Literal(LocalDateTime.of(1995, 3, 15, 10, 20), DataType.TIMESTAMP)));
        assertEquals("0.050", p(new Literal(new BigDecimal("0.050"), DataType.decimal(4, 3))));
        assertEquals("1.0E10", p(dbl(1e10)));
        assertEquals("0.5", p(dbl(0.5)));
        assertEquals("TRUE", p(bool(true)));
        assertEquals("NULL", p(nul(INT)));
        assertEquals("-7", p(i32(-7)));
    }

    @Test
    void columnsGetAnIndexOnlyWhenAmbiguous() {
        assertEquals("b", p(B));
        assertEquals("a#0", p(A)); // "A" (case-insensitively the same name) is column 5
        assertEquals("A#5", p(col(5, INT)));
        assertEquals("#9", p(col(9, INT)));
    }

    @Test
    void parenthesesOnlyWhereThePrecedenceNeedsThem() {
        Expr b = B;
        Expr c = col(1, INT);
        assertEquals("b + b * b", p(call(Op.PLUS, INT, b, call(Op.TIMES, INT, b, c))));
        assertEquals("(b + b) * b", p(call(Op.TIMES, INT, call(Op.PLUS, INT, b, c), b)));
        assertEquals("b - b - b", p(call(Op.MINUS, INT, call(Op.MINUS, INT, b, c), b)));
        assertEquals("b - (b - b)", p(call(Op.MINUS, INT, b, call(Op.MINUS, INT, b, c))));
        assertEquals("b + (b + b)", p(call(Op.PLUS, INT, b, call(Op.PLUS, INT, b, c))));
        assertEquals("b % 2 = 0", p(call(Op.EQ, BOOL, call(Op.MOD, INT, b, i32(2)), i32(0))));
        assertEquals("(b = 1) = TRUE", p(call(Op.EQ, BOOL, call(Op.EQ, BOOL, b, i32(1)), bool(true))));
        assertEquals("p AND q OR NOT p", p(call(Op.OR, BOOL, call(Op.AND, BOOL, P, Q), call(Op.NOT, BOOL, P))));
        assertEquals("p AND (q OR p)", p(call(Op.AND, BOOL, P, call(Op.OR, BOOL, Q, P))));
        assertEquals("p AND q AND p", p(call(Op.AND, BOOL, P, Q, P)));
        assertEquals("NOT (p AND q)", p(call(Op.NOT, BOOL, call(Op.AND, BOOL, P, Q))));
        assertEquals("NOT b = 1", p(call(Op.NOT, BOOL, call(Op.EQ, BOOL, b, i32(1)))));
        assertEquals("-(b + 1)", p(call(Op.NEGATE, INT, call(Op.PLUS, INT, b, i32(1)))));
        assertEquals("-(-b)", p(call(Op.NEGATE, INT, call(Op.NEGATE, INT, b))));
        assertEquals("-(-7)", p(call(Op.NEGATE, INT, i32(-7))));
        assertEquals("b - -7", p(call(Op.MINUS, INT, b, i32(-7))));
        assertEquals("(b = 1) IS NULL", p(call(Op.IS_NULL, BOOL, call(Op.EQ, BOOL, b, i32(1)))));
        assertEquals("b + 1 IS NOT NULL", p(call(Op.IS_NOT_NULL, BOOL, call(Op.PLUS, INT, b, i32(1)))));
        assertEquals("b IS DISTINCT FROM 1", p(call(Op.IS_DISTINCT_FROM, BOOL, b, i32(1))));
    }

    @Test
    void functionsCastsCaseInAndLike() {
        Expr s = col(2, TEXT);
        assertEquals("CAST(b AS DECIMAL(15,2))", p(cast(B, DataType.decimal(15, 2))));
        assertEquals("substring(s, 1, 3)", p(call(Op.SUBSTRING, TEXT, s, i64(1), i64(3))));
        assertEquals("s || '-' || s", p(call(Op.CONCAT, TEXT, call(Op.CONCAT, TEXT, s, str("-")), s)));
        assertEquals("s || ('-' || s)", p(call(Op.CONCAT, TEXT, s, call(Op.CONCAT, TEXT, str("-"), s))));
        assertEquals("s LIKE 'a%'", p(call(Op.LIKE, BOOL, s, str("a%"))));
        assertEquals("s LIKE 'a!%' ESCAPE '!'", p(call(Op.LIKE, BOOL, s, str("a!%"), str("!"))));
        assertEquals("NOT s LIKE 'a%'", p(call(Op.NOT, BOOL, call(Op.LIKE, BOOL, s, str("a%")))));
        assertEquals("b IN (1, 2, NULL)", p(new InList(B, List.of(i32(1), i32(2), nul(INT)), true)));
        assertEquals("(b IN (1)) = p", p(call(Op.EQ, BOOL, new InList(B, List.of(i32(1)), true), P)));
        assertEquals("CASE WHEN b > 1 THEN 'x' WHEN p THEN 'y' ELSE NULL END", p(new Case(List.of(
                new Case.When(call(Op.GT, BOOL, B, i32(1)), str("x")), new Case.When(P, str("y"))), nul(TEXT), TEXT, true)));
        assertEquals("coalesce(b, 0)", p(call(Op.COALESCE, INT, B, i32(0))));
        assertEquals("extract_year(DATE '1995-03-15')", p(call(Op.EXTRACT_YEAR, BIGINT, Literal.of(LocalDate.of(1995, 3, 15)))));
        assertEquals("abs(b - 1)", p(call(Op.ABS, INT, call(Op.MINUS, INT, B, i32(1)))));
    }
}
