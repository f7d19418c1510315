package dev.kiln.ir.rel;

import static dev.kiln.ir.E.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.InList;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanValidatorTest {
    static final TableRef T = new TableRef("t", Schema.of(new Field("k", INT, false), new Field("v", INT, true),
            new Field("d", DataType.decimal(10, 2), true), new Field("s", TEXT, true), new Field("big", BIGINT, false)), -1);
    static final Rel SCAN = TableScan.all(T);

    private static String rejection(Rel plan) {
        return assertThrows(PlanValidationException.class, () -> PlanValidator.validate(plan)).getMessage();
    }

    private static String rejectionOf(Expr e) {
        return rejection(new Project(SCAN, List.of(e), List.of("x")));
    }

    @Test
    void acceptsValidPlansIncludingTheGoldenQ3() {
        PlanValidator.validate(PlanPrinterTest.q3());
        Expr sum = TypeRules.arithmetic(Op.PLUS, new ColumnRef(2, DataType.decimal(10, 2), true), new ColumnRef(0, INT, false));
        Rel p = new Project(new Filter(SCAN, TypeRules.compare(Op.GT, new ColumnRef(1, INT, true), new ColumnRef(4, BIGINT, false))),
                List.of(sum, new ColumnRef(0, INT, true)), List.of("total", "k")); // a ref may claim NULLs the field lacks
        PlanValidator.validate(p);
        PlanValidator.validate(new Aggregate(SCAN, List.of(0), List.of(
                new AggCall(AggFunc.SUM, List.of(2), false, DataType.decimal(18, 2), true, "s"),
                new AggCall(AggFunc.COUNT, List.of(), false, BIGINT, false, "n"),
                new AggCall(AggFunc.MAX, List.of(0), false, INT, false, "m"))));
    }

    @Test
    void columnReferences() {
        assertEquals("invalid plan at Project, expression x: column #7 is out of range: the input has 5 columns in #7", rejectionOf(col(7, INT)));
        assertEquals("invalid plan at Project, expression x: column #1 (v) is INTEGER, not BIGINT in v", rejectionOf(col(1, BIGINT)));
        assertEquals("invalid plan at Project, expression x: column #1 (v) is nullable but the reference claims NOT NULL in v",
                rejectionOf(new ColumnRef(1, INT, false)));
    }

    @Test
    void pathNamesTheOperatorFromTheRoot() {
        Rel badFilter = new Filter(SCAN, col(1, INT));
        Rel plan = new Sort(new Join(SCAN, badFilter, JoinKind.INNER, bool(true)), List.of(), 0, 1);
        assertEquals("invalid plan at Sort > Join > right Filter, condition: must be BOOLEAN, not INTEGER: v", rejection(plan));
        assertEquals("invalid plan at Join, condition: column #6 (v) is nullable but the reference claims NOT NULL in v#6",
                rejection(new Join(SCAN, SCAN, JoinKind.LEFT, call(Op.EQ, BOOL, col(0, INT), new ColumnRef(6, INT, false)))));
        assertEquals("invalid plan at Join, condition: column #9 (big) is BIGINT, not INTEGER in big#9",
                rejection(new Join(SCAN, SCAN, JoinKind.LEFT, call(Op.EQ, BOOL, col(0, INT), col(9, INT)))));
    }

    @Test
    void operandTypesFollowTheRules() {
        Expr v = col(1, INT);
        Expr big = new ColumnRef(4, BIGINT, false);
        assertEquals("invalid plan at Project, expression x: EQ on different types INTEGER and BIGINT (CAST one side to the common type) in v = big",
                rejectionOf(call(Op.EQ, BOOL, v, big)));
        assertEquals("invalid plan at Project, expression x: PLUS on INTEGER and BIGINT giving BIGINT: both operands must be BIGINT in v + big",
                rejectionOf(call(Op.PLUS, BIGINT, v, big)));
        assertEquals("invalid plan at Project, expression x: AND needs BOOLEAN operands, not INTEGER in v AND TRUE",
                rejectionOf(call(Op.AND, BOOL, v, bool(true))));
        assertEquals("invalid plan at Project, expression x: PLUS on SMALLINT and SMALLINT: integer arithmetic is done in INTEGER or BIGINT, not SMALLINT in CAST(v AS SMALLINT) + CAST(v AS SMALLINT)",
                rejectionOf(call(Op.PLUS, DataType.SMALLINT, cast(v, DataType.SMALLINT), cast(v, DataType.SMALLINT))));
        Expr d = col(2, DataType.decimal(10, 2));
        assertEquals("invalid plan at Project, expression x: TIMES on DECIMAL(10,2) and DECIMAL(10,2) is DECIMAL(18,4), not DECIMAL(18,2) in d * d",
                rejectionOf(call(Op.TIMES, DataType.decimal(18, 2), d, d)));
        assertEquals("invalid plan at Project, expression x: DIVIDE on DECIMAL(10,2) and DECIMAL(10,2): DECIMAL DIVIDE is computed in DOUBLE in d / d",
                rejectionOf(call(Op.DIVIDE, DataType.decimal(18, 2), d, d)));
        assertEquals("invalid plan at Project, expression x: PLUS takes 2 operands, not 1 in +(v)",
                rejectionOf(new Call(Op.PLUS, List.of(v), INT, true)));
        assertEquals("invalid plan at Project, expression x: LIKE pattern and escape must be literals in s LIKE s",
                rejectionOf(call(Op.LIKE, BOOL, col(3, TEXT), col(3, TEXT))));
        assertEquals("invalid plan at Project, expression x: EXTRACT_YEAR needs a DATE or TIMESTAMP, not VARCHAR in extract_year(s)",
                rejectionOf(call(Op.EXTRACT_YEAR, BIGINT, col(3, TEXT))));
        assertEquals("invalid plan at Project, expression x: CAST from DATE to INTEGER is not defined in CAST(DATE '1995-03-15' AS INTEGER)",
                rejectionOf(cast(dev.kiln.ir.expr.Literal.of(java.time.LocalDate.of(1995, 3, 15)), INT)));
        assertEquals("invalid plan at Project, expression x: DECIMAL literal 123.45 has more digits than DECIMAL(4,2) in 123.45",
                rejectionOf(new dev.kiln.ir.expr.Literal(new java.math.BigDecimal("123.45"), DataType.decimal(4, 2))));
        assertEquals("invalid plan at Project, expression x: IN list element is BIGINT but the value is INTEGER in v IN (1)",
                rejectionOf(new InList(v, List.of(i64(1)), true)));
        assertEquals("invalid plan at Project, expression x: CASE result is BIGINT but the CASE is INTEGER in CASE WHEN TRUE THEN 1 ELSE v END",
                rejectionOf(new Case(List.of(new Case.When(bool(true), i64(1))), v, INT, true)));
    }

    @Test
    void nullabilityClaimsMustCoverEveryNull() {
        Expr v = col(1, INT);
        assertEquals("invalid plan at Project, expression x: PLUS claims NOT NULL but can be NULL (an operand is nullable) in v + 1",
                rejectionOf(new Call(Op.PLUS, List.of(v, i32(1)), INT, false)));
        assertEquals("invalid plan at Project, expression x: NULLIF claims NOT NULL but can be NULL (an operand is nullable) in nullif(k, 1)",
                rejectionOf(new Call(Op.NULLIF, List.of(new ColumnRef(0, INT, false), i32(1)), INT, false)));
        // IS NULL, IS DISTINCT FROM and a COALESCE with a non-null operand are never NULL
        PlanValidator.validate(new Project(SCAN, List.of(new Call(Op.IS_NULL, List.of(v), BOOL, false),
                new Call(Op.IS_DISTINCT_FROM, List.of(v, v), BOOL, false), new Call(Op.COALESCE, List.of(v, i32(0)), INT, false)),
                List.of("a", "b", "c")));
    }

    @Test
    void aggregatesAndSortKeys() {
        assertEquals("invalid plan at Aggregate: group key #5 is out of range: the input has 5 columns",
                rejection(new Aggregate(SCAN, List.of(5), List.of())));
        assertEquals("invalid plan at Aggregate: aggregate s: SUM of DECIMAL(10,2) is DECIMAL(18,2), not DECIMAL(10,2)",
                rejection(new Aggregate(SCAN, List.of(0), List.of(new AggCall(AggFunc.SUM, List.of(2), false, DataType.decimal(10, 2), true, "s")))));
        assertEquals("invalid plan at Aggregate: aggregate s: SUM is not defined on VARCHAR",
                rejection(new Aggregate(SCAN, List.of(0), List.of(new AggCall(AggFunc.SUM, List.of(3), false, TEXT, true, "s")))));
        assertEquals("invalid plan at Aggregate: aggregate m: claims NOT NULL but there are no group keys, so empty input gives NULL",
                rejection(new Aggregate(SCAN, List.of(), List.of(new AggCall(AggFunc.MAX, List.of(0), false, INT, false, "m")))));
        assertEquals("invalid plan at Aggregate: aggregate m: claims NOT NULL but its argument v is nullable",
                rejection(new Aggregate(SCAN, List.of(0), List.of(new AggCall(AggFunc.MIN, List.of(1), false, INT, false, "m")))));
        assertEquals("invalid plan at Aggregate: aggregate n: COUNT is BIGINT, not INTEGER",
                rejection(new Aggregate(SCAN, List.of(), List.of(new AggCall(AggFunc.COUNT, List.of(), false, INT, false, "n")))));
        assertEquals("invalid plan at Aggregate: aggregate a: argument #8 is out of range: the input has 5 columns",
                rejection(new Aggregate(SCAN, List.of(), List.of(new AggCall(AggFunc.AVG, List.of(8), false, DBL, true, "a")))));
        assertEquals("invalid plan at Sort: sort key #5 is out of range: the input has 5 columns",
                rejection(new Sort(SCAN, List.of(SortKey.asc(5)), 0, -1)));
    }

    @Test
    void valuesRows() {
        Schema s = Schema.of(new Field("a", INT, false), new Field("b", TEXT, true));
        assertEquals("invalid plan at Values: row 0 has 1 values but the schema has 2 columns",
                rejection(new Values(s, List.of(List.of(i32(1))))));
        assertEquals("invalid plan at Values: row 1, column a: BIGINT value in a INTEGER column",
                rejection(new Values(s, List.of(List.of(i32(1), str("x")), List.of(i64(1), str("y"))))));
        assertEquals("invalid plan at Values: row 0, column a: NULL in a NOT NULL column",
                rejection(new Values(s, List.of(List.of(nul(INT), str("x"))))));
        assertEquals("invalid plan at Values: row 0, column a: must be a constant, not 1 + 1",
                rejection(new Values(s, List.of(List.of(call(Op.PLUS, INT, i32(1), i32(1)), str("x"))))));
    }
}
