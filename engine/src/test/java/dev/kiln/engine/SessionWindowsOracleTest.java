package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.TableBuilder;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Batch session windows (GROUP BY SESSION(ts, gap), keys) against DuckDB, which has no session
 * windows: there a session is numbered by a running sum of "the gap to the previous row of the
 * key is at least the session gap" (LAG and SUM OVER), the classic sessionization in SQL. Keys
 * and times with NULLs, ties, and many rows (a parallel sort over several morsels).
 */
class SessionWindowsOracleTest {
    static final Schema EV = Schema.of(new Field("u", DataType.VARCHAR, true), new Field("g", DataType.BIGINT, false),
            new Field("ts", DataType.TIMESTAMP, true), new Field("v", DataType.BIGINT, true));

    static final String KILN = "SELECT u, g, SESSION_START(ts, INTERVAL '30' SECOND) AS s, SESSION_END(ts, INTERVAL '30' SECOND) AS e, "
            + "count(*) AS n, sum(v) AS sv, min(v) AS mv FROM ev GROUP BY SESSION(ts, INTERVAL '30' SECOND), u, g";

    static final String DUCK = """
            WITH o AS (SELECT u, g, ts, v, CASE WHEN ts - lag(ts) OVER (PARTITION BY u, g ORDER BY ts) < INTERVAL 30 SECOND THEN 0 ELSE 1 END AS brk
                       FROM ev WHERE ts IS NOT NULL),
                 s AS (SELECT *, sum(brk) OVER (PARTITION BY u, g ORDER BY ts ROWS UNBOUNDED PRECEDING) AS sid FROM o)
            SELECT u, g, min(ts), max(ts) + INTERVAL 30 SECOND, count(*), sum(v)::BIGINT, min(v) FROM s GROUP BY u, g, sid
            UNION ALL
            SELECT u, g, NULL, NULL, count(*), sum(v)::BIGINT, min(v) FROM ev WHERE ts IS NULL GROUP BY u, g""";

    @Test
    void sessionsMatchDuckDbSessionization() throws Exception {
        Random rnd = new Random(42);
        LocalDateTime t0 = LocalDateTime.of(2026, 12, 1, 0, 0);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            // per key, times a few seconds to a minute apart: sessions of a few rows, with ties and gaps of exactly 30 s
            long sec = rnd.nextInt(5) == 0 ? 30L * rnd.nextInt(2000) : rnd.nextInt(60_000);
            rows.add(new Object[] {rnd.nextInt(20) == 0 ? null : "u" + rnd.nextInt(300), (long) rnd.nextInt(3),
                    rnd.nextInt(50) == 0 ? null : t0.plusSeconds(sec).plusNanos(rnd.nextInt(3) * 1_000_000L), rnd.nextInt(10) == 0 ? null : (long) rnd.nextInt(100)});
        }
        try (DuckDbOracle duck = new DuckDbOracle(); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("ev", EV, mem);
            for (Object[] r : rows) tb.appendRow(r);
            var table = tb.build();
            duck.load(table);
            List<Object[]> expected = new ArrayList<>();
            for (Object[] r : duck.query("SELECT * FROM (" + DUCK + ") ORDER BY 1 NULLS FIRST, 2, 3 NULLS FIRST")) {
                for (int c = 0; c < r.length; c++) if (r[c] instanceof java.sql.Timestamp t) r[c] = t.toLocalDateTime();
                expected.add(r);
            }
            assertTrue(expected.size() > 10_000, "sessions expected: " + expected.size());
            for (var config : Map.of("1 thread", KilnConfig.defaults().withThreads(1), "2 threads", KilnConfig.defaults().withThreads(2)).entrySet()) {
                try (Kiln kiln = Kiln.open(config.getValue())) {
                    kiln.registerTable(table);
                    assertTrue(kiln.explain(KILN).render().contains("SessionWindow"), "the plan computes sessions");
                    // ordered by the group keys, which identify a row: compared row by row
                    try (QueryResult r = kiln.sql(KILN + " ORDER BY u NULLS FIRST, g, s NULLS FIRST")) {
                        ResultComparison.assertSameRows(expected, r.rows(), new int[] {0, 1, 2}, config.getKey());
                    }
                }
            }
        }
    }

    @Test
    void sessionsOfAFewRowsByHand() throws Exception {
        LocalDateTime t0 = LocalDateTime.of(2026, 12, 1, 0, 0);
        try (Kiln kiln = Kiln.open(); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("ev", EV, mem);
            // u1: 0 s, 10 s, 39 s (29 s after 10 s: same session), 69 s (exactly 30 s later: a new one); u2: one row; a NULL time
            tb.appendRow("u1", 1L, t0, 1L);
            tb.appendRow("u1", 1L, t0.plusSeconds(39), 3L);
            tb.appendRow("u1", 1L, t0.plusSeconds(10), 2L);
            tb.appendRow("u1", 1L, t0.plusSeconds(69), 4L);
            tb.appendRow("u2", 1L, t0.plusSeconds(5), 5L);
            tb.appendRow("u2", 1L, null, 6L);
            kiln.registerTable(tb.build());
            try (QueryResult r = kiln.sql(KILN + " ORDER BY u, s NULLS LAST")) {
                assertEquals(List.of(
                        List.of("u1", 1L, t0, t0.plusSeconds(69), 3L, 6L, 1L),
                        List.of("u1", 1L, t0.plusSeconds(69), t0.plusSeconds(99), 1L, 4L, 4L),
                        List.of("u2", 1L, t0.plusSeconds(5), t0.plusSeconds(35), 1L, 5L, 5L),
                        java.util.Arrays.asList("u2", 1L, null, null, 1L, 6L, 6L)),
                        r.rows().stream().map(java.util.Arrays::asList).toList());
            }
        }
    }
}
