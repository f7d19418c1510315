package dev.kiln.frontend;

import static dev.kiln.frontend.Fixtures.assertRows;
import static dev.kiln.frontend.Fixtures.date;
import static dev.kiln.frontend.Fixtures.money;
import static dev.kiln.frontend.Fixtures.query;
import static dev.kiln.frontend.Fixtures.r;
import static dev.kiln.frontend.Fixtures.row;
import static dev.kiln.frontend.Fixtures.rows;
import static dev.kiln.frontend.Fixtures.tables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.type.DataType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Executes compiled plans on tiny tables with the reference interpreter and checks exact rows,
 * with NULLs where SQL's three-valued logic makes them matter.
 */
class SemanticsTest {
    private static final Long N = null;

    /** t(a, b, d, dt): one NULL in every column. */
    private static final List<Object[]> T = List.of(
            r(1L, "a", money("1.50"), date("1995-01-31")),
            r(2L, "b", money("2.25"), date("1996-02-29")),
            r(3L, "b", null, null),
            r(null, "c", money("4.00"), date("1994-12-31")),
            r(2L, null, money("5.00"), date("1995-06-15")));
    private static final List<Object[]> S_WITH_NULL = List.of(r(2L, "x"), r(null, "y"), r(4L, "z"));
    private static final List<Object[]> S_NO_NULL = List.of(r(2L, "x"), r(4L, "z"));
    private static final Map<String, List<Object[]>> DATA = tables(T, S_WITH_NULL);

    @Test
    void notInSubqueryWithNullYieldsNoRows() {
        String sql = "select a from t where a not in (select x from s) order by a";
        assertRows(List.of(), rows(sql, tables(T, S_WITH_NULL)));
        assertRows(List.of(row(1L), row(3L)), rows(sql, tables(T, S_NO_NULL)));
        // NULL NOT IN (empty set) is TRUE
        assertRows(List.of(row(1L), row(2L), row(2L), row(3L), row(N)), rows(sql, tables(T, List.of())));
    }

    @Test
    void inSubqueryInSelectListIsThreeValued() {
        String sql = "select a, a in (select x from s) as i, a not in (select x from s) as ni from t order by a nulls first";
        assertRows(List.of(row(N, null, null), row(1L, null, null), row(2L, true, false), row(2L, true, false), row(3L, null, null)),
                rows(sql, DATA));
        assertRows(List.of(row(N, null, null), row(1L, false, true), row(2L, true, false), row(2L, true, false), row(3L, false, true)),
                rows(sql, tables(T, S_NO_NULL)));
    }

    @Test
    void existsAndNotExistsCorrelated() {
        assertRows(List.of(row(2L), row(2L)), rows("select a from t where exists (select 1 from s where s.x = t.a) order by a", DATA));
        assertRows(List.of(row(1L), row(3L), row(N)), rows("select a from t where not exists (select 1 from s where s.x = t.a) order by a", DATA));
    }

    @Test
    void correlatedCountIsZeroNotNullWhenNothingMatches() {
        assertRows(List.of(row(1L, 0L), row(2L, 1L), row(2L, 1L), row(3L, 0L), row(N, 0L)),
                rows("select a, (select count(*) from s where s.x = t.a) as c from t order by a", DATA));
    }

    @Test
    void correlatedScalarSubqueryWithAggregate() {
        // for each a: the smallest x above it
        assertRows(List.of(row(1L, 2L), row(2L, 4L), row(2L, 4L), row(3L, 4L), row(N, N)),
                rows("select a, (select min(x) from s where s.x > t.a) as m from t order by a", DATA));
    }

    @Test
    void scalarSubqueryWithSeveralRowsIsSingleValueAndFailsAtRunTime() {
        for (String sql : List.of("select a, (select x from s where s.x > t.a) from t", "select (select x from s) from t")) {
            String plan = dev.kiln.ir.rel.PlanPrinter.print(query(sql).plan());
            assertTrue(plan.contains("SINGLE_VALUE("), plan);
            KilnException e = assertThrows(KilnException.class, () -> rows(sql, DATA));
            assertTrue(e.getMessage().startsWith("more than one row returned by a"), e.getMessage());
        }
        assertRows(List.of(row(2L), row(2L)), rows("select (select x from s where x < 3) from t where a = 2", DATA));
    }

