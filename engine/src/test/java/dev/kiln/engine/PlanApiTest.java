package dev.kiln.engine;

import static dev.kiln.frontend.plan.Functions.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.frontend.plan.Relation.JoinType;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plan API against SQL: each query built in code must give exactly the rows of the same query
 * written in SQL (whose results the TPC-H and sqllogictest suites check against DuckDB and known
 * answers), in the same order where it is sorted. Also: errors at the call that caused them,
 * parameters that reuse compiled classes, records in and out.
 */
class PlanApiTest {
    private static Kiln kiln;

    @BeforeAll
    static void open() {
        kiln = Kiln.open(KilnConfig.defaults().withThreads(2));
        kiln.registerTpch(0.01);
    }

    @AfterAll
    static void close() {
        kiln.close();
    }

    private static List<String> rows(QueryResult r, boolean sorted) {
        try (r) {
            List<String> out = new ArrayList<>();
            for (Object[] row : r.rows()) out.add(Arrays.toString(row));
            if (!sorted) out.sort(null);
            return out;
        }
    }

    private static void sameAsSql(Frame f, String sql, boolean ordered) {
        List<String> expected = rows(kiln.sql(sql), ordered);
        List<String> actual = rows(f.collect(), ordered);
        assertTrue(!expected.isEmpty(), "the SQL oracle returned no rows: " + sql);
        assertEquals(expected, actual, sql);
    }

    @Test
    void theIssueExampleMatchesSql() {
        Frame f = kiln.table("lineitem")
                .filter(col("l_shipdate").ge(date("1994-01-01")).and(col("l_discount").between(decimal("0.05"), decimal("0.07"))))
                .groupBy(col("l_returnflag"))
                .agg(sum(col("l_extendedprice").times(col("l_discount"))).as("revenue"))
                .orderBy(col("revenue").desc());
        sameAsSql(f, """
                SELECT l_returnflag, sum(l_extendedprice * l_discount) AS revenue FROM lineitem
                WHERE l_shipdate >= DATE '1994-01-01' AND l_discount BETWEEN 0.05 AND 0.07
                GROUP BY l_returnflag ORDER BY revenue DESC""", true);
        assertEquals(List.of("l_returnflag", "revenue"), f.columnNames());
    }

    @Test
    void tpchQ1() {
        Frame f = kiln.table("lineitem")
                .filter(col("l_shipdate").le(date("1998-12-01").plusDays(-90)))
                .groupBy(col("l_returnflag"), col("l_linestatus"))
                .agg(sum(col("l_quantity")).as("sum_qty"),
                        sum(col("l_extendedprice")).as("sum_base_price"),
                        sum(col("l_extendedprice").times(lit(1).minus(col("l_discount")))).as("sum_disc_price"),
                        sum(col("l_extendedprice").times(lit(1).minus(col("l_discount"))).times(lit(1).plus(col("l_tax")))).as("sum_charge"),
                        avg(col("l_quantity")).as("avg_qty"), avg(col("l_discount")).as("avg_disc"), count().as("count_order"))
                .orderBy(col("l_returnflag"), col("l_linestatus"));
        sameAsSql(f, """
                SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price,
                  sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price, sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
                  avg(l_quantity) AS avg_qty, avg(l_discount) AS avg_disc, count(*) AS count_order
                FROM lineitem WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL '90' DAY
                GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus""", true);
    }

    @Test
    void tpchQ3JoinsAndTopN() {
        Frame customer = kiln.table("customer").filter(col("c_mktsegment").eq("BUILDING"));
        Frame orders = kiln.table("orders").filter(col("o_orderdate").lt(date("1995-03-15")));
        Frame lineitem = kiln.table("lineitem").filter(col("l_shipdate").gt(date("1995-03-15")));
        Frame f = customer.join(orders, col("c_custkey").eq(col("o_custkey")))
                .join(lineitem, col("l_orderkey").eq(col("o_orderkey")))
                .groupBy(col("l_orderkey"), col("o_orderdate"), col("o_shippriority"))
                .agg(sum(col("l_extendedprice").times(lit(1).minus(col("l_discount")))).as("revenue"))
                .select(col("l_orderkey"), col("revenue"), col("o_orderdate"), col("o_shippriority"))
                .orderBy(col("revenue").desc(), col("o_orderdate"), col("l_orderkey"))
                .limit(10);
        sameAsSql(f, """
                SELECT l_orderkey, sum(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate, o_shippriority
                FROM customer, orders, lineitem
                WHERE c_mktsegment = 'BUILDING' AND c_custkey = o_custkey AND l_orderkey = o_orderkey
                  AND o_orderdate < DATE '1995-03-15' AND l_shipdate > DATE '1995-03-15'
                GROUP BY l_orderkey, o_orderdate, o_shippriority ORDER BY revenue DESC, o_orderdate, l_orderkey LIMIT 10""", true);
    }

