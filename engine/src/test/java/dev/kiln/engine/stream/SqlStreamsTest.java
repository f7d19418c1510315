package dev.kiln.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.connectors.files.FileSink;
import dev.kiln.connectors.ysb.YsbGenerator;
import dev.kiln.engine.Kiln;
import dev.kiln.engine.QueryResult;
import dev.kiln.ir.KilnException;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.MemorySink;
import dev.kiln.runtime.stream.OutputMode;
import dev.kiln.runtime.vector.TableBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CREATE STREAM / CREATE SINK / INSERT INTO sink in SQL, checked against the batch query. */
class SqlStreamsTest {
    static final String YSB = """
            SELECT c.campaign_id, TUMBLE_START(e.event_time, INTERVAL '10' SECOND) AS window_start, count(*) AS events
            FROM events e JOIN campaigns c ON e.ad_id = c.ad_id WHERE e.event_type = 'view'
            GROUP BY c.campaign_id, TUMBLE(e.event_time, INTERVAL '10' SECOND)""";

    @Test
    void ysbInSqlIntoAMemorySinkEqualsTheBatchQuery(@TempDir Path dir) throws Exception {
        try (Kiln kiln = Kiln.open()) {
            kiln.sql("CREATE STREAM events WITH (connector = 'ysb', events = '30000', events_per_second = '1000', seed = '3', watermark = '1 second')").close();
            kiln.sql("CREATE SINK counts WITH (connector = 'memory', output_mode = 'update', trigger = 'available_now', max_rows_per_batch = '7000', checkpoint = '"
                    + dir.resolve("ck") + "')").close();
            try (QueryResult r = kiln.sql("INSERT INTO counts " + YSB)) {
                assertEquals("INSERT INTO counts: streaming query started", r.message().orElseThrow());
            }
            StreamingQuery q = kiln.streamingQueries().getFirst();
            q.awaitTermination();
            assertEquals(5 + 1, q.recentProgress().size(), "30000 rows in batches of 7000, then one without data that closes the windows");
            assertEquals(expected(), sorted(kiln.memorySink("counts").rows()));
        }
    }

    @Test
    void appendIntoFilesWritesEachClosedWindowOnce(@TempDir Path dir) throws Exception {
        try (Kiln kiln = Kiln.open()) {
            kiln.sql("CREATE STREAM events WITH (connector = 'ysb', events = '30000', events_per_second = '1000', seed = '3', watermark = '1 second')").close();
            kiln.sql("CREATE SINK out WITH (connector = 'files', path = '" + dir.resolve("out") + "', output_mode = 'append', trigger = 'available_now')").close();
            kiln.sql("INSERT INTO out " + YSB).close();
            kiln.streamingQueries().getFirst().awaitTermination();
            List<String> lines = new ArrayList<>(FileSink.readAll(dir.resolve("out")));
            lines.sort(null);
            // the windows the final watermark closed: events span 30 s of event time (1000 per second),
            // the watermark is the newest event time minus 1 s, so the window starting at +20 s stays open
            YsbGenerator gen = new YsbGenerator(3, 1_760_000_000_000L, 1000);
            long watermarkMillis = gen.eventTimeMillis(29_999) - 1000;
            List<String> want = expected().stream().map(s -> s.substring(1, s.length() - 1).replace(", ", ","))
                    .filter(l -> java.time.LocalDateTime.parse(l.split(",")[1]).toInstant(java.time.ZoneOffset.UTC).toEpochMilli() + 10_000 <= watermarkMillis)
                    .sorted().toList();
            assertTrue(want.size() >= 200, "closed windows: " + want.size());
            assertEquals(want, lines);
        }
    }

