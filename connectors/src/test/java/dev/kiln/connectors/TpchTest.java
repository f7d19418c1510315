package dev.kiln.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.connectors.tpch.TpchCache;
import dev.kiln.connectors.tpch.TpchCatalog;
import dev.kiln.connectors.tpch.TpchGenerator;
import dev.kiln.connectors.tpch.TpchSchemas;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import io.trino.tpch.LineItem;
import io.trino.tpch.TpchTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TpchTest {
    @Test
    void rowCountsFollowTheSpecification() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Map<String, Long> expected = Map.of("nation", 25L, "region", 5L, "part", 2000L, "supplier", 100L,
                    "partsupp", 8000L, "customer", 1500L, "orders", 15000L, "lineitem", 60175L);
            for (var e : expected.entrySet()) {
                assertEquals(e.getValue(), TpchGenerator.generate(e.getKey(), 0.01, mem).rowCount(), e.getKey());
            }
        }
    }

    /** Every lineitem value equals the generator's own dbgen-format text of the same row. */
    @Test
    void columnsEqualTheGeneratorsTextRows() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Table t = TpchGenerator.generate("lineitem", 0.01, mem);
            Iterator<LineItem> text = TpchTable.LINE_ITEM.createGenerator(0.01, 1, 1).iterator();
            int checked = 0;
            for (Batch b : t.batches()) {
                for (int i = 0; i < b.rowCount(); i += 7) {
                    String[] fields = text.next().toLine().split("\\|");
                    for (int skip = 1; skip < 7 && text.hasNext() && i + skip < b.rowCount(); skip++) text.next();
                    for (int c = 0; c < fields.length; c++) {
                        Object v = b.column(c).getObject(i);
                        String where = "lineitem row " + i + " column " + TpchSchemas.schema("lineitem").field(c).name();
                        if (v instanceof BigDecimal d) {
                            assertEquals(0, new BigDecimal(fields[c]).compareTo(d), where + ": " + fields[c] + " vs " + d);
                        } else {
                            assertEquals(fields[c], v.toString(), where);
                        }
                    }
                    checked++;
                }
            }
            assertTrue(checked > 8000);
        }
    }

    @Test
    void firstLineitemRowIsTheSpecificationsOne() {
        LineItem first = TpchTable.LINE_ITEM.createGenerator(1, 1, 1).iterator().next();
        assertEquals("1|155190|7706|1|17|21168.23|0.04|0.02|N|O|1996-03-13|1996-02-12|1996-03-22|DELIVER IN PERSON|TRUCK|egular courts above the|",
                first.toLine());
    }

    @Test
    void cacheRoundTripsAndRegeneratesWhenDamaged(@TempDir Path dir) throws Exception {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TpchCache cache = new TpchCache(dir);
            Map<String, Table> generated = TpchCatalog.load(0.01, mem, cache);
            Map<String, Table> loaded = TpchCatalog.load(0.01, mem, cache);
            for (String name : TpchSchemas.TABLES) assertSameRows(generated.get(name), loaded.get(name));

            Path column = dir.resolve("tpch/sf0.01/orders/1.col");
            Files.write(column, new byte[] {1, 2, 3});
            PrintStream oldErr = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true));
            Map<String, Table> again;
            try {
                again = TpchCatalog.load(0.01, mem, cache);
            } finally {
                System.setErr(oldErr);
            }
            assertTrue(err.toString().contains("ignoring the damaged TPC-H cache"), err.toString());
            assertSameRows(generated.get("orders"), again.get("orders"));
            assertTrue(Files.size(column) > 3, "the damaged file was rewritten");
        }
    }

    static void assertSameRows(Table a, Table b) {
        assertEquals(a.rowCount(), b.rowCount(), a.name());
        var ib = b.batches().iterator();
        for (Batch x : a.batches()) {
            Batch y = ib.next();
            assertEquals(x.rowCount(), y.rowCount());
            for (int c = 0; c < x.columns().size(); c++) {
                for (int i = 0; i < x.rowCount(); i += 13) assertEquals(x.column(c).getObject(i), y.column(c).getObject(i));
            }
        }
    }
}