    @Test
    void semiJoinInSubqueryAndExpressionsOfAggregates() {
        // TPC-H Q4 with EXISTS as a semi join, and an output computed from two aggregates
        Frame late = kiln.table("lineitem").filter(col("l_commitdate").lt(col("l_receiptdate")));
        Frame f = kiln.table("orders")
                .filter(col("o_orderdate").ge(date("1993-07-01")).and(col("o_orderdate").lt(date("1993-07-01").plusMonths(3))))
                .join(late, col("l_orderkey").eq(col("o_orderkey")), JoinType.SEMI)
                .groupBy(col("o_orderpriority"))
                .agg(count().as("order_count"), sum(col("o_totalprice")).div(count()).as("mean_price"))
                .orderBy(col("o_orderpriority"));
        sameAsSql(f, """
                SELECT o_orderpriority, count(*) AS order_count, sum(o_totalprice) / count(*) AS mean_price FROM orders
                WHERE o_orderdate >= DATE '1993-07-01' AND o_orderdate < DATE '1993-07-01' + INTERVAL '3' MONTH
                  AND EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate)
                GROUP BY o_orderpriority ORDER BY o_orderpriority""", true);
        Frame in = kiln.table("orders")
                .filter(col("o_orderkey").in(late.select(col("l_orderkey"))).and(col("o_orderdate").lt(date("1993-01-01"))))
                .groupBy("o_orderpriority").count();
        sameAsSql(in, """
                SELECT o_orderpriority, count(*) AS "count" FROM orders
                WHERE o_orderkey IN (SELECT l_orderkey FROM lineitem WHERE l_commitdate < l_receiptdate) AND o_orderdate < DATE '1993-01-01'
                GROUP BY o_orderpriority""", false);
    }

    @Test
    void notInKeepsSqlNullRules() {
        kiln.registerRecords("small", Small.class, List.of(new Small(1L, "a"), new Small(2L, null), new Small(null, "c")));
        kiln.registerRecords("probe", Small.class, List.of(new Small(1L, "x"), new Small(3L, "y"), new Small(null, "z")));
        Frame withNull = kiln.table("probe").filter(col("id").notIn(kiln.table("small").select("id")));
        assertEquals(0, withNull.count(), "NOT IN over a subquery with a NULL keeps no row");
        Frame withoutNull = kiln.table("probe").filter(col("id").notIn(kiln.table("small").filter(col("id").isNotNull()).select("id")));
        sameAsSql(withoutNull, "SELECT * FROM probe WHERE id NOT IN (SELECT id FROM small WHERE id IS NOT NULL)", false);
        Frame empty = kiln.table("probe").filter(col("id").notIn(kiln.table("small").filter(lit(false)).select("id")));
        assertEquals(3, empty.count(), "NOT IN over an empty subquery keeps every row, NULL included");
    }