    @Test
    void slidingWindowsInUpdateAndAppendMode(@TempDir Path dir) throws Exception {
        String hop = """
                SELECT c.campaign_id, HOP_START(e.event_time, INTERVAL '5' SECOND, INTERVAL '15' SECOND) AS ws,
                       HOP_END(e.event_time, INTERVAL '5' SECOND, INTERVAL '15' SECOND) AS we, count(*) AS events
                FROM events e JOIN campaigns c ON e.ad_id = c.ad_id WHERE e.event_type = 'view'
                GROUP BY c.campaign_id, HOP(e.event_time, INTERVAL '5' SECOND, INTERVAL '15' SECOND)""";
        YsbGenerator gen = new YsbGenerator(3, 1_760_000_000_000L, 1000);
        List<Object[]> want;
        try (Kiln batch = Kiln.open(); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("events", YsbGenerator.EVENT_SCHEMA, mem);
            for (Object[] r : gen.eventRows(0, 30000)) tb.appendRow(r);
            batch.registerTable(tb.build());
            batch.registerTable(gen.campaigns(mem).withName("campaigns"));
            try (QueryResult r = batch.sql(hop)) {
                want = new ArrayList<>(r.rows());
            }
        }
        // every row counts in three windows: the batch answer has windows starting up to 10 s before the first event
        assertTrue(want.size() > 300, "windows: " + want.size());
        // the plan API's hopWindows is the same query
        try (Kiln batch = Kiln.open(); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("events", YsbGenerator.EVENT_SCHEMA, mem);
            for (Object[] r : gen.eventRows(0, 30000)) tb.appendRow(r);
            batch.registerTable(tb.build());
            batch.registerTable(gen.campaigns(mem).withName("campaigns"));
            var frame = batch.table("events").filter(dev.kiln.frontend.plan.Functions.col("event_type").eq("view"))
                    .hopWindows("event_time", java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(15), "ws")
                    .join(batch.table("campaigns"), dev.kiln.frontend.plan.Functions.col("events.ad_id").eq(dev.kiln.frontend.plan.Functions.col("campaigns.ad_id")))
                    .groupBy(dev.kiln.frontend.plan.Functions.col("campaign_id"), dev.kiln.frontend.plan.Functions.col("ws"))
                    .agg(dev.kiln.frontend.plan.Functions.count().as("events"));
            try (QueryResult r = frame.collect()) {
                assertEquals(sorted(want.stream().map(w -> new Object[] {w[0], w[1], w[3]}).toList()), sorted(r.rows()));
            }
        }
        long watermarkMillis = gen.eventTimeMillis(29_999) - 1000;
        for (OutputMode mode : List.of(OutputMode.UPDATE, OutputMode.APPEND)) {
            try (Kiln kiln = Kiln.open()) {
                kiln.sql("CREATE STREAM events WITH (connector = 'ysb', events = '30000', events_per_second = '1000', seed = '3', watermark = '1 second')").close();
                MemorySink sink = new MemorySink("out");
                StreamingQuery q = kiln.writeStream(hop).outputMode(mode).trigger(Trigger.availableNow()).maxRowsPerBatch(4000)
                        .checkpointLocation(dir.resolve(mode.name())).to(sink).start();
                q.awaitTermination();
                q.close();
                List<Object[]> expected = mode == OutputMode.UPDATE ? want : want.stream()
                        .filter(r -> ((java.time.LocalDateTime) r[2]).toInstant(java.time.ZoneOffset.UTC).toEpochMilli() <= watermarkMillis).toList();
                assertEquals(sorted(expected), sorted(sink.rows()), mode.toString());
            }
        }
    }

    /**
     * Session windows per ad (a gap of 30 ms at 1,000 events/s over 30 ads: sessions of a few
     * events that merge as batches bring the rows between them), in UPDATE and APPEND against the
     * batch query, the plan API's sessionWindows against the SQL, and the explained state.
     */
    @Test
    void sessionWindowsInUpdateAndAppendMode(@TempDir Path dir) throws Exception {
        String sessions = """
                SELECT ad_id, SESSION_START(event_time, INTERVAL '0.03' SECOND) AS s, SESSION_END(event_time, INTERVAL '0.03' SECOND) AS e, count(*) AS events
                FROM events WHERE event_type = 'view'
                GROUP BY SESSION(event_time, INTERVAL '0.03' SECOND), ad_id""";
        YsbGenerator gen = new YsbGenerator(3, 1_760_000_000_000L, 1000);
        List<Object[]> want;
        try (Kiln batch = Kiln.open(); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("events", YsbGenerator.EVENT_SCHEMA, mem);
            for (Object[] r : gen.eventRows(0, 20000)) tb.appendRow(r);
            batch.registerTable(tb.build());
            try (QueryResult r = batch.sql(sessions)) {
                want = new ArrayList<>(r.rows());
            }
            assertTrue(want.size() > 1000 && want.stream().anyMatch(r -> (Long) r[3] > 1), "sessions: " + want.size());
            var frame = batch.table("events").filter(dev.kiln.frontend.plan.Functions.col("event_type").eq("view"))
                    .sessionWindows("event_time", java.time.Duration.ofMillis(30), "s", "ad_id")
                    .groupBy(dev.kiln.frontend.plan.Functions.col("ad_id"), dev.kiln.frontend.plan.Functions.col("s"))
                    .agg(dev.kiln.frontend.plan.Functions.count().as("events"));
            try (QueryResult r = frame.collect()) {
                assertEquals(sorted(want.stream().map(w -> new Object[] {w[0], w[1], w[3]}).toList()), sorted(r.rows()));
            }
        }
        long watermarkMillis = gen.eventTimeMillis(19_999) - 1000;
        for (OutputMode mode : List.of(OutputMode.UPDATE, OutputMode.APPEND)) {
            try (Kiln kiln = Kiln.open()) {
                kiln.sql("CREATE STREAM events WITH (connector = 'ysb', events = '20000', events_per_second = '1000', seed = '3', watermark = '1 second')").close();
                MemorySink sink = new MemorySink("out");
                StreamingQuery q = kiln.writeStream(sessions).outputMode(mode).trigger(Trigger.availableNow()).maxRowsPerBatch(1500)
                        .checkpointLocation(dir.resolve(mode.name())).to(sink).start();
                String explain = q.explain();
                assertTrue(explain.contains("gap=30ms by [ad_id]  -- state: the rows of open sessions"), explain);
                // SESSION_END's MAX(event_time) is the session's end: no second MAX is added
                assertTrue(explain.contains("aggs=[$f2 := MAX(#[2]), events := COUNT(*)] window=$f2+30ms (session session_start)"), explain);
                q.awaitTermination();
                q.close();
                List<Object[]> expected = mode == OutputMode.UPDATE ? want : want.stream()
                        .filter(r -> ((java.time.LocalDateTime) r[2]).toInstant(java.time.ZoneOffset.UTC).toEpochMilli() <= watermarkMillis).toList();
                assertEquals(sorted(expected), sorted(sink.rows()), mode.toString());
                // the plan API's query has no MAX(event_time): the pass adds it to know when sessions end
                MemorySink planSink = new MemorySink("plan");
                var frame = kiln.table("events").filter(dev.kiln.frontend.plan.Functions.col("event_type").eq("view"))
                        .sessionWindows("event_time", java.time.Duration.ofMillis(30), "s", "ad_id")
                        .groupBy(dev.kiln.frontend.plan.Functions.col("ad_id"), dev.kiln.frontend.plan.Functions.col("s"))
                        .agg(dev.kiln.frontend.plan.Functions.count().as("events"));
                StreamingQuery p = frame.writeStream().outputMode(mode).trigger(Trigger.availableNow()).maxRowsPerBatch(1500)
                        .checkpointLocation(dir.resolve("plan-" + mode.name())).to(planSink).start();
                assertTrue(p.explain().contains("$session_end := MAX("), p.explain());
                p.awaitTermination();
                p.close();
                assertEquals(sorted(expected.stream().map(w -> new Object[] {w[0], w[1], w[3]}).toList()), sorted(planSink.rows()), "plan API, " + mode);
            }
        }
    }

