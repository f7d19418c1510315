package dev.kiln.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.engine.Kiln;
import dev.kiln.engine.QueryResult;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.MemorySink;
import dev.kiln.runtime.stream.MemoryStreamSource;
import dev.kiln.runtime.stream.OutputMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A join of two streams whose condition bounds the difference of their event times: the
 * watermark drops the rows no future row can match, so the state stays small, and the result is
 * still exactly the batch join (no row arrives late here).
 */
class BoundedJoinStateTest {
    static final Schema IMPRESSIONS = Schema.of(new Field("ad", DataType.BIGINT, false), new Field("its", DataType.TIMESTAMP, false));
    static final Schema CLICKS = Schema.of(new Field("ad", DataType.BIGINT, false), new Field("cts", DataType.TIMESTAMP, false));
    static final String QUERY = "SELECT i.ad, i.its, c.cts FROM impressions i JOIN clicks c ON i.ad = c.ad "
            + "AND c.cts BETWEEN i.its AND i.its + INTERVAL '3' SECOND";
    static final LocalDateTime T0 = LocalDateTime.of(2026, 12, 1, 0, 0);

    @Test
    void theWatermarkBoundsTheStateAndTheResultIsTheBatchJoin(@TempDir Path dir) throws Exception {
        Random rnd = new Random(11);
        List<Object[]> imps = new ArrayList<>(), clicks = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            imps.add(new Object[] {(long) rnd.nextInt(50), T0.plusNanos(i * 10_000_000L)});            // every 10 ms
            clicks.add(new Object[] {(long) rnd.nextInt(50), T0.plusNanos(i * 10_000_000L + rnd.nextInt(500) * 1_000_000L)}); // up to 0.5 s later
        }
        try (Kiln kiln = Kiln.open()) {
            MemoryStreamSource a = new MemoryStreamSource("impressions", IMPRESSIONS);
            MemoryStreamSource b = new MemoryStreamSource("clicks", CLICKS);
            kiln.readStream().source(a).eventTime("its", Duration.ofSeconds(1)).load("impressions");
            kiln.readStream().source(b).eventTime("cts", Duration.ofSeconds(1)).load("clicks");
            MemorySink sink = new MemorySink("out");
            var w = kiln.writeStream(QUERY).outputMode(OutputMode.APPEND).trigger(Trigger.availableNow()).checkpointLocation(dir).to(sink);
            assertTrue(w.explain().contains("left rows dropped once its < watermark - 3s, right rows once cts < watermark"), w.explain());
            long maxState = 0;
            for (int from = 0; from < 4000; from += 200) {
                a.add(imps.subList(from, from + 200));
                b.add(clicks.subList(from, from + 200));
                StreamingQuery q = w.start();
                q.awaitTermination();
                maxState = Math.max(maxState, q.lastProgress().orElseThrow().stateRows());
                q.close();
            }
            // 40 s of event time, a 1 s watermark delay and a 3 s bound: a few seconds' rows are kept, not 8000
            assertTrue(maxState < 1500, "state rows: " + maxState);
            try (Kiln batch = Kiln.open(); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
                batch.registerTable(IncrementalEqualsBatchPropertiesTest.table("impressions", IMPRESSIONS, imps, mem));
                batch.registerTable(IncrementalEqualsBatchPropertiesTest.table("clicks", CLICKS, clicks, mem));
                try (QueryResult r = batch.sql(QUERY)) {
                    assertTrue(r.rows().size() > 1000, "matches: " + r.rows().size());
                    assertEquals(IncrementalEqualsBatchPropertiesTest.canonical(r.rows()), IncrementalEqualsBatchPropertiesTest.canonical(sink.rows()));
                }
            }
        }
    }
}