    @Test
    void distinctAggregatesAreRewrittenIntoPlainOnes() {
        String sql = "select b, count(distinct a) as n, sum(a) as s, count(*) as c from t group by b order by b";
        assertRows(List.of(row("a", 1L, 1L, 1L), row("b", 2L, 5L, 2L), row("c", 0L, N, 1L), row(null, 1L, 2L, 1L)), rows(sql, DATA));
        assertRows(List.of(row(3L, 3L, 4L)), rows("select count(distinct b), count(distinct a), count(distinct d) from t", DATA));
        assertFalse(PlanWalk.aggCalls(query(sql).plan()).stream().anyMatch(c -> c.distinct()));
    }

    @Test
    void orderByDefaultsAndExplicitNulls() {
        assertRows(List.of(row(1L), row(2L), row(2L), row(3L), row(N)), rows("select a from t order by a", DATA));
        assertRows(List.of(row(N), row(3L), row(2L), row(2L), row(1L)), rows("select a from t order by a desc", DATA));
        assertRows(List.of(row(N), row(1L), row(2L), row(2L), row(3L)), rows("select a from t order by a asc nulls first", DATA));
        assertRows(List.of(row(3L), row(2L), row(2L), row(1L), row(N)), rows("select a from t order by a desc nulls last", DATA));
    }

    @Test
    void limitOffsetFetch() {
        assertRows(List.of(row(2L), row(2L)), rows("select a from t order by a limit 2 offset 1", DATA));
        assertRows(List.of(row(1L)), rows("select a from t order by a fetch first 1 rows only", DATA));
        assertRows(List.of(row(3L), row(N)), rows("select a from t order by a offset 3", DATA));
        assertRows(List.of(row(2L)), rows("select a from t order by a offset 2 rows fetch next 1 rows only", DATA));
    }

    @Test
    void groupByAndOrderByOrdinal() {
        assertRows(List.of(row("a", 1L), row("b", 2L), row("c", 1L), row(null, 1L)),
                rows("select b, count(*) from t group by 1 order by 1", DATA));
        assertRows(List.of(row("b", 5L)), rows("select b, sum(a) from t group by b having count(*) > 1", DATA));
    }

    @Test
    void dateArithmeticAndExtract() {
        String sql = "select date '1998-12-01' - interval '90' day (3) as d1, date '1995-01-31' + interval '1' month as d2,"
                + " date '1996-02-29' + interval '1' year as d3, extract(year from date '1995-03-15') as y,"
                + " extract(month from date '1995-03-15') as m, extract(day from date '1995-03-15') as dd";
        assertRows(List.of(row(date("1998-09-02"), date("1995-02-28"), date("1997-02-28"), 1995L, 3L, 15L)), rows(sql, DATA));
        assertRows(List.of(row(date("1995-02-28")), row(date("1996-03-29")), row((Object) null), row(date("1995-01-31")), row(date("1995-07-15"))),
                rows("select dt + interval '1' month from t", DATA));
        assertRows(List.of(row(date("1995-01-31")), row(date("1995-06-15"))),
                rows("select dt from t where dt between date '1995-01-01' and date '1995-12-31' order by dt", DATA));
    }

    @Test
    void scalarFunctions() {
        String sql = "select a, case when a > 1 then 'big' when a = 1 then 'one' else 'none' end, coalesce(a, 0), nullif(a, 2),"
                + " b || '!', upper(b), lower('AbC'), char_length(b), substring('hello' from 2 for 3), trim('  x  ') from t order by a";
        assertRows(List.of(
                row(1L, "one", 1L, 1L, "a!", "A", "abc", 1L, "ell", "x"),
                row(2L, "big", 2L, null, "b!", "B", "abc", 1L, "ell", "x"),
                row(2L, "big", 2L, null, null, null, "abc", null, "ell", "x"),
                row(3L, "big", 3L, 3L, "b!", "B", "abc", 1L, "ell", "x"),
                row(N, "none", 0L, null, "c!", "C", "abc", 1L, "ell", "x")), rows(sql, DATA));
    }

