package dev.kiln.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.connectors.files.FileSink;
import dev.kiln.engine.Kiln;
import dev.kiln.engine.QueryResult;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.OutputMode;
import dev.kiln.runtime.stream.SourceBatch;
import dev.kiln.runtime.stream.SourceOffset;
import dev.kiln.runtime.stream.StreamSource;
import dev.kiln.runtime.vector.TableBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming query in a child JVM is killed with SIGKILL at random moments, again and again;
 * each restart resumes from the checkpoint. At the end the file sink holds exactly the batch
 * query's answer: no row lost, none written twice.
 */
class CrashRecoveryTest {
    static final int ROWS = 30_000;
    static final Schema EV = Schema.of(new Field("k", DataType.VARCHAR, false), new Field("v", DataType.BIGINT, false), new Field("ts", DataType.TIMESTAMP, false));
    static final LocalDateTime T0 = LocalDateTime.of(2026, 12, 1, 0, 0);
    static final String QUERY = "SELECT k, count(*) AS n, sum(v) AS s FROM ev GROUP BY k";

    /** Row i, the same in every process: a replayable source. */
    static Object[] row(long i) {
        return new Object[] {"k" + (i * 7919 % 13), i % 1000, T0.plusNanos(i * 50_000_000L)};
    }

    /**
     * Reveals its rows over time, 3 per millisecond since {@code startMillis} (the test's start,
     * the same for every child process, so that the newest offset never moves back across a
     * restart, as a source's must not), so that a run has many batches.
     */
    static final class IndexedSource implements StreamSource {
        private final long startMillis;

        IndexedSource(long startMillis) {
            this.startMillis = startMillis;
        }

        public Schema schema() { return EV; }

        public Optional<SourceOffset> latest() {
            long n = Math.min(ROWS, Math.max(0, System.currentTimeMillis() - startMillis) * 3);
            return n == 0 ? Optional.empty() : Optional.of(SourceOffset.of(n));
        }

        public SourceBatch read(Optional<SourceOffset> from, SourceOffset to, QueryMemory mem) {
            TableBuilder tb = new TableBuilder("ev", EV, mem);
            for (long i = from.map(SourceOffset::asLong).orElse(0L); i < to.asLong(); i++) tb.appendRow(row(i));
            return new SourceBatch(tb.build().batches(), List.of());
        }

        public String describe() { return "indexed"; }
    }

    /** The child: runs the windowed query into a file sink until every row is in, then writes DONE. */
    public static void main(String[] args) throws Exception {
        Path checkpoint = Path.of(args[0]);
        Path out = Path.of(args[1]);
        try (Kiln kiln = Kiln.open()) {
            kiln.readStream().source(new IndexedSource(Long.parseLong(args[2]))).eventTime("ts", Duration.ofSeconds(2)).load("ev");
            var frame = kiln.table("ev").groupBy(dev.kiln.frontend.plan.Functions.col("ts").window(Duration.ofSeconds(30)).as("win"),
                    dev.kiln.frontend.plan.Functions.col("k")).agg(dev.kiln.frontend.plan.Functions.count().as("n"), dev.kiln.frontend.plan.Functions.sum(dev.kiln.frontend.plan.Functions.col("v")).as("s"));
            StreamingQuery q = frame.writeStream().outputMode(OutputMode.APPEND).trigger(Trigger.processingTime(Duration.ofMillis(20)))
                    .checkpointLocation(checkpoint).to(new FileSink(out)).start();
            long lastTs = RowCodec_micros(T0.plusNanos((ROWS - 1) * 50_000_000L));
            while (true) {
                var p = q.lastProgress();
                if (q.exception().isPresent()) throw new RuntimeException(q.exception().get());
                if (p.isPresent() && p.get().watermark() >= lastTs - 2_000_000L) break;
                Thread.sleep(10);
            }
            q.stop();
            Files.writeString(out.resolve("DONE"), "done");
        }
    }

    private static final long START = System.currentTimeMillis();

    static long RowCodec_micros(LocalDateTime t) {
        return dev.kiln.runtime.stream.RowCodec.micros(t);
    }

    @Test
    void killedAtRandomMomentsTheSinkHoldsEachRowOnce(@TempDir Path dir) throws Exception {
        Path checkpoint = dir.resolve("checkpoint");
        Path out = dir.resolve("out");
        Random rnd = new Random(42);
        int kills = 0;
        for (int attempt = 0; attempt < 12 && !Files.exists(out.resolve("DONE")); attempt++) {
            Process p = child(checkpoint, out);
            boolean last = attempt >= 8;
            if (!last && !p.waitFor(400 + rnd.nextInt(1200), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly(); // SIGKILL
                p.waitFor();
                kills++;
                continue;
            }
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child did not finish");
            assertEquals(0, p.exitValue(), "the child failed: " + Files.readString(dir.resolve("child.log")));
        }
        assertTrue(Files.exists(out.resolve("DONE")), "never finished");
        assertTrue(kills >= 5, "killed only " + kills + " times");
        List<String> got = new ArrayList<>(FileSink.readAll(out));
        List<String> want = expected();
        List<String> extra = new ArrayList<>(got);
        want.forEach(extra::remove);
        List<String> missing = new ArrayList<>(want);
        got.forEach(missing::remove);
        assertTrue(extra.isEmpty() && missing.isEmpty(), "after " + kills + " kills the sink has " + got.size() + " rows, expected " + want.size()
                + "; extra (written twice or wrong): " + extra.subList(0, Math.min(5, extra.size())) + "; missing: " + missing.subList(0, Math.min(5, missing.size())));
        assertEquals(want.size(), got.size());
    }

    private static List<String> expected() {
        // windows whose end is at or below the final watermark, over all rows
        long watermark = RowCodec_micros(T0.plusNanos((ROWS - 1) * 50_000_000L)) - 2_000_000L;
        try (Kiln batch = Kiln.open(); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("ev", EV, mem);
            for (long i = 0; i < ROWS; i++) tb.appendRow(row(i));
            batch.registerTable(tb.build());
            List<String> rows = new ArrayList<>();
            try (QueryResult r = batch.table("ev").groupBy(dev.kiln.frontend.plan.Functions.col("ts").window(Duration.ofSeconds(30)).as("win"),
                    dev.kiln.frontend.plan.Functions.col("k")).agg(dev.kiln.frontend.plan.Functions.count().as("n"),
                    dev.kiln.frontend.plan.Functions.sum(dev.kiln.frontend.plan.Functions.col("v")).as("s")).collect()) {
                for (Object[] row : r.rows()) {
                    if (RowCodec_micros((LocalDateTime) row[0]) + 30_000_000L > watermark) continue;
                    rows.add(row[0] + "," + row[1] + "," + row[2] + "," + row[3]);
                }
            }
            rows.sort(null);
            return rows;
        }
    }

    private static Process child(Path checkpoint, Path out) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xss4m", "-cp", System.getProperty("java.class.path"),
                CrashRecoveryTest.class.getName(), checkpoint.toString(), out.toString(), Long.toString(START));
        File log = checkpoint.getParent().resolve("child.log").toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    }
}