    @Test
    void scalarSubqueryDistinctAggregatesAndSetOperations() {
        Frame f = kiln.table("customer")
                .filter(col("c_acctbal").gt(scalar(kiln.table("customer").agg(avg(col("c_acctbal"))))))
                .groupBy(col("c_nationkey"))
                .agg(count().as("n"), countDistinct(col("c_mktsegment")).as("segments"), max(col("c_acctbal")).as("top"), avg(col("c_acctbal")).as("mean"));
        sameAsSql(f, """
                SELECT c_nationkey, count(*) AS n, count(DISTINCT c_mktsegment) AS segments, max(c_acctbal) AS top, avg(c_acctbal) AS mean
                FROM customer WHERE c_acctbal > (SELECT avg(c_acctbal) FROM customer) GROUP BY c_nationkey""", false);
        Frame a = kiln.table("nation").select("n_regionkey");
        Frame b = kiln.table("region").filter(col("r_regionkey").lt(3)).select("r_regionkey");
        sameAsSql(a.union(b), "SELECT n_regionkey FROM nation UNION SELECT r_regionkey FROM region WHERE r_regionkey < 3", false);
        sameAsSql(a.unionAll(b), "SELECT n_regionkey FROM nation UNION ALL SELECT r_regionkey FROM region WHERE r_regionkey < 3", false);
        sameAsSql(a.intersect(b), "SELECT n_regionkey FROM nation INTERSECT SELECT r_regionkey FROM region WHERE r_regionkey < 3", false);
        sameAsSql(a.except(b), "SELECT n_regionkey FROM nation EXCEPT SELECT r_regionkey FROM region WHERE r_regionkey < 3", false);
    }

    @Test
    void outerJoinsAliasesAndExpressions() {
        Frame n1 = kiln.table("nation").as("n1");
        Frame n2 = kiln.table("nation").as("n2").filter(col("n_nationkey").lt(5));
        Frame f = n1.join(n2, col("n1.n_nationkey").eq(col("n2.n_nationkey")), JoinType.LEFT)
                .select(col("n1.n_name").as("name"), col("n2.n_name").isNull().as("missing"),
                        when(col("n1.n_regionkey").eq(0), "zero").when(col("n1.n_regionkey").eq(1), "one").otherwise("many").as("region"),
                        col("n1.n_name").substring(1, 3).lower().concat("-").concat(col("n1.n_nationkey")).as("tag"))
                .orderBy(col("name"));
        sameAsSql(f, """
                SELECT n1.n_name AS name, n2.n_name IS NULL AS missing,
                  CASE WHEN n1.n_regionkey = 0 THEN 'zero' WHEN n1.n_regionkey = 1 THEN 'one' ELSE 'many' END AS region,
                  lower(substring(n1.n_name, 1, 3)) || '-' || CAST(n1.n_nationkey AS VARCHAR) AS tag
                FROM nation n1 LEFT JOIN (SELECT * FROM nation WHERE n_nationkey < 5) n2 ON n1.n_nationkey = n2.n_nationkey ORDER BY name""", true);
        Frame years = kiln.table("orders").withColumn("year", col("o_orderdate").year()).groupBy("year").count().orderBy(col("year").desc()).offset(1).limit(3);
        sameAsSql(years, "SELECT EXTRACT(YEAR FROM o_orderdate) AS \"year\", count(*) AS \"count\" FROM orders GROUP BY 1 ORDER BY 1 DESC LIMIT 3 OFFSET 1", true);
    }

    @Test
    void startsWithEscapesItsPrefixAndOrderByAfterLimitSortsTheRowsKept() {
        kiln.registerRecords("words", Small.class, List.of(new Small(1L, "50% off"), new Small(2L, "500 off"), new Small(3L, "5_x"), new Small(4L, "5ax")));
        assertEquals(1, kiln.table("words").filter(col("name").startsWith("50%")).count());
        assertEquals(1, kiln.table("words").filter(col("name").startsWith("5_")).count());
        try (QueryResult r = kiln.table("words").orderBy(col("id")).limit(3).orderBy(col("id").desc()).collect()) {
            assertEquals(List.of(3L, 2L, 1L), List.of(r.getLong(0, 0), r.getLong(1, 0), r.getLong(2, 0)));
        }
    }

    public record Small(Long id, String name) {}

    public record Revenue(String lReturnflag, BigDecimal revenue) {}

