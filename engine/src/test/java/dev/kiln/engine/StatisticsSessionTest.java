package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.stats.TableStats;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.TableBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Statistics in the session: gathered on registration, recomputed by ANALYZE, shown by EXPLAIN. */
class StatisticsSessionTest {
    static final Path SALES = Path.of("src/test/resources/sales.csv").toAbsolutePath();

    @Test
    void registeredTablesHaveStatisticsAndExplainShowsEstimates() {
        try (Kiln kiln = Kiln.open(); QueryMemory mem = new QueryMemory(1L << 30)) {
            TableBuilder b = new TableBuilder("nums", Schema.of(new Field("n", DataType.BIGINT, false), new Field("g", DataType.BIGINT, true)), mem);
            for (long i = 0; i < 1000; i++) b.appendRow(i, i % 10 == 0 ? null : i % 20);
            kiln.registerTable(b.build());
            TableStats st = kiln.statistics().stats(new TableRef("nums", kiln.tableData("nums").schema(), 1000)).orElseThrow();
            assertEquals(1000, st.rowCount());
            assertEquals(1000, st.column(0).orElseThrow().ndv(), 10);
            assertEquals(0.1, st.column(1).orElseThrow().nullFraction(), 1e-12);
            assertEquals(18, st.column(1).orElseThrow().ndv(), 0.5); // residues 1..19 but 10 (rows with i % 10 == 0 are NULL)
            String plan = kiln.explain("SELECT g, count(*) FROM nums WHERE n < 250 GROUP BY g").render(false);
            assertTrue(plan.contains("""
                    Aggregate keys=[g] aggs=[COUNT(*) := COUNT(*)] -- est=18
                      Project [g] -- est=250
                        Filter (n < 250) -- est=250
                          TableScan nums [n, g] -- est=1.00K
                    """), plan); // 18 non-NULL groups (the NULL group is not counted); n uniform over 0..999
        }
    }

    @Test
    void analyzeRecomputesOneOrEveryTable() {
        try (Kiln kiln = Kiln.open()) {
            kiln.registerCsv("sales", SALES);
            kiln.registerCsv("sales2", SALES);
            assertFalse(kiln.isQuery("ANALYZE sales"));
            try (QueryResult r = kiln.sql("analyze Sales;")) {
                assertEquals("ANALYZE sales (30 rows)", r.message().orElseThrow());
            }
            try (QueryResult r = kiln.sql("ANALYZE")) {
                assertEquals("ANALYZE sales (30 rows) sales2 (30 rows)", r.message().orElseThrow());
            }
            var e = assertThrows(KilnException.class, () -> kiln.sql("ANALYZE sails"));
            assertEquals("ANALYZE sails: no such table; tables: sales, sales2", e.getMessage());
            var m = assertThrows(KilnException.class, () -> kiln.sql("ANALYZE sales, sales2"));
            assertTrue(m.getMessage().startsWith("malformed ANALYZE statement: 'ANALYZE sales, sales2'"), m.getMessage());
        }
    }
}
