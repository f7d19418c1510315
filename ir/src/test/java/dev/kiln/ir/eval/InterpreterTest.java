package dev.kiln.ir.eval;

import static dev.kiln.ir.E.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Sort;
import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.rel.Values;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpreterTest {
    static final TableRef T = new TableRef("t", Schema.of(
            new Field("k", INT, true), new Field("v", INT, true), new Field("d", DataType.decimal(10, 2), true)), -1);
    static final TableRef L = new TableRef("l", Schema.of(new Field("a", INT, true), new Field("x", TEXT, true)), -1);
    static final TableRef R = new TableRef("r", Schema.of(new Field("b", INT, true), new Field("y", TEXT, true)), -1);

    static List<Object[]> rows(Object[]... rows) {
        return Arrays.asList(rows);
    }

    static Object[] row(Object... values) {
        return values;
    }

    static List<Object[]> run(Rel plan, Map<String, List<Object[]>> data) {
        return Interpreter.execute(plan, t -> data.get(t.name()));
    }

    /** Rows as text, sorted, for comparing results whose order is not defined. */
    static List<String> unordered(List<Object[]> rows) {
        List<String> out = new ArrayList<>(rows.stream().map(Arrays::toString).toList());
        out.sort(Comparator.naturalOrder());
        return out;
    }

    static List<String> ordered(List<Object[]> rows) {
        return rows.stream().map(Arrays::toString).toList();
    }

    static AggCall agg(AggFunc f, DataType type, boolean distinct, String name, Integer... args) {
        return new AggCall(f, List.of(args), distinct, type, true, name);
    }

    final Map<String, List<Object[]>> data = Map.of(
            "t", rows(row(1L, 10L, new BigDecimal("1.50")), row(1L, null, new BigDecimal("2.25")), row(2L, 5L, null),
                    row(null, 7L, new BigDecimal("0.05")), row(null, 7L, null), row(2L, 5L, new BigDecimal("1.00"))),
            "l", rows(row(1L, "l1"), row(2L, "l2"), row(null, "lnull"), row(4L, "l4")),
            "r", rows(row(1L, "r1"), row(1L, "r1b"), row(3L, "r3"), row(null, "rnull")));

    @Test
    void aggregatesSkipNullsAndNullsGroupTogether() {
        Rel plan = new Aggregate(TableScan.all(T), List.of(0), List.of(
                agg(AggFunc.COUNT, BIGINT, false, "n"),
                agg(AggFunc.COUNT, BIGINT, false, "nv", 1),
                agg(AggFunc.SUM, BIGINT, false, "sv", 1),
                agg(AggFunc.SUM, DataType.decimal(18, 2), false, "sd", 2),
                agg(AggFunc.AVG, DBL, false, "av", 1),
                agg(AggFunc.MIN, INT, false, "mn", 1),
                agg(AggFunc.MAX, DataType.decimal(10, 2), false, "mx", 2),
                agg(AggFunc.COUNT, BIGINT, true, "dv", 1)));
        assertEquals(List.of(
                "[1, 2, 1, 10, 3.75, 10.0, 10, 2.25, 1]",
                "[2, 2, 2, 10, 1.00, 5.0, 5, 1.00, 1]",
                "[null, 2, 2, 14, 0.05, 7.0, 7, 0.05, 1]"), unordered(run(plan, data)));
    }

    @Test
    void aggregateWithoutKeysGivesOneRowOnEmptyInput() {
        Rel empty = new Filter(TableScan.all(T), bool(false));
        Rel noKeys = new Aggregate(empty, List.of(), List.of(agg(AggFunc.COUNT, BIGINT, false, "n"),
                agg(AggFunc.SUM, BIGINT, false, "s", 1), agg(AggFunc.MAX, INT, false, "m", 0),
                agg(AggFunc.AVG, DBL, false, "a", 1), agg(AggFunc.SINGLE_VALUE, INT, false, "one", 0)));
        assertEquals(List.of("[0, null, null, null, null]"), ordered(run(noKeys, data)));
        Rel keyed = new Aggregate(empty, List.of(0), List.of(agg(AggFunc.COUNT, BIGINT, false, "n")));
        assertEquals(List.of(), run(keyed, data));
    }

    @Test
    void nullsAreSkippedAndAnAllNullInputGivesNull() {
        List<AggCall> aggs = List.of(agg(AggFunc.SUM, DataType.decimal(18, 2), false, "s", 2),
                agg(AggFunc.ANY_VALUE, DataType.decimal(10, 2), false, "any", 2), agg(AggFunc.MIN, DataType.decimal(10, 2), false, "min", 2),
                agg(AggFunc.COUNT, BIGINT, false, "c", 2), agg(AggFunc.COUNT, BIGINT, false, "star"));
        Rel k2 = new Aggregate(new Filter(TableScan.all(T), call(Op.EQ, BOOL, col(0, INT), i32(2))), List.of(), aggs);
        assertEquals(List.of("[1.00, 1.00, 1.00, 1, 2]"), ordered(run(k2, data)));
        Rel allNull = new Aggregate(new Filter(TableScan.all(T), call(Op.IS_NULL, BOOL, col(2, DataType.decimal(10, 2)))), List.of(), aggs);
        assertEquals(List.of("[null, null, null, 0, 2]"), ordered(run(allNull, data)));
    }

    @Test
    void distinctAggregatesDedupePerGroup() {
        Rel plan = new Aggregate(TableScan.all(T), List.of(), List.of(
                agg(AggFunc.SUM, BIGINT, true, "s", 1), agg(AggFunc.COUNT, BIGINT, true, "c", 1),
                agg(AggFunc.AVG, DBL, true, "a", 1), agg(AggFunc.COUNT, BIGINT, true, "pairs", 0, 1)));
        // distinct v: 10, 5, 7; distinct non-null (k, v) pairs: (1,10), (2,5)
        assertEquals(List.of("[22, 3, 7.333333333333333, 2]"), ordered(run(plan, data)));
    }

    @Test
    void sumOverflowDependsOnTheExactTotalOnly() {
        TableRef big = new TableRef("big", Schema.of(new Field("x", BIGINT, false)), -1);
        Map<String, List<Object[]>> d = Map.of("big", rows(row(Long.MAX_VALUE), row(1L), row(-2L)));
        Rel sum = new Aggregate(TableScan.all(big), List.of(), List.of(agg(AggFunc.SUM, BIGINT, false, "s", 0)));
        assertEquals(List.of("[9223372036854775806]"), ordered(run(sum, d)));
        Map<String, List<Object[]>> over = Map.of("big", rows(row(Long.MAX_VALUE), row(1L)));
        assertEquals("BIGINT overflow in SUM", error(() -> run(sum, over)));
        Rel avg = new Aggregate(TableScan.all(big), List.of(), List.of(agg(AggFunc.AVG, DBL, false, "a", 0)));
        assertEquals(List.of("[4.611686018427388E18]"), ordered(run(avg, over)));
    }

    @Test
    void singleValueFailsOnMoreThanOneRow() {
        Rel plan = new Aggregate(TableScan.all(T), List.of(0), List.of(agg(AggFunc.SINGLE_VALUE, INT, false, "v", 1)));
        assertEquals("more than one row returned by a scalar subquery", error(() -> run(plan, data)));
        Rel one = new Aggregate(new Filter(TableScan.all(T), call(Op.EQ, BOOL, col(1, INT), i32(10))), List.of(),
                List.of(agg(AggFunc.SINGLE_VALUE, INT, false, "v", 1)));
        assertEquals(List.of("[10]"), ordered(run(one, data)));
    }

    private Join join(JoinKind kind) {
        return new Join(TableScan.all(L), TableScan.all(R), kind, call(Op.EQ, BOOL, new ColumnRef(0, INT, true), new ColumnRef(2, INT, true)));
    }

    @Test
    void joinKindsWithNullKeys() {
        assertEquals(List.of("[1, l1, 1, r1]", "[1, l1, 1, r1b]"), unordered(run(join(JoinKind.INNER), data)));
        assertEquals(List.of("[1, l1, 1, r1]", "[1, l1, 1, r1b]", "[2, l2, null, null]", "[4, l4, null, null]", "[null, lnull, null, null]"),
                unordered(run(join(JoinKind.LEFT), data)));
        assertEquals(List.of("[1, l1, 1, r1]", "[1, l1, 1, r1b]", "[null, null, 3, r3]", "[null, null, null, rnull]"),
                unordered(run(join(JoinKind.RIGHT), data)));
        assertEquals(List.of("[1, l1, 1, r1]", "[1, l1, 1, r1b]", "[2, l2, null, null]", "[4, l4, null, null]",
                "[null, lnull, null, null]", "[null, null, 3, r3]", "[null, null, null, rnull]"), unordered(run(join(JoinKind.FULL), data)));
        assertEquals(List.of("[1, l1]"), unordered(run(join(JoinKind.SEMI), data)));
        assertEquals(List.of("[2, l2]", "[4, l4]", "[null, lnull]"), unordered(run(join(JoinKind.ANTI), data)));
    }

    @Test
    void crossJoinAndNullSafeEquality() {
        Rel cross = new Join(TableScan.all(L), TableScan.all(R), JoinKind.INNER, Exprs.TRUE);
        assertEquals(16, run(cross, data).size());
        Rel nullSafe = new Join(TableScan.all(L), TableScan.all(R), JoinKind.INNER,
                call(Op.IS_NOT_DISTINCT_FROM, BOOL, col(0, INT), col(2, INT)));
        assertEquals(List.of("[1, l1, 1, r1]", "[1, l1, 1, r1b]", "[null, lnull, null, rnull]"), unordered(run(nullSafe, data)));
    }

    /**
     * a NOT IN (SELECT b FROM r) as the frontend expresses it: an ANTI join on
     * (a = b OR a IS NULL OR b IS NULL), so a NULL anywhere removes the row (NOT IN is never TRUE then).
     */
    @Test
    void notInSemanticsThroughAnAntiJoin() {
        Expr eqOrUnknown = call(Op.OR, BOOL, call(Op.EQ, BOOL, col(0, INT), col(2, INT)),
                call(Op.IS_NULL, BOOL, col(0, INT)), call(Op.IS_NULL, BOOL, col(2, INT)));
        Rel notIn = new Join(TableScan.all(L), TableScan.all(R), JoinKind.ANTI, eqOrUnknown);
        assertEquals(List.of(), run(notIn, data)); // r has a NULL b: NOT IN is never TRUE
        Rel rNoNull = new Filter(TableScan.all(R), call(Op.IS_NOT_NULL, BOOL, col(0, INT)));
        Rel notIn2 = new Join(TableScan.all(L), rNoNull, JoinKind.ANTI, eqOrUnknown);
        assertEquals(List.of("[2, l2]", "[4, l4]"), unordered(run(notIn2, data))); // the NULL a is dropped
        // and through the evaluator: 2 NOT IN (1, NULL) is NULL
        assertEquals(null, eval(call(Op.NOT, BOOL, new dev.kiln.ir.expr.InList(i32(2), List.of(i32(1), nul(INT)), true))));
    }

    @Test
    void sortIsStableWithNullPlacementOffsetAndLimit() {
        Rel scan = TableScan.all(T);
        Rel byKeyNullsFirst = new Sort(scan, List.of(new SortKey(0, true, true)), 0, -1);
        assertEquals(List.of("[null, 7, 0.05]", "[null, 7, null]", "[1, 10, 1.50]", "[1, null, 2.25]", "[2, 5, null]", "[2, 5, 1.00]"),
                ordered(run(byKeyNullsFirst, data)));
        Rel descNullsLast = new Sort(scan, List.of(new SortKey(2, false, false)), 1, 3);
        assertEquals(List.of("[1, 10, 1.50]", "[2, 5, 1.00]", "[null, 7, 0.05]"), ordered(run(descNullsLast, data)));
        Rel twoKeys = new Sort(scan, List.of(SortKey.desc(1), SortKey.asc(2)), 0, 2);
        assertEquals(List.of("[1, null, 2.25]", "[1, 10, 1.50]"), ordered(run(twoKeys, data)));
        Rel limitOnly = new Sort(scan, List.of(), 4, 10);
        assertEquals(List.of("[null, 7, null]", "[2, 5, 1.00]"), ordered(run(limitOnly, data)));
    }

    @Test
    void valuesProjectAndFilter() {
        Schema s = Schema.of(new Field("a", INT, true), new Field("b", TEXT, false));
        Rel values = new Values(s, List.of(List.of(i32(1), str("x")), List.of(nul(INT), str("y")), List.of(i32(3), str("z"))));
        Rel plan = new Project(new Filter(values, call(Op.NE, BOOL, col(0, INT), i32(3))),
                List.of(call(Op.CONCAT, TEXT, col(1, TEXT), str("!")), call(Op.PLUS, INT, col(0, INT), i32(1))), List.of("b2", "a1"));
        assertEquals(List.of("[x!, 2]"), ordered(run(plan, Map.of()))); // the NULL row's condition is NULL, not TRUE
    }

    @Test
    void scanChecksRowWidth() {
        assertEquals("table t supplied a row of 2 values but its schema has 3 columns",
                error(() -> run(TableScan.all(T), Map.of("t", rows(row(1L, 2L))))));
        assertEquals(List.of("[10, 1]"), ordered(run(new TableScan(T, List.of(1, 0)), Map.of("t", rows(row(1L, 10L, null))))));
    }
}