    @Test
    void recordsInAndOut() {
        List<Revenue> typed = kiln.table("lineitem").filter(col("l_shipdate").lt(date("1993-01-01")))
                .groupBy("l_returnflag").agg(sum(col("l_extendedprice")).as("revenue")).orderBy(col("l_returnflag")).collectAs(Revenue.class);
        try (QueryResult r = kiln.sql("SELECT l_returnflag, sum(l_extendedprice) FROM lineitem WHERE l_shipdate < DATE '1993-01-01' GROUP BY 1 ORDER BY 1")) {
            assertEquals(r.rowCount(), typed.size());
            for (int i = 0; i < typed.size(); i++) {
                assertEquals(new Revenue(r.getString(i, 0), r.getDecimal(i, 1)), typed.get(i));
            }
        }
        record Point(long id, double x, BigDecimal price, LocalDate since, Boolean flag) {}
        List<Point> points = List.of(new Point(1, 0.5, new BigDecimal("1.25"), LocalDate.of(2020, 1, 2), true),
                new Point(2, -1.5, new BigDecimal("10.50"), LocalDate.of(2021, 3, 4), null));
        kiln.registerRecords("points", Point.class, points);
        assertEquals("DECIMAL(18,2)", kiln.tableInfo("points").schema().field(2).type().sql());
        assertEquals(points, kiln.table("points").orderBy(col("id")).collectAs(Point.class));
        try (QueryResult r = kiln.sql("SELECT sum(price), min(since), count(flag) FROM points")) {
            assertEquals(new BigDecimal("11.75"), r.getDecimal(0, 0));
            assertEquals(LocalDate.of(2020, 1, 2), r.getDate(0, 1));
            assertEquals(1, r.getLong(0, 2));
            KilnException wrong = assertThrows(KilnException.class, () -> r.getString(0, 0));
            assertEquals("column 'SUM(price)' is DECIMAL(18,2): read it with getDecimal, not getString", wrong.getMessage());
        }
        record Narrow(long id, double x) {}
        KilnException nullable = assertThrows(KilnException.class, () -> kiln.table("points").select("flag", "x").collectAs(Flag.class));
        assertEquals("column 'flag' into Flag.flag: the column may be NULL, which boolean cannot hold; use Boolean", nullable.getMessage());
        assertEquals(List.of(new Narrow(1, 0.5), new Narrow(2, -1.5)), kiln.table("points").orderBy(col("id")).collectAs(Narrow.class));
    }

    public record Flag(boolean flag, double x) {}

    @Test
    void parametersBindAndReuseCompiledClasses() {
        PreparedPlan p = kiln.table("lineitem")
                .filter(col("l_shipdate").le(param("cutoff", DataType.DATE)).and(col("l_quantity").lt(param("qty", DataType.decimal(15, 2)))))
                .groupBy("l_linestatus").agg(count().as("n")).orderBy(col("l_linestatus")).prepare();
        assertEquals(List.of("cutoff", "qty"), List.copyOf(p.parameters().keySet()));
        PreparedPlan first = p.bind("cutoff", LocalDate.of(1995, 6, 1)).bind("qty", new BigDecimal("10"));
        first.compile();
        for (String[] v : new String[][] {{"1994-01-01", "5"}, {"1996-06-30", "24.5"}}) {
            try (QueryResult r = p.bind("cutoff", LocalDate.parse(v[0])).bind("qty", new BigDecimal(v[1])).collect()) {
                assertEquals(0, r.compileStats().classesCompiled(), "a new binding compiles nothing");
                List<String> expected = rows(kiln.sql("SELECT l_linestatus, count(*) AS n FROM lineitem WHERE l_shipdate <= DATE '" + v[0]
                        + "' AND l_quantity < " + v[1] + " GROUP BY 1 ORDER BY 1"), true);
                assertEquals(expected, rows(r, true));
            }
        }
        KilnException missing = assertThrows(KilnException.class, () -> p.bind("cutoff", LocalDate.of(1995, 1, 1)).collect());
        assertEquals("parameter 'qty' (DECIMAL(15,2)) has no value; parameters: [cutoff, qty]", missing.getMessage());
        KilnException type = assertThrows(KilnException.class, () -> p.bind("cutoff", "1995-01-01"));
        assertEquals("parameter 'cutoff' is DATE and cannot take a String (1995-01-01)", type.getMessage());
        KilnException scale = assertThrows(KilnException.class, () -> p.bind("qty", new BigDecimal("1.125")));
        assertEquals("parameter 'qty': 1.125 has more than 2 decimal places for DECIMAL(15,2)", scale.getMessage());
        KilnException unbound = assertThrows(KilnException.class, () -> kiln.table("nation").filter(col("n_name").eq(param("n", DataType.VARCHAR))).collect());
        assertEquals("the plan has parameters [n] without values; run it with prepare().bind(name, value).collect()", unbound.getMessage());
        try (QueryResult r = kiln.table("nation").filter(col("n_name").eq(param("n", DataType.VARCHAR))).prepare().bind("n", "FRANCE").collect()) {
            assertEquals(6L, r.getLong(0, "n_nationkey"));
        }
    }

