package dev.kiln.connectors.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.stats.ColumnStats;
import dev.kiln.ir.stats.TableStats;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stats.StatsCollector;
import dev.kiln.runtime.stats.StatsFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statistics are computed once per cached table and read back on later loads, not recomputed. */
class TpchStatsCacheTest {
    @TempDir
    Path dir;

    @Test
    void statisticsAreStoredNextToTheCachedDataAndReadBackOnLoad() throws IOException {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TpchCache cache = new TpchCache(dir);
            Map<String, TpchCatalog.Loaded> first = TpchCatalog.loadWithStats(0.01, mem, cache);
            Path statsFile = cache.tableDir("nation", 0.01).resolve("stats.properties");
            assertTrue(Files.exists(statsFile));
            TpchCatalog.Loaded nation = first.get("nation");
            assertEquals(StatsCollector.collect(nation.table()), nation.stats());
            assertEquals(25, nation.stats().rowCount());
            assertEquals(25, nation.stats().column(0).orElseThrow().ndv(), 0.5);
            assertEquals(5, nation.stats().column(2).orElseThrow().ndv(), 0.5); // n_regionkey

            // a marked statistics file is what the next load returns: it is read, not recomputed
            List<Optional<ColumnStats>> cols = new ArrayList<>(nation.stats().columns());
            cols.set(2, Optional.of(ColumnStats.ofNdv(4242)));
            TableStats marked = new TableStats(25, cols);
            try (OutputStream out = Files.newOutputStream(statsFile)) {
                StatsFile.write(marked, out);
            }
            assertEquals(marked, TpchCatalog.loadWithStats(0.01, mem, cache).get("nation").stats());

            // statistics that do not fit the table are reported and recomputed
            Files.writeString(statsFile, "format=kiln-stats-1\nrows=7\ncolumns=4\n");
            PrintStream old = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true));
            TableStats again;
            try {
                again = TpchCatalog.loadWithStats(0.01, mem, cache).get("nation").stats();
            } finally {
                System.setErr(old);
            }
            assertEquals(nation.stats(), again);
            assertTrue(err.toString().contains("statistics for 7 rows, the table has 25); recomputing them"), err.toString());
        }
    }
}
