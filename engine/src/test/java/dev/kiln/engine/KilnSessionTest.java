package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.emit.Backend;
import dev.kiln.connectors.csv.CsvOptions;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.TableBuilder;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded API: results, their lifetime, views, EXPLAIN and configuration. */
class KilnSessionTest {
    static final Path SALES = Path.of("src/test/resources/sales.csv").toAbsolutePath();

    @Test
    void resultsAreBoxedByRowAndColumnAcrossBatches() {
        try (Kiln kiln = Kiln.open(); QueryMemory mem = new QueryMemory(1L << 30)) {
            TableBuilder b = new TableBuilder("numbers", Schema.of(new Field("n", DataType.BIGINT, false)), mem);
            for (long i = 0; i < 150_000; i++) b.appendRow(i);
            kiln.registerTable(b.build());
            try (QueryResult r = kiln.sql("SELECT n * 3 AS triple, n FROM numbers WHERE n % 2 = 0")) {
                assertEquals(75_000, r.rowCount());
                assertTrue(r.batches().size() > 1, "the result spans several batches: " + r.batches().size());
                assertEquals(List.of("triple", "n"), r.columnNames());
                List<Object[]> rows = r.rows();
                for (long row : new long[] {0, 1, 65_535, 65_536, 70_001, 74_999}) {
                    assertEquals(rows.get((int) row)[0], r.get(row, 0));
                    assertEquals(rows.get((int) row)[1], r.get(row, 1));
                }
                // the scan keeps row order, so row k holds n = 2k
                assertEquals(2L * 70_001, r.get(70_001, 1));
                assertEquals(6L * 70_001, r.get(70_001, 0));
                KilnException out = assertThrows(KilnException.class, () -> r.get(75_000, 0));
                assertEquals("row 75000 is out of range: the result has 75000 rows", out.getMessage());
                assertThrows(KilnException.class, () -> r.get(0, 2));
            }
        }
    }

    @Test
    void valuesKeepTheirSqlTypes() {
        try (Kiln kiln = Kiln.open()) {
            kiln.registerCsv("sales", SALES);
            try (QueryResult r = kiln.sql("SELECT id, product, sale_date, unit_price, discount, quantity > 10 FROM sales WHERE id = 2")) {
                assertEquals(Arrays.asList(2L, "Gadget", LocalDate.of(2024, 1, 6), new BigDecimal("149.00"), null, false),
                        Arrays.asList(r.rows().getFirst()));
                assertEquals("unit_price", r.schema().field(3).name());
                assertEquals(DataType.decimal(5, 2).sql(), r.schema().field(3).type().sql());
            }
        }
    }

    @Test
    void closedResultsAndSessionsRefuseToBeRead() {
        Kiln kiln = Kiln.open();
        kiln.registerCsv("sales", SALES);
        QueryResult first = kiln.sql("SELECT count(*) FROM sales");
        QueryResult second = kiln.sql("SELECT max(id) FROM sales");
        assertEquals(30L, first.get(0, 0));
        first.close();
        assertTrue(first.isClosed());
        KilnException e = assertThrows(KilnException.class, first::rows);
        assertTrue(e.getMessage().startsWith("this query result is closed"), e.getMessage());
        assertFalse(second.isClosed());
        kiln.close(); // releases the results still open
        assertTrue(second.isClosed());
        assertThrows(KilnException.class, () -> second.get(0, 0));
        assertEquals("this Kiln session is closed", assertThrows(KilnException.class, () -> kiln.sql("SELECT 1")).getMessage());
    }

