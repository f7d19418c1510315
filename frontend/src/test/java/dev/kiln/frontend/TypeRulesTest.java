package dev.kiln.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.InList;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The typing rules of dev.kiln.ir.expr's package documentation, case by case with exact types. */
class TypeRulesTest {
    private static final DataType MONEY = DataType.decimal(15, 2);

    private static ColumnRef col(DataType t) {
        return new ColumnRef(0, t, false);
    }

    private static ColumnRef nullableCol(DataType t) {
        return new ColumnRef(1, t, true);
    }

    @Test
    void commonTypes() {
        assertEquals(DataType.BIGINT, TypeRules.commonType(DataType.INTEGER, DataType.BIGINT));
        assertEquals(DataType.SMALLINT, TypeRules.commonType(DataType.TINYINT, DataType.SMALLINT));
        assertEquals(DataType.decimal(15, 2), TypeRules.commonType(DataType.INTEGER, MONEY));
        assertEquals(DataType.decimal(18, 2), TypeRules.commonType(DataType.BIGINT, MONEY));
        assertEquals(DataType.decimal(17, 4), TypeRules.commonType(DataType.decimal(5, 4), MONEY));
        assertEquals(DataType.decimal(5, 2), TypeRules.commonType(DataType.TINYINT, DataType.decimal(4, 2)));
        assertEquals(DataType.DOUBLE, TypeRules.commonType(MONEY, DataType.DOUBLE));
        assertEquals(DataType.DOUBLE, TypeRules.commonType(DataType.DOUBLE, DataType.BIGINT));
        assertEquals(DataType.TIMESTAMP, TypeRules.commonType(DataType.DATE, DataType.TIMESTAMP));
        assertEquals(DataType.VARCHAR, TypeRules.commonType(DataType.VARCHAR, DataType.VARCHAR));
        KilnException e = assertThrows(KilnException.class, () -> TypeRules.commonType(DataType.VARCHAR, DataType.DATE));
        assertEquals("cannot combine VARCHAR with DATE: CAST one side to the other's type, e.g. CAST(x AS DATE)", e.getMessage());
        assertThrows(KilnException.class, () -> TypeRules.commonType(DataType.BOOLEAN, DataType.INTEGER));
    }

    @Test
    void castToIsANoOpForTheSameTypeAndRetypesNull() {
        Expr c = col(DataType.INTEGER);
        assertSame(c, TypeRules.castTo(c, DataType.INTEGER));
        assertEquals(new Cast(c, DataType.BIGINT), TypeRules.castTo(c, DataType.BIGINT));
        assertEquals(new NullLiteral(DataType.DATE), TypeRules.castTo(new NullLiteral(DataType.INTEGER), DataType.DATE));
    }

    @Test
    void integerArithmeticIsAtLeastInteger() {
        Expr tiny = col(DataType.TINYINT);
        assertEquals(new Call(Op.PLUS, List.of(new Cast(tiny, DataType.INTEGER), new Cast(tiny, DataType.INTEGER)), DataType.INTEGER, false),
                TypeRules.arithmetic(Op.PLUS, tiny, tiny));
        Expr i = col(DataType.INTEGER);
        Expr b = nullableCol(DataType.BIGINT);
        assertEquals(new Call(Op.TIMES, List.of(new Cast(i, DataType.BIGINT), b), DataType.BIGINT, true), TypeRules.arithmetic(Op.TIMES, i, b));
        assertEquals(DataType.INTEGER, TypeRules.arithmetic(Op.DIVIDE, i, i).type());
        assertEquals(DataType.INTEGER, TypeRules.arithmetic(Op.MOD, i, i).type());
    }

    @Test
    void decimalArithmeticKeepsOperandScales() {
        Expr m = col(MONEY);
        assertEquals(new Call(Op.PLUS, List.of(m, m), DataType.decimal(16, 2), false), TypeRules.arithmetic(Op.PLUS, m, m));
        assertEquals(new Call(Op.TIMES, List.of(m, m), DataType.decimal(18, 4), false), TypeRules.arithmetic(Op.TIMES, m, m));
        // 1 - l_discount: the integer becomes DECIMAL(10,0), the result DECIMAL(max(10, 13) + 2 + 1, 2)
        Expr one = Literal.ofInt(1);
        assertEquals(new Call(Op.MINUS, List.of(new Cast(one, DataType.decimal(10, 0)), m), DataType.decimal(16, 2), false),
                TypeRules.arithmetic(Op.MINUS, one, m));
        Expr small = col(DataType.decimal(10, 9));
        assertEquals(DataType.decimal(18, 18), TypeRules.arithmetic(Op.TIMES, small, small).type());
        assertEquals(DataType.decimal(18, 2), TypeRules.arithmetic(Op.MOD, col(DataType.BIGINT), m).type());
    }

    @Test
    void divisionWithDecimalOrAnyDoubleIsDouble() {
        Expr m = col(MONEY);
        Expr i = col(DataType.INTEGER);
        assertEquals(new Call(Op.DIVIDE, List.of(new Cast(m, DataType.DOUBLE), new Cast(i, DataType.DOUBLE)), DataType.DOUBLE, false),
                TypeRules.arithmetic(Op.DIVIDE, m, i));
        Expr d = nullableCol(DataType.DOUBLE);
        assertEquals(new Call(Op.PLUS, List.of(new Cast(i, DataType.DOUBLE), d), DataType.DOUBLE, true), TypeRules.arithmetic(Op.PLUS, i, d));
        KilnException e = assertThrows(KilnException.class, () -> TypeRules.arithmetic(Op.PLUS, col(DataType.VARCHAR), i));
        assertEquals("cannot apply + to VARCHAR and INTEGER: both operands must be numeric", e.getMessage());
    }

