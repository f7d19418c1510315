package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FULL OUTER joins and the semi/anti joins built on their kept side (RIGHT_SEMI, RIGHT_ANTI),
 * with NULL keys, residual conditions, parallel drains and a budget small enough to spill the
 * marked build side, against DuckDB on the same TPC-H rows. Each query also states which join the
 * plan must use, so the comparison exercises the marked-table code, not some other plan.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JoinKindsOracleTest {
    private static final String NULLABLE_NATIONS = "(SELECT CASE WHEN n_nationkey % 3 = 0 THEN NULL ELSE n_nationkey END AS k, n_name FROM nation)";
    private static final String NULLABLE_SUPPLIERS = "(SELECT CASE WHEN s_suppkey % 5 = 0 THEN NULL ELSE s_nationkey END AS k2, s_name FROM supplier WHERE s_suppkey <= 60)";

    /** (query, a join kind its optimized plan must contain, ORDER BY columns) */
    static Stream<Arguments> queries() {
        return Stream.of(
                Arguments.of("SELECT a.k, a.n_name, b.k2, b.s_name FROM " + NULLABLE_NATIONS + " a FULL OUTER JOIN " + NULLABLE_SUPPLIERS
                        + " b ON a.k = b.k2 AND b.s_name > 'Supplier#000000010' ORDER BY 1, 2, 3, 4", "Join FULL", new int[] {0, 1, 2, 3}),
                Arguments.of("SELECT count(*), count(a.k), count(b.k2), sum(b.k2) FROM " + NULLABLE_NATIONS + " a FULL JOIN " + NULLABLE_SUPPLIERS
                        + " b ON a.k = b.k2", "Join FULL", new int[] {}),
                // a FULL join whose build side (orders) is drained in many ranges
                Arguments.of("SELECT count(*), count(o_orderkey), count(c_custkey), sum(o_totalprice) FROM (SELECT * FROM customer WHERE c_custkey % 4 <> 0) c "
                        + "FULL OUTER JOIN (SELECT * FROM orders WHERE o_orderkey % 7 <> 0) o ON c_custkey = o_custkey", "Join FULL", new int[] {}),
                Arguments.of("SELECT c_custkey, c_name FROM customer WHERE c_custkey < 200 AND NOT EXISTS "
                        + "(SELECT * FROM orders WHERE o_custkey = c_custkey) ORDER BY 1", "RIGHT_ANTI", new int[] {0}),
                Arguments.of("SELECT o_orderkey, o_orderpriority FROM orders WHERE o_orderkey < 3000 AND EXISTS "
                        + "(SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate) ORDER BY 1", "RIGHT_SEMI", new int[] {0}),
                Arguments.of("SELECT o_orderpriority, count(*) FROM orders WHERE o_orderdate >= DATE '1995-01-01' AND o_orderdate < DATE '1995-02-01' AND EXISTS "
                        + "(SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_quantity > 45) GROUP BY 1 ORDER BY 1", "RIGHT_SEMI", new int[] {0}),
                Arguments.of("SELECT c_custkey FROM customer LEFT JOIN orders ON o_custkey = c_custkey WHERE o_orderkey IS NULL AND c_custkey < 300 ORDER BY 1",
                        "RIGHT_ANTI", new int[] {0}),
                // two FULL joins in one pipeline: the inner table's drained rows still mark the outer's
                Arguments.of("SELECT count(*), count(a.k), count(b.k2), count(c.c_custkey), sum(c.c_custkey) FROM " + NULLABLE_NATIONS + " a FULL JOIN "
                        + NULLABLE_SUPPLIERS + " b ON a.k = b.k2 FULL JOIN (SELECT c_custkey, c_nationkey FROM customer WHERE c_custkey < 50) c ON c.c_nationkey = b.k2",
                        "Join FULL", new int[] {}),
                Arguments.of("SELECT a.k, b.s_name, c.c_custkey FROM " + NULLABLE_NATIONS + " a FULL JOIN " + NULLABLE_SUPPLIERS
                        + " b ON a.k = b.k2 FULL JOIN (SELECT c_custkey, c_nationkey FROM customer WHERE c_custkey < 30) c ON c.c_nationkey = a.k ORDER BY 1, 2, 3",
                        "Join FULL", new int[] {0, 1, 2}),
                Arguments.of("SELECT n.k, n.n_name FROM " + NULLABLE_NATIONS + " n WHERE NOT EXISTS (SELECT * FROM supplier WHERE s_nationkey = n.k AND s_acctbal > 9000) ORDER BY 1, 2",
                        "ANTI", new int[] {0, 1}),
                // aggregate FILTER clauses (each a CASE column under its aggregate), grouped and over all rows with nothing passing
                Arguments.of("SELECT l_returnflag, count(*) FILTER (WHERE l_quantity > 25), sum(l_extendedprice) FILTER (WHERE l_discount > 0.05), "
                        + "avg(l_tax) FILTER (WHERE l_shipmode = 'AIR'), min(l_shipdate) FILTER (WHERE l_linestatus = 'F'), count(*) FROM lineitem GROUP BY 1 ORDER BY 1",
                        "Aggregate", new int[] {0}),
                Arguments.of("SELECT count(*) FILTER (WHERE l_quantity > 100), sum(l_quantity) FILTER (WHERE l_quantity > 100), "
                        + "max(l_quantity) FILTER (WHERE l_quantity < 2), count(l_comment) FILTER (WHERE l_quantity < 2) FROM lineitem", "Aggregate", new int[] {}));
    }

    private DuckDbOracle duck;
    private Kiln serial;
    private Kiln parallel;
    private Kiln tight;

    @BeforeAll
    void load() throws Exception {
        serial = Kiln.open(KilnConfig.defaults().withThreads(1));
        parallel = Kiln.open(KilnConfig.defaults().withThreads(3));
        // small enough that the sink tables of these queries spill to disk
        tight = Kiln.open(KilnConfig.defaults().withThreads(2).withMemoryBudget(1L << 20));
        duck = new DuckDbOracle();
        for (Kiln k : List.of(serial, parallel, tight)) k.registerTpch(0.01);
        for (String t : serial.tableNames()) duck.load(serial.tableData(t));
    }

    @AfterAll
    void close() throws Exception {
        serial.close();
        parallel.close();
        tight.close();
        duck.close();
    }

    @ParameterizedTest(name = "{index}: {1}")
    @MethodSource("queries")
    void matchesDuckDb(String sql, String joinInPlan, int[] orderColumns) throws Exception {
        String plan = serial.explain(sql).render();
        assertTrue(plan.contains(joinInPlan), "the plan should use " + joinInPlan + ":\n" + plan);
        List<Object[]> expected = duck.query(sql);
        assertTrue(!expected.isEmpty(), "DuckDB returned no rows; the comparison would be vacuous");
        for (var k : List.of(java.util.Map.entry("1 thread", serial), java.util.Map.entry("3 threads", parallel), java.util.Map.entry("1 MB budget", tight))) {
            try (QueryResult r = k.getValue().sql(sql)) {
                ResultComparison.assertSameRows(expected, r.rows(), orderColumns, k.getKey() + ": " + sql);
            }
        }
    }
}