    @Test
    void errorsNameTheProblem() {
        try (Kiln kiln = Kiln.open()) {
            KilnException e = assertThrows(KilnException.class, () -> kiln.sql("CREATE STREAM s (a BIGINT) WITH (connector = 'pigeon')"));
            assertEquals("stream s: unknown connector 'pigeon'; stream connectors: kafka, directory, ysb", e.getMessage());
            e = assertThrows(KilnException.class, () -> kiln.sql("CREATE STREAM s WITH (connector = 'kafka', topic = 't', bootstrap = 'x:1')"));
            assertEquals("stream s: the kafka connector needs the stream's columns: CREATE STREAM s (col TYPE, ...) WITH (...)", e.getMessage());
            e = assertThrows(KilnException.class, () -> kiln.sql("CREATE SINK k WITH (connector = 'redis', host = 'h', prefix = 'p')"));
            assertEquals("sink k needs the option port = '...'", e.getMessage());
            e = assertThrows(KilnException.class, () -> kiln.sql("CREATE SINK k WITH (connector = 'memory', output_mode = 'sometimes')"));
            assertEquals("sink k: output_mode is append, update or complete, not 'sometimes'", e.getMessage());
            e = assertThrows(KilnException.class, () -> kiln.sql("CREATE SINK k WITH (connector = 'memory', colour = 'red')"));
            assertTrue(e.getMessage().startsWith("k: unknown option 'colour' for connector 'memory'; options: "), e.getMessage());
            kiln.sql("CREATE STREAM events WITH (connector = 'ysb', events = '10')").close();
            kiln.sql("CREATE SINK all_rows WITH (connector = 'memory', output_mode = 'complete')").close();
            e = assertThrows(KilnException.class, () -> kiln.sql("INSERT INTO all_rows SELECT ad_id FROM events"));
            assertEquals("COMPLETE output mode needs an aggregation (the whole result is written after every batch); this query has none: use APPEND or UPDATE", e.getMessage());
            kiln.sql("CREATE STREAM more WITH (connector = 'ysb', events = '10', campaigns = '')").close();
            kiln.sql("CREATE SINK pairs WITH (connector = 'memory', output_mode = 'append')").close();
            e = assertThrows(KilnException.class, () -> kiln.sql("INSERT INTO pairs SELECT a.ad_id, b.user_id FROM events a LEFT JOIN more b ON a.ad_id = b.ad_id"));
            assertTrue(e.getMessage().startsWith("APPEND output mode cannot take this query: a LEFT JOIN of two streams"), e.getMessage());
        }
    }

    private static List<String> expected() {
        YsbGenerator gen = new YsbGenerator(3, 1_760_000_000_000L, 1000);
        try (Kiln batch = Kiln.open(); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("events", YsbGenerator.EVENT_SCHEMA, mem);
            for (Object[] r : gen.eventRows(0, 30000)) tb.appendRow(r);
            batch.registerTable(tb.build());
            batch.registerTable(gen.campaigns(mem).withName("campaigns"));
            try (QueryResult r = batch.sql(YSB)) {
                return sorted(r.rows());
            }
        }
    }

    static List<String> sorted(List<Object[]> rows) {
        return rows.stream().map(Arrays::toString).sorted().toList();
    }
}