    @Test
    void comparisonsCastBothSidesToTheCommonType() {
        Expr i = nullableCol(DataType.INTEGER);
        Expr lit = Literal.of(new BigDecimal("2.5"));
        DataType common = DataType.decimal(11, 1);
        assertEquals(new Call(Op.LT, List.of(new Cast(i, common), new Cast(lit, common)), DataType.BOOLEAN, true), TypeRules.compare(Op.LT, i, lit));
        assertFalse(TypeRules.compare(Op.IS_DISTINCT_FROM, i, i).nullable());
        KilnException e = assertThrows(KilnException.class, () -> TypeRules.compare(Op.EQ, col(DataType.DATE), Literal.of("1995-01-01")));
        assertEquals("cannot compare DATE with VARCHAR using =: CAST one side, e.g. CAST(x AS DATE)", e.getMessage());
        e = assertThrows(KilnException.class, () -> TypeRules.compare(Op.GT, Literal.of("x"), col(DataType.INTEGER)));
        assertEquals("cannot compare VARCHAR with INTEGER using >: CAST one side, e.g. CAST(x AS INTEGER)", e.getMessage());
    }

    @Test
    void logic() {
        Expr p = nullableCol(DataType.BOOLEAN);
        Expr q = col(DataType.BOOLEAN);
        assertEquals(new Call(Op.AND, List.of(p, q), DataType.BOOLEAN, true), TypeRules.and(List.of(p, q)));
        assertEquals(new Call(Op.OR, List.of(q, q), DataType.BOOLEAN, false), TypeRules.or(List.of(q, q)));
        assertEquals(new Call(Op.NOT, List.of(p), DataType.BOOLEAN, true), TypeRules.not(p));
        assertEquals(new Call(Op.IS_NULL, List.of(p), DataType.BOOLEAN, false), TypeRules.isNull(p, false));
        assertEquals(new Call(Op.IS_NOT_NULL, List.of(p), DataType.BOOLEAN, false), TypeRules.isNull(p, true));
        KilnException e = assertThrows(KilnException.class, () -> TypeRules.and(List.of(p, col(DataType.INTEGER))));
        assertEquals("AND needs BOOLEAN operands, not INTEGER", e.getMessage());
    }

    @Test
    void caseResultsShareOneType() {
        Expr cond = col(DataType.BOOLEAN);
        Expr one = Literal.ofInt(1);
        Expr m = col(MONEY);
        Expr c = TypeRules.caseWhen(List.of(new Case.When(cond, one)), m);
        assertEquals(new Case(List.of(new Case.When(cond, new Cast(one, MONEY))), m, MONEY, false), c);
        Expr n = TypeRules.caseWhen(List.of(new Case.When(cond, m)), new NullLiteral(DataType.INTEGER));
        assertEquals(new Case(List.of(new Case.When(cond, m)), new NullLiteral(MONEY), MONEY, true), n);
        assertThrows(KilnException.class, () -> TypeRules.caseWhen(List.of(new Case.When(cond, Literal.of("x"))), one));
    }

    @Test
    void inListAndCoalesceUseTheCommonType() {
        Expr b = col(DataType.BIGINT);
        Expr in = TypeRules.inList(b, List.of(Literal.ofInt(1), Literal.of(2L)));
        assertEquals(new InList(b, List.of(new Cast(Literal.ofInt(1), DataType.BIGINT), Literal.of(2L)), false), in);
        InList dec = (InList) TypeRules.inList(b, List.of(Literal.of(new BigDecimal("1.5"))));
        assertEquals(DataType.decimal(18, 1), dec.value().type());
        assertTrue(TypeRules.inList(b, List.of(new NullLiteral(DataType.BIGINT))).nullable());
        Expr co = TypeRules.coalesce(List.of(nullableCol(DataType.INTEGER), Literal.of(0L)));
        assertEquals(DataType.BIGINT, co.type());
        assertFalse(co.nullable());
    }

    @Test
    void aggregateTypes() {
        assertEquals(DataType.BIGINT, TypeRules.aggregateType(AggFunc.COUNT, Optional.empty()));
        assertEquals(DataType.BIGINT, TypeRules.aggregateType(AggFunc.COUNT, Optional.of(DataType.VARCHAR)));
        assertEquals(DataType.BIGINT, TypeRules.aggregateType(AggFunc.SUM, Optional.of(DataType.INTEGER)));
        assertEquals(DataType.decimal(18, 2), TypeRules.aggregateType(AggFunc.SUM, Optional.of(MONEY)));
        assertEquals(DataType.DOUBLE, TypeRules.aggregateType(AggFunc.SUM, Optional.of(DataType.DOUBLE)));
        assertEquals(DataType.DOUBLE, TypeRules.aggregateType(AggFunc.AVG, Optional.of(MONEY)));
        assertEquals(DataType.DOUBLE, TypeRules.aggregateType(AggFunc.AVG, Optional.of(DataType.BIGINT)));
        assertEquals(DataType.DATE, TypeRules.aggregateType(AggFunc.MIN, Optional.of(DataType.DATE)));
        assertEquals(DataType.VARCHAR, TypeRules.aggregateType(AggFunc.MAX, Optional.of(DataType.VARCHAR)));
        assertEquals(MONEY, TypeRules.aggregateType(AggFunc.SINGLE_VALUE, Optional.of(MONEY)));
        KilnException e = assertThrows(KilnException.class, () -> TypeRules.aggregateType(AggFunc.SUM, Optional.of(DataType.VARCHAR)));
        assertEquals("SUM needs a numeric argument, not VARCHAR", e.getMessage());
    }
}
