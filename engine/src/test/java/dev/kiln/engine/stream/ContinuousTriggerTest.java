package dev.kiln.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.engine.Kiln;
import dev.kiln.engine.QueryResult;
import dev.kiln.ir.KilnException;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.MemorySink;
import dev.kiln.runtime.stream.MemoryStreamSource;
import dev.kiln.runtime.stream.OutputMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continuous trigger: rows flow through in tiny batches as they arrive; epochs checkpoint.
 * The result equals the batch query, also after a restart from the last epoch.
 */
class ContinuousTriggerTest {
    static final String QUERY = "SELECT k, count(*) AS n, sum(v) AS s, max(d) AS hi FROM ev GROUP BY k";

    @Test
    void tinyBatchesThenARestartFromTheLastEpochGiveTheBatchAnswer(@TempDir Path dir) throws Exception {
        Random rnd = new Random(5);
        List<Object[]> all = IncrementalEqualsBatchPropertiesTest.rows(rnd, 3000, false);
        MemorySink sink = new MemorySink("out");
        try (Kiln kiln = Kiln.open()) {
            MemoryStreamSource src = new MemoryStreamSource("ev", IncrementalEqualsBatchPropertiesTest.EV);
            kiln.readStream().source(src).load("ev");
            StreamingQuery q = start(kiln, dir, sink);
            for (int i = 0; i < 1500; i += 50) {
                src.add(all.subList(i, i + 50));
                q.processAllAvailable(); // each chunk goes through as soon as it is there: one tiny batch or more
            }
            assertTrue(q.recentProgress().size() >= 30, "tiny batches: " + q.recentProgress().size());
            q.stop(); // the last epoch is checkpointed on stop
            src.add(all.subList(1500, 3000));
            q = start(kiln, dir, sink);
            q.processAllAvailable();
            q.stop();
            assertEquals(IncrementalEqualsBatchPropertiesTest.canonical(batch(all)), IncrementalEqualsBatchPropertiesTest.canonical(sink.rows()));
            // a checkpoint of the continuous query cannot be resumed by a micro-batch one
            KilnException e = assertThrows(KilnException.class, () -> kiln.writeStream(QUERY).outputMode(OutputMode.UPDATE)
                    .trigger(Trigger.availableNow()).checkpointLocation(dir).to(sink).start());
            assertTrue(e.getMessage().contains("with another trigger or output mode"), e.getMessage());
        }
    }

    /**
     * More tiny batches than the query keeps progress entries for: a listener, added after the
     * first batches ran, still sees every batch once and in order; recentProgress holds the newest
     * 1,000. The tiny batches share one query memory, emptied after each: the answer is still the
     * batch answer.
     */
    @Test
    void listenersSeeEveryTinyBatchWhileRecentProgressKeepsTheNewest(@TempDir Path dir) throws Exception {
        Random rnd = new Random(11);
        List<Object[]> all = IncrementalEqualsBatchPropertiesTest.rows(rnd, 1300, false);
        MemorySink sink = new MemorySink("out");
        try (Kiln kiln = Kiln.open()) {
            MemoryStreamSource src = new MemoryStreamSource("ev", IncrementalEqualsBatchPropertiesTest.EV);
            kiln.readStream().source(src).load("ev");
            StreamingQuery q = start(kiln, dir, sink);
            for (int i = 0; i < 10; i++) {
                src.add(all.subList(i, i + 1));
                q.processAllAvailable();
            }
            List<StreamingProgress> seen = new ArrayList<>();
            q.addProgressListener(seen::add);
            for (int i = 10; i < all.size(); i++) {
                src.add(all.subList(i, i + 1));
                q.processAllAvailable();
            }
            q.stop();
            List<StreamingProgress> recent = q.recentProgress();
            synchronized (seen) {
                assertEquals(all.size(), seen.stream().mapToLong(StreamingProgress::inputRows).sum());
                for (int i = 1; i < seen.size(); i++) assertEquals(seen.get(i - 1).batchId() + 1, seen.get(i).batchId());
                assertTrue(seen.size() > StreamingQuery.MAX_PROGRESS, seen.size() + " batches");
                assertEquals(StreamingQuery.MAX_PROGRESS, recent.size());
                assertEquals(seen.subList(seen.size() - recent.size(), seen.size()), recent);
            }
            assertEquals(IncrementalEqualsBatchPropertiesTest.canonical(batch(all)), IncrementalEqualsBatchPropertiesTest.canonical(sink.rows()));
        }
    }

    private static StreamingQuery start(Kiln kiln, Path dir, MemorySink sink) {
        return kiln.writeStream(QUERY).outputMode(OutputMode.UPDATE).trigger(Trigger.continuous(Duration.ofMillis(20))).checkpointLocation(dir).to(sink).start();
    }

    private static List<Object[]> batch(List<Object[]> rows) {
        try (Kiln batch = Kiln.open(); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            batch.registerTable(IncrementalEqualsBatchPropertiesTest.table("ev", IncrementalEqualsBatchPropertiesTest.EV, rows, mem));
            try (QueryResult r = batch.sql(QUERY)) {
                return new ArrayList<>(r.rows());
            }
        }
    }
}
