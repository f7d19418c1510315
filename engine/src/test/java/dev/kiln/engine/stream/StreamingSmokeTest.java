package dev.kiln.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.engine.Kiln;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.stream.MemorySink;
import dev.kiln.runtime.stream.MemoryStreamSource;
import dev.kiln.runtime.stream.OutputMode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingSmokeTest {
    static final Schema EV = Schema.of(new Field("k", DataType.VARCHAR, true), new Field("v", DataType.BIGINT, true));

    @Test
    void groupedCountsUpdateAfterEachBatch(@TempDir Path dir) throws Exception {
        try (Kiln kiln = Kiln.open()) {
            MemoryStreamSource src = new MemoryStreamSource("ev", EV);
            kiln.readStream().source(src).load("ev");
            MemorySink sink = new MemorySink("out");
            src.add(new Object[] {"a", 1L}, new Object[] {"b", 2L}, new Object[] {"a", 3L});
            var w = kiln.writeStream("SELECT k, count(*) AS n, sum(v) AS s FROM ev GROUP BY k").outputMode(OutputMode.UPDATE)
                    .trigger(Trigger.availableNow()).checkpointLocation(dir).to(sink);
            System.out.println(w.explain());
            StreamingQuery q = w.start();
            q.awaitTermination();
            q.close();
            assertEquals("[[a, 2, 4], [b, 1, 2]]", sorted(sink.rows()));
            src.add(new Object[] {"b", 5L}, new Object[] {"c", null});
            q = w.start();
            q.awaitTermination();
            q.close();
            assertEquals("[[a, 2, 4], [b, 2, 7], [c, 1, null]]", sorted(sink.rows()));
        }
    }

    @Test
    void aGlobalAggregateHasItsRowBeforeAnyData(@TempDir Path dir) throws Exception {
        try (Kiln kiln = Kiln.open()) {
            MemoryStreamSource src = new MemoryStreamSource("ev", EV);
            kiln.readStream().source(src).load("ev");
            MemorySink sink = new MemorySink("out");
            var w = kiln.writeStream("SELECT count(*) AS n, sum(v) AS s FROM ev").outputMode(OutputMode.COMPLETE).trigger(Trigger.availableNow())
                    .checkpointLocation(dir).to(sink);
            StreamingQuery q = w.start();
            q.awaitTermination();
            q.close();
            assertEquals("[[0, null]]", sorted(sink.rows()), "as the batch query over no rows");
            src.add(new Object[] {"a", 4L});
            q = w.start();
            q.awaitTermination();
            q.close();
            assertEquals("[[1, 4]]", sorted(sink.rows()));
        }
    }

    static String sorted(List<Object[]> rows) {
        return rows.stream().map(Arrays::toString).sorted().toList().toString();
    }
}
