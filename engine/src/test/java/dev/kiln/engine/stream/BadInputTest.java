package dev.kiln.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.connectors.json.BadRecordPolicy;
import dev.kiln.connectors.json.JsonMemorySource;
import dev.kiln.engine.Kiln;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.stream.MemorySink;
import dev.kiln.runtime.stream.OutputMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad records are never dropped silently: they fail the query naming the record, or go to the
 * dead-letter files exactly once; a damaged checkpoint is a clear error, or a clean fallback.
 */
class BadInputTest {
    static final Schema S = Schema.of(new Field("k", DataType.VARCHAR, false), new Field("v", DataType.BIGINT, false));
    static final String GOOD = "{\"k\":\"a\",\"v\":1}\n{\"k\":\"b\",\"v\":2}\n";
    static final String BAD = "{\"k\":\"a\",\"v\":\"three\"}\n{\"k\":\n{\"k\":\"b\",\"v\":4}\n";

    private static JsonMemorySource source() {
        // the source reports bad records; the query's policy decides
        return new JsonMemorySource("ev", S, BadRecordPolicy.SKIP_AND_REPORT, null, 1);
    }

    @Test
    void failPolicyStopsTheQueryNamingTheRecordAndWritesNothing(@TempDir Path dir) throws Exception {
        try (Kiln kiln = Kiln.open()) {
            JsonMemorySource src = source();
            src.append((GOOD + BAD).getBytes(StandardCharsets.UTF_8));
            kiln.readStream().source(src).load("ev");
            MemorySink sink = new MemorySink("out");
            StreamingQuery q = kiln.writeStream("SELECT k, sum(v) AS s FROM ev GROUP BY k").outputMode(OutputMode.UPDATE).trigger(Trigger.availableNow())
                    .checkpointLocation(dir).to(sink).start();
            KilnException e = assertThrows(KilnException.class, q::awaitTermination);
            assertEquals("streaming query 'query' failed: 2 bad records in stream 'ev' (batch 0), the first at ev:3: field 'v': expected an integer, "
                    + "found a string at column 14; fix the data, or route such records aside with onBadRecords(BadRecordPolicy.DEAD_LETTER)", e.getMessage());
            q.close();
            assertEquals(0, sink.writes(), "nothing of the failed batch reached the sink");
        }
    }

    @Test
    void deadLetterPolicyWritesTheBadRecordsOnceAndGoesOn(@TempDir Path dir) throws Exception {
        try (Kiln kiln = Kiln.open()) {
            JsonMemorySource src = source();
            src.append((GOOD + BAD).getBytes(StandardCharsets.UTF_8));
            kiln.readStream().source(src).onBadRecords(dev.kiln.engine.stream.BadRecordPolicy.DEAD_LETTER).load("ev");
            MemorySink sink = new MemorySink("out");
            StreamingQuery q = kiln.writeStream("SELECT k, sum(v) AS s FROM ev GROUP BY k").outputMode(OutputMode.UPDATE).trigger(Trigger.availableNow())
                    .checkpointLocation(dir).to(sink).start();
            q.awaitTermination();
            assertEquals(2, q.recentProgress().getFirst().badRecords());
            q.close();
            assertEquals("[[a, 1], [b, 6]]", StreamingSmokeTest.sorted(sink.rows()));
            assertEquals(List.of("ev:3\tfield 'v': expected an integer, found a string at column 14\t{\"k\":\"a\",\"v\":\"three\"}",
                    "ev:4\tfield 'k': expected a string, found the end of the line at column 6\t{\"k\":"), Files.readAllLines(dir.resolve("dead-letter").resolve("0.txt")));
        }
    }

    @Test
    void aDamagedCommitLogEntryIsAClearErrorAndAnUncommittedBatchRunsAgain(@TempDir Path dir) throws Exception {
        try (Kiln kiln = Kiln.open()) {
            JsonMemorySource src = source();
            src.append(GOOD.getBytes(StandardCharsets.UTF_8));
            kiln.readStream().source(src).load("ev");
            MemorySink sink = new MemorySink("out");
            var w = kiln.writeStream("SELECT k, sum(v) AS s FROM ev GROUP BY k").outputMode(OutputMode.UPDATE).trigger(Trigger.availableNow())
                    .checkpointLocation(dir).to(sink);
            StreamingQuery q = w.start();
            q.awaitTermination();
            q.close();
            // flip a byte of the last commit: the query cannot know what it did
            Path commit = dir.resolve("commits").resolve("0");
            byte[] b = Files.readAllBytes(commit);
            b[b.length - 2] ^= 1;
            Files.write(commit, b);
            KilnException e = assertThrows(KilnException.class, w::start);
            assertTrue(e.getMessage().startsWith("commit log entry " + commit + " "), e.getMessage());
            assertTrue(e.getMessage().contains("Restore the file from a backup, or restart the query with a new checkpoint directory"), e.getMessage());
            // without that commit (as after a crash before it), batch 0 runs again over the same offsets, and the sink ignores its replay
            Files.delete(commit);
            q = w.start();
            q.awaitTermination();
            q.close();
            assertEquals("[[a, 1], [b, 2]]", StreamingSmokeTest.sorted(sink.rows()));
            assertEquals(1, sink.writes());
        }
    }
}