    @Test
    void errorsAtTheCallThatCausedThem() {
        Frame orders = kiln.table("orders");
        KilnException unknown = assertThrows(KilnException.class, () -> orders.filter(col("o_orderdat").lt(date("1995-01-01"))));
        assertEquals("filter((o_orderdat < 1995-01-01)): unknown column 'o_orderdat'; available columns: [orders.o_orderkey, orders.o_custkey, "
                + "orders.o_orderstatus, orders.o_totalprice, orders.o_orderdate, orders.o_orderpriority, orders.o_clerk, orders.o_shippriority, orders.o_comment]",
                unknown.getMessage());
        KilnException type = assertThrows(KilnException.class, () -> orders.filter(col("o_orderdate").lt("soon")));
        assertEquals("filter((o_orderdate < 'soon')): cannot compare DATE with VARCHAR using <: CAST one side, e.g. CAST(x AS DATE), in (o_orderdate < 'soon')",
                type.getMessage());
        KilnException notBoolean = assertThrows(KilnException.class, () -> orders.filter(col("o_totalprice").plus(1)));
        assertEquals("filter((o_totalprice + 1)): the condition (o_totalprice + 1) is DECIMAL(16,2), not BOOLEAN", notBoolean.getMessage());
        Frame n1 = kiln.table("nation");
        KilnException ambiguous = assertThrows(KilnException.class, () -> n1.join(kiln.table("nation"), col("n_nationkey").eq(col("n_nationkey"))));
        assertEquals("inner join on (n_nationkey = n_nationkey): column 'n_nationkey' is ambiguous: it could be nation.n_nationkey or nation.n_nationkey; "
                + "qualify it, e.g. col(\"nation.n_nationkey\"), or give an input a name with as(...)", ambiguous.getMessage());
        KilnException notGrouped = assertThrows(KilnException.class, () -> orders.groupBy("o_orderstatus").agg(sum(col("o_totalprice")), col("o_clerk")));
        assertEquals("groupBy(o_orderstatus).agg(sum(o_totalprice), o_clerk): column 'o_clerk' is neither a group key nor inside an aggregate; "
                + "add it to groupBy(...) or aggregate it, e.g. anyValue(col(\"o_clerk\"))", notGrouped.getMessage());
        KilnException aggInFilter = assertThrows(KilnException.class, () -> orders.filter(sum(col("o_totalprice")).gt(1)));
        assertEquals("filter((sum(o_totalprice) > 1)): the aggregate sum(o_totalprice) is only allowed in agg(...) or in a select(...) of aggregates", aggInFilter.getMessage());
        KilnException sumText = assertThrows(KilnException.class, () -> orders.agg(sum(col("o_clerk"))));
        assertEquals("agg(sum(o_clerk)): SUM needs a numeric argument, not VARCHAR, in sum(o_clerk)", sumText.getMessage());
        KilnException union = assertThrows(KilnException.class, () -> orders.select("o_orderkey").unionAll(orders.select("o_clerk")));
        assertEquals("unionAll: column 1 (o_orderkey, o_clerk) is BIGINT on one side and VARCHAR on the other; cast one side", union.getMessage());
        KilnException table = assertThrows(KilnException.class, () -> kiln.table("orderz"));
        assertTrue(table.getMessage().startsWith("table 'orderz' is not registered"), table.getMessage());
    }

    @Test
    void explainAndCodegenOfAPlan() {
        Frame f = kiln.table("orders").filter(col("o_totalprice").gt(decimal("100000.00"))).groupBy("o_orderstatus").count();
        String explain = f.explain().render();
        assertTrue(explain.contains("Aggregate"), explain);
        assertTrue(explain.contains("orders"), explain);
        String code = f.explainCodegen();
        assertTrue(code.contains("class"), code);
        assertEquals(kiln.explainCodegen("SELECT o_orderstatus, count(*) FROM orders WHERE o_totalprice > 100000.00 GROUP BY o_orderstatus"), code,
                "the plan API and SQL compile the same query to the same code");
    }
}