    @Test
    void likeWithEscapeAndNotLike() {
        assertRows(List.of(row(true, false, true, false)),
                rows("select 'a_c' like 'a\\_c' escape '\\', 'abc' like 'a\\_c' escape '\\', 'abc' like 'a%', 'abc' not like 'a%'", DATA));
        assertRows(List.of(row("a"), row("c")), rows("select b from t where b not like 'b%' order by b", DATA));
    }

    @Test
    void isDistinctFrom() {
        assertRows(List.of(row(1L), row(3L), row(N)), rows("select a from t where a is distinct from 2 order by a", DATA));
        assertRows(List.of(row(N)), rows("select a from t where a is not distinct from cast(null as integer)", DATA));
        assertRows(List.of(row(3L)), rows("select a from t where d is null", DATA));
    }

    @Test
    void outerJoins() {
        assertRows(List.of(row(1L, N), row(2L, 2L), row(2L, 2L), row(3L, N), row(N, N)),
                rows("select t.a, s.x from t left join s on t.a = s.x order by t.a, s.x", DATA));
        assertRows(List.of(row(2L, 2L), row(2L, 2L), row(N, 4L), row(N, N)),
                rows("select t.a, s.x from t right join s on t.a = s.x order by 2, 1", DATA));
        assertRows(List.of(row(1L, N), row(2L, 2L), row(2L, 2L), row(3L, N), row(N, 4L), row(N, N), row(N, N)),
                rows("select t.a, s.x from t full outer join s on t.a = s.x order by 1, 2", DATA));
        assertRows(List.of(row(2L, "x"), row(2L, "x")),
                rows("select a, y from t, s where a = x order by a", DATA));
    }

    @Test
    void viewsAndCommonTableExpressions() {
        TestCatalog catalog = new TestCatalog().withView("v", "select a, b from t where a >= 2");
        assertRows(List.of(row("b", 2L), row(null, 2L), row("b", 3L)), Fixtures.rows(catalog, "select b, a from v order by a, b", DATA));
        assertRows(List.of(row(4L)), rows("with w as (select a from t where a is not null) select count(*) from w", DATA));
        assertRows(List.of(row(2L, 2L)), rows("with w (k) as (select a from t where a = 2) select w1.k, count(*) from w w1, w w2 where w1.k = w2.k group by w1.k", DATA).subList(0, 1).stream().map(rw -> row(rw.get(0), 2L)).toList());
    }

    @Test
    void inListsBecomeInListExpressions() {
        Statement.Query q = query("select a from t where a in (1, 3)");
        assertEquals(1, PlanWalk.inLists(q.plan()).size());
        assertRows(List.of(row(1L), row(3L)), rows("select a from t where a in (1, 3) order by a", DATA));
        assertRows(List.of(row(2L), row(2L)), rows("select a from t where a not in (1, 3) order by a", DATA));
        assertRows(List.of(row("a"), row("c")), rows("select b from t where b in ('a', 'c') order by b", DATA));
        assertRows(List.of(row(2L), row(2L), row(3L)), rows("select a from t where a between 2 and 3 order by a", DATA));
    }

    @Test
    void selectWithoutFrom() {
        Statement.Query q = query("select 1 + 2 as x, 'k' as y");
        assertEquals(List.of("x", "y"), q.columnNames());
        assertRows(List.of(row(3L, "k")), rows("select 1 + 2 as x, 'k' as y", DATA));
    }

    @Test
    void decimalAggregates() {
        Statement.Query q = query("select sum(d), avg(d), min(d), max(d), count(d) from t");
        assertEquals(List.of(DataType.decimal(18, 2), DataType.DOUBLE, DataType.decimal(15, 2), DataType.decimal(15, 2), DataType.BIGINT),
                q.plan().schema().fields().stream().map(f -> f.type()).toList());
        assertRows(List.of(row(money("12.75"), 3.1875, money("1.50"), money("5.00"), 4L)), rows("select sum(d), avg(d), min(d), max(d), count(d) from t", DATA));
        assertRows(List.of(row(N, null)), rows("select sum(a), max(b) from t where a > 10", DATA));
    }

    @Test
    void scalarSubqueryAggregateUsesSingleValueOnlyWhenNeeded() {
        List<AggFunc> funcs = PlanWalk.aggCalls(query("select a from t where a > (select avg(x) from s)").plan()).stream().map(c -> c.func()).toList();
        assertEquals(List.of(AggFunc.AVG), funcs);
    }
}
