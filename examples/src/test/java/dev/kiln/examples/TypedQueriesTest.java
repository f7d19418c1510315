package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.engine.Kiln;
import dev.kiln.engine.QueryResult;
import dev.kiln.ir.KilnException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generated implementation of {@link Pricing} against the same queries run as SQL text. */
class TypedQueriesTest {
    private static Kiln kiln;
    private static Pricing pricing;

    @BeforeAll
    static void open() {
        kiln = Kiln.open();
        kiln.registerTpch(0.01);
        pricing = kiln.bind(Pricing.class);
    }

    @AfterAll
    static void close() {
        kiln.close();
    }

    @Test
    void summaryMatchesSql() {
        for (LocalDate cutoff : List.of(LocalDate.of(1993, 1, 1), LocalDate.of(1995, 6, 17), LocalDate.of(1998, 12, 1))) {
            List<Pricing.FlagQty> expected = new ArrayList<>();
            try (QueryResult r = kiln.sql("SELECT l_returnflag, sum(l_quantity) FROM lineitem WHERE l_shipdate <= DATE '" + cutoff + "' GROUP BY 1 ORDER BY 1")) {
                for (int i = 0; i < r.rowCount(); i++) expected.add(new Pricing.FlagQty(r.getString(i, 0), r.getDecimal(i, 1)));
            }
            assertTrue(!expected.isEmpty());
            assertEquals(expected, pricing.summary(cutoff), "cutoff " + cutoff);
        }
    }

    @Test
    void q1AndQ4MatchSql() {
        List<Pricing.Summary> q1 = pricing.q1(LocalDate.of(1998, 9, 2));
        try (QueryResult r = kiln.sql("""
                SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)), avg(l_discount), count(*)
                FROM lineitem WHERE l_shipdate <= DATE '1998-09-02' GROUP BY 1, 2 ORDER BY 1, 2""")) {
            assertEquals(r.rowCount(), q1.size());
            for (int i = 0; i < q1.size(); i++) {
                assertEquals(new Pricing.Summary(r.getString(i, 0), r.getString(i, 1), r.getDecimal(i, 2), r.getDecimal(i, 3), r.getDouble(i, 4), r.getLong(i, 5)), q1.get(i));
            }
        }
        List<Pricing.PriorityCount> q4 = pricing.q4(LocalDate.of(1993, 7, 1));
        try (QueryResult r = kiln.sql("""
                SELECT o_orderpriority, count(*) FROM orders WHERE o_orderdate >= DATE '1993-07-01' AND o_orderdate < DATE '1993-10-01'
                AND EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate) GROUP BY 1 ORDER BY 1""")) {
            assertEquals(5, q4.size());
            for (int i = 0; i < q4.size(); i++) assertEquals(new Pricing.PriorityCount(r.getString(i, 0), r.getLong(i, 1)), q4.get(i));
        }
    }

    @Test
    void singleValuesOptionalsAndLists() {
        try (QueryResult r = kiln.sql("SELECT sum(l_extendedprice * (1 - l_discount)) FROM lineitem WHERE l_orderkey = 1")) {
            assertEquals(Optional.of(r.getDecimal(0, 0)), pricing.revenue(1));
        }
        assertEquals(Optional.empty(), pricing.revenue(8), "TPC-H order keys skip 8 to 31: no line, so HAVING keeps no row");
        try (QueryResult r = kiln.sql("SELECT count(*) FROM lineitem WHERE l_shipmode = 'AIR' AND l_shipdate < DATE '1995-01-01'")) {
            assertEquals(r.getLong(0, 0), pricing.shipments("AIR", LocalDate.of(1995, 1, 1)));
        }
        assertEquals(0, pricing.shipments("it's not a mode", LocalDate.of(1995, 1, 1)), "a quote in a parameter is data, not SQL");
        assertEquals(0, pricing.shipments(null, LocalDate.of(1995, 1, 1)), "a NULL argument: l_shipmode = NULL is never TRUE");
        assertEquals(List.of("1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"), pricing.priorities());
    }

    @Test
    void bindingChecksTheSessionsTables() {
        try (Kiln other = Kiln.open()) {
            other.sql("CREATE TABLE lineitem (l_orderkey VARCHAR)");
            KilnException e = assertThrows(KilnException.class, () -> other.bind(Pricing.class));
            assertEquals("LineItem declares column 'l_orderkey' of table 'lineitem' as BIGINT, but it is VARCHAR", e.getMessage());
        }
        try (Kiln nullable = Kiln.open()) {
            nullable.sql("CREATE TABLE lineitem (l_orderkey BIGINT)");
            KilnException e = assertThrows(KilnException.class, () -> nullable.bind(Pricing.class));
            assertEquals("LineItem declares column 'l_orderkey' of table 'lineitem' NOT NULL, but it may be NULL in this session", e.getMessage());
        }
        try (Kiln empty = Kiln.open()) {
            KilnException e = assertThrows(KilnException.class, () -> empty.bind(Pricing.class));
            assertEquals("LineItem declares table 'lineitem', which this session does not have; tables: []", e.getMessage());
        }
        KilnException notGenerated = assertThrows(KilnException.class, () -> kiln.bind(Runnable.class));
        assertTrue(notGenerated.getMessage().startsWith("no generated implementation java.lang.KilnQueries_Runnable for java.lang.Runnable"), notGenerated.getMessage());
    }

    @Test
    void theExamplesRun() throws Exception {
        List<Examples.Revenue> revenue = Examples.planApi(kiln);
        try (QueryResult r = kiln.sql("""
                SELECT l_returnflag, sum(l_extendedprice * l_discount) AS revenue FROM lineitem
                WHERE l_shipdate >= DATE '1994-01-01' AND l_discount BETWEEN 0.05 AND 0.07 GROUP BY 1 ORDER BY 2 DESC""")) {
            assertEquals(r.rowCount(), revenue.size());
            for (int i = 0; i < revenue.size(); i++) assertEquals(new Examples.Revenue(r.getString(i, 0), r.getDecimal(i, 1)), revenue.get(i));
        }
        try (QueryResult r = kiln.sql("SELECT count(*) FROM orders WHERE o_orderdate < DATE '1995-01-01'")) {
            assertEquals(r.getLong(0, 0), Examples.jdbc(LocalDate.of(1995, 1, 1)));
        }
        try (QueryResult api = Examples.lateUrgentOrders(kiln).collect();
             QueryResult sql = kiln.sql("""
                     SELECT o_orderstatus, count(*) FROM orders WHERE o_orderpriority = '1-URGENT'
                     AND EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate) GROUP BY 1 ORDER BY 1""")) {
            assertEquals(sql.rowCount(), api.rowCount());
            for (int i = 0; i < sql.rowCount(); i++) {
                assertEquals(sql.getString(i, 0), api.getString(i, 0));
                assertEquals(sql.getLong(i, 1), api.getLong(i, "orders"));
            }
        }
    }
}
