package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.TableBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A query text run again reuses its optimized plan, and any change to the catalog — a table
 * registered again, a view replaced, statistics gathered — makes the session plan it afresh, so
 * a cached plan never reads stale tables or definitions.
 */
class PlanCacheTest {
    private static final String SUM = "SELECT count(*), sum(n) FROM numbers";

    private static void register(Kiln kiln, QueryMemory mem, long rows) {
        TableBuilder b = new TableBuilder("numbers", Schema.of(new Field("n", DataType.BIGINT, false)), mem);
        for (long i = 1; i <= rows; i++) b.appendRow(i);
        kiln.registerTable(b.build());
    }

    private static Object[] once(Kiln kiln, String sql, boolean expectCached) {
        try (QueryResult r = kiln.sql(sql)) {
            assertEquals(expectCached, r.timings().planCached(), sql);
            return r.rows().getFirst();
        }
    }

    @Test
    void aRepeatedQueryReusesItsPlanUntilTheCatalogChanges() {
        try (Kiln kiln = Kiln.open(); QueryMemory mem = new QueryMemory(1L << 28)) {
            register(kiln, mem, 10);
            assertEquals(List.of(10L, 55L), List.of(once(kiln, SUM, false)));
            assertEquals(List.of(10L, 55L), List.of(once(kiln, SUM, true)));
            // the same name, other rows: the plan (and its table reference) is made again
            register(kiln, mem, 100);
            assertEquals(List.of(100L, 5050L), List.of(once(kiln, SUM, false)));
            assertEquals(List.of(100L, 5050L), List.of(once(kiln, SUM, true)));
            kiln.sql("ANALYZE numbers").close();
            assertEquals(List.of(100L, 5050L), List.of(once(kiln, SUM, false)));
        }
    }

    @Test
    void aRepeatedQueryOverInMemoryTablesRunsItsCompiledQueryAgain() {
        try (Kiln kiln = Kiln.open(); QueryMemory mem = new QueryMemory(1L << 28)) {
            register(kiln, mem, 1000);
            String q = "SELECT n % 7 AS k, count(*) FROM numbers WHERE n > 10 GROUP BY 1 ORDER BY 1";
            List<String> first;
            try (QueryResult r = kiln.sql(q)) {
                first = r.rows().stream().map(java.util.Arrays::toString).toList();
            }
            for (int i = 0; i < 3; i++) {
                try (QueryResult r = kiln.sql(q)) {
                    assertEquals(first, r.rows().stream().map(java.util.Arrays::toString).toList());
                    assertEquals(0, r.compileStats().classesCompiled());
                    assertEquals(0L, r.compileStats().compileNanos());
                    assertEquals(true, r.compileStats().cacheHits() > 0);
                }
            }
            assertEquals("[0, 141]", first.getFirst());
        }
    }

    @Test
    void aReplacedViewIsNeverReadThroughAnOldPlan() {
        try (Kiln kiln = Kiln.open(); QueryMemory mem = new QueryMemory(1L << 28)) {
            register(kiln, mem, 10);
            kiln.sql("CREATE VIEW small AS SELECT n FROM numbers WHERE n <= 3").close();
            String q = "SELECT sum(n) FROM small";
            assertEquals(6L, once(kiln, q, false)[0]);
            assertEquals(6L, once(kiln, q, true)[0]);
            kiln.sql("CREATE OR REPLACE VIEW small AS SELECT n FROM numbers WHERE n >= 9").close();
            assertEquals(19L, once(kiln, q, false)[0]);
            kiln.sql("DROP VIEW small").close();
            kiln.sql("CREATE VIEW small AS SELECT n * 2 AS n FROM numbers WHERE n = 1").close();
            assertEquals(2L, once(kiln, q, false)[0]);
        }
    }

    @Test
    void aSessionWithoutAPlanCachePlansEveryTime() {
        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withPlanCache(0)); QueryMemory mem = new QueryMemory(1L << 28)) {
            register(kiln, mem, 10);
            for (int i = 0; i < 3; i++) assertEquals(List.of(10L, 55L), List.of(once(kiln, SUM, false)));
        }
    }

    @Test
    void theCacheKeepsOnlyTheMostRecentlyUsedPlans() {
        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withPlanCache(2)); QueryMemory mem = new QueryMemory(1L << 28)) {
            register(kiln, mem, 10);
            String a = "SELECT sum(n) FROM numbers WHERE n > 1";
            String b = "SELECT sum(n) FROM numbers WHERE n > 2";
            String c = "SELECT sum(n) FROM numbers WHERE n > 3";
            once(kiln, a, false);
            once(kiln, b, false);
            once(kiln, a, true); // a is now the most recent: c evicts b
            once(kiln, c, false);
            once(kiln, a, true);
            assertEquals(52L, once(kiln, b, false)[0]);
        }
    }
}