    @Test
    void viewsLiveInTheSession() {
        try (Kiln kiln = Kiln.open()) {
            kiln.registerCsv("sales", SALES);
            try (QueryResult r = kiln.sql("CREATE VIEW north AS SELECT id, quantity FROM sales WHERE region = 'North'")) {
                assertEquals(Optional.of("CREATE VIEW north"), r.message());
                assertEquals(0, r.rowCount());
            }
            assertEquals(List.of("north"), kiln.viewNames());
            assertTrue(kiln.viewSql("NORTH").orElseThrow().contains("region = 'North'"));
            try (QueryResult r = kiln.sql("SELECT count(*), sum(quantity) FROM north")) {
                assertEquals(List.of(8L, 53L), Arrays.asList(r.rows().getFirst()));
            }
            KilnException dup = assertThrows(KilnException.class, () -> kiln.sql("CREATE VIEW north AS SELECT 1"));
            assertEquals("view 'north' already exists; use CREATE OR REPLACE VIEW", dup.getMessage());
            kiln.sql("CREATE OR REPLACE VIEW north AS SELECT id FROM sales WHERE region = 'North' AND id < 10").close();
            try (QueryResult r = kiln.sql("SELECT count(*) FROM north")) {
                assertEquals(1, r.columnCount());
                assertTrue((Long) r.get(0, 0) < 8L);
            }
            kiln.sql("DROP VIEW north").close();
            assertEquals(List.of(), kiln.viewNames());
            assertEquals("view 'north' does not exist", assertThrows(KilnException.class, () -> kiln.sql("DROP VIEW north")).getMessage());
            assertEquals(Optional.of("DROP VIEW north"), kiln.sql("DROP VIEW IF EXISTS north").message());
        }
    }

    @Test
    void csvWithDeclaredSchemaAndOptions(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.csv");
        Files.writeString(f, "1;2.5;x\n2;;y\n");
        Schema declared = Schema.of(new Field("k", DataType.BIGINT, false), new Field("v", DataType.DOUBLE, true),
                new Field("s", DataType.VARCHAR, true));
        CsvOptions options = CsvOptions.defaults().withDelimiter(';').withSchema(declared);
        try (Kiln kiln = Kiln.open()) {
            kiln.registerCsv("p", f, new CsvOptions(options.delimiter(), options.quote(), false, options.nullString(), options.schema()));
            try (QueryResult r = kiln.sql("SELECT k, v, s FROM p ORDER BY k")) {
                assertEquals(Arrays.asList(1L, 2.5, "x"), Arrays.asList(r.rows().get(0)));
                assertEquals(Arrays.asList(2L, null, "y"), Arrays.asList(r.rows().get(1)));
            }
        }
    }

    @Test
    void explainAndTimings() {
        KilnConfig verbose = KilnConfig.defaults().withVerbose(true).withBackend(Backend.JANINO);
        try (Kiln kiln = Kiln.open(verbose)) {
            kiln.registerCsv("sales", SALES);
            String sql = "SELECT region, count(*) FROM sales WHERE 1 = 1 AND id > 3 GROUP BY region";
            Explain e = kiln.explain(sql);
            assertTrue(e.logicalPlan().startsWith("Aggregate"), e.logicalPlan());
            assertTrue(e.render().contains(e.ruleTraceDetail()), "verbose sessions render the detailed trace");
            assertTrue(e.physicalPlan().contains("hash aggregate"), e.physicalPlan());
            assertTrue(kiln.explainCodegen(sql).contains("public final class Pipeline0"));
            assertTrue(kiln.isQuery(sql));
            assertFalse(kiln.isQuery("CREATE VIEW v AS " + sql));
            try (QueryResult r = kiln.sql(sql)) {
                QueryResult.Timings t = r.timings();
                assertTrue(t.parseNanos() > 0 && t.planNanos() > 0 && t.executeNanos() > 0, t.toString());
                assertEquals(t.parseMillis() + t.planMillis() + t.compileMillis() + t.executeMillis(), t.totalMillis(), 1e-6);
                assertTrue(t.peakMemoryBytes() > 0, t.toString());
            }
        }
    }

    @Test
    void configurationIsValidated() {
        KilnException rule = assertThrows(KilnException.class,
                () -> Kiln.open(KilnConfig.defaults().withDisabledRules(List.of("filter-pushdwn"))));
        assertTrue(rule.getMessage().startsWith("no optimizer pass or rule named 'filter-pushdwn'"), rule.getMessage());
        assertThrows(KilnException.class, () -> KilnConfig.defaults().withMemoryBudget(0));
        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withMemoryBudget(64 * 1024))) {
            kiln.registerCsv("sales", SALES);
            // a hash join over a cross product needs more than 64 KB
            KilnException e = assertThrows(KilnException.class,
                    () -> kiln.sql("SELECT a.id, b.id, c.id FROM sales a, sales b, sales c ORDER BY 1, 2, 3").close());
            assertTrue(e.getMessage().startsWith("query memory budget exceeded"), e.getMessage());
        }
    }
}
