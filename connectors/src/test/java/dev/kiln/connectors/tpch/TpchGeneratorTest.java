package dev.kiln.connectors.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import dev.kiln.runtime.memory.MemoryBudgetExceededException;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TpchGeneratorTest {
    static final Map<String, Long> SF_001 = Map.of("nation", 25L, "region", 5L, "part", 2_000L, "supplier", 100L,
            "partsupp", 8_000L, "customer", 1_500L, "orders", 15_000L, "lineitem", 60_175L);
    static final Map<String, Long> SF_01 = Map.of("nation", 25L, "region", 5L, "part", 20_000L, "supplier", 1_000L,
            "partsupp", 80_000L, "customer", 15_000L, "orders", 150_000L, "lineitem", 600_572L);
    static final Map<String, Long> SF_1 = Map.of("nation", 25L, "region", 5L, "part", 200_000L, "supplier", 10_000L,
            "partsupp", 800_000L, "customer", 150_000L, "orders", 1_500_000L, "lineitem", 6_001_215L);

    @Test
    void generatedRowCountsFollowTheSpecification() {
        for (var sf : List.of(Map.entry(0.01, SF_001), Map.entry(0.1, SF_01))) {
            try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
                for (String name : TpchSchemas.TABLES) {
                    Table t = TpchGenerator.generate(name, sf.getKey(), mem);
                    assertEquals(sf.getValue().get(name), t.rowCount(), name + " at sf " + sf.getKey());
                    assertEquals(sf.getValue().get(name), TpchSchemas.tableRef(name, sf.getKey()).rowCount(), name);
                    for (Batch b : t.batches()) assertTrue(b.rowCount() > 0 && b.rowCount() <= Table.MORSEL_ROWS);
                }
            }
        }
    }

    /** At SF 1 the declared counts are checked against the generator itself (counting, not materializing). */
    @Test
    void declaredRowCountsAtScaleFactorOneAreTheGenerators() throws Exception {
        for (String name : TpchSchemas.TABLES) assertEquals(SF_1.get(name), TpchSchemas.rowCount(name, 1), name);
        int parts = 4;
        try (ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors())) {
            List<Future<Long>> counts = new ArrayList<>();
            for (int p = 1; p <= parts; p++) {
                int part = p;
                counts.add(pool.submit(() -> {
                    long n = 0;
                    for (var ignored : TpchTable.LINE_ITEM.createGenerator(1, part, parts)) n++;
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> f : counts) total += f.get();
            assertEquals(6_001_215L, total);
        }
    }

    @Test
    void firstLineitemRowAtScaleFactorOneHasTheSpecificationsValues() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Table t = TpchGenerator.generate("lineitem", 1, 1, 1000, mem); // the first 1/1000 of SF 1
            Batch b = t.batches().getFirst();
            assertEquals(1L, b.column(0).getLong(0));
            assertEquals(155190L, b.column(1).getLong(0));
            assertEquals(7706L, b.column(2).getLong(0));
            assertEquals(1, b.column(3).getInt(0));
            assertEquals(1700L, b.column(4).getLong(0)); // DECIMAL(15,2) unscaled
            assertEquals(2116823L, b.column(5).getLong(0));
            assertEquals(4L, b.column(6).getLong(0));
            assertEquals(2L, b.column(7).getLong(0));
            assertEquals(new BigDecimal("21168.23"), b.column(5).getObject(0));
            assertEquals("N", b.column(8).getString(0));
            assertEquals("O", b.column(9).getString(0));
            assertEquals(LocalDate.of(1996, 3, 13).toEpochDay(), b.column(10).getInt(0));
            assertEquals(LocalDate.of(1996, 2, 12).toEpochDay(), b.column(11).getInt(0));
            assertEquals(LocalDate.of(1996, 3, 22).toEpochDay(), b.column(12).getInt(0));
            assertEquals("DELIVER IN PERSON", b.column(13).getString(0));
            assertEquals("TRUCK", b.column(14).getString(0));
            assertEquals("egular courts above the", b.column(15).getString(0));
        }
    }

    @Test
    void schemasFollowTheSpecification() {
        assertEquals("[l_orderkey BIGINT NOT NULL, l_partkey BIGINT NOT NULL, l_suppkey BIGINT NOT NULL, l_linenumber INTEGER NOT NULL, "
                + "l_quantity DECIMAL(15,2) NOT NULL, l_extendedprice DECIMAL(15,2) NOT NULL, l_discount DECIMAL(15,2) NOT NULL, "
                + "l_tax DECIMAL(15,2) NOT NULL, l_returnflag VARCHAR NOT NULL, l_linestatus VARCHAR NOT NULL, l_shipdate DATE NOT NULL, "
                + "l_commitdate DATE NOT NULL, l_receiptdate DATE NOT NULL, l_shipinstruct VARCHAR NOT NULL, l_shipmode VARCHAR NOT NULL, "
                + "l_comment VARCHAR NOT NULL]", TpchSchemas.schema("lineitem").toString());
        assertEquals("[o_orderkey BIGINT NOT NULL, o_custkey BIGINT NOT NULL, o_orderstatus VARCHAR NOT NULL, o_totalprice DECIMAL(15,2) NOT NULL, "
                + "o_orderdate DATE NOT NULL, o_orderpriority VARCHAR NOT NULL, o_clerk VARCHAR NOT NULL, o_shippriority INTEGER NOT NULL, "
                + "o_comment VARCHAR NOT NULL]", TpchSchemas.schema("orders").toString());
        assertEquals("[c_custkey BIGINT NOT NULL, c_name VARCHAR NOT NULL, c_address VARCHAR NOT NULL, c_nationkey BIGINT NOT NULL, "
                + "c_phone VARCHAR NOT NULL, c_acctbal DECIMAL(15,2) NOT NULL, c_mktsegment VARCHAR NOT NULL, c_comment VARCHAR NOT NULL]",
                TpchSchemas.schema("customer").toString());
        assertEquals("'lineitems' is not a TPC-H table; the tables are nation, region, part, supplier, partsupp, customer, orders, lineitem",
                assertThrows(KilnException.class, () -> TpchSchemas.schema("lineitems")).getMessage());
    }

    /** Every value of every table equals the generator's own dbgen-format text of the same row. */
    @Test
    void everyValueEqualsTheGeneratorsTextRows() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            for (String name : TpchSchemas.TABLES) {
                Table t = TpchGenerator.generate(name, 0.01, mem);
                Iterator<? extends TpchEntity> text = TpchTable.getTable(name).createGenerator(0.01, 1, 1).iterator();
                for (Batch b : t.batches()) {
                    for (int i = 0; i < b.rowCount(); i++) {
                        String[] fields = text.next().toLine().split("\\|");
                        assertEquals(b.columns().size(), fields.length, name);
                        for (int c = 0; c < fields.length; c++) {
                            int row = i, col = c;
                            assertSameValue(fields[c], b.column(c), i, () -> name + " row " + row + " column " + col);
                        }
                    }
                }
                assertTrue(!text.hasNext(), name + " has more rows in the generator");
            }
        }
    }

    private static void assertSameValue(String expected, ColumnVector v, int row, java.util.function.Supplier<String> where) {
        Object actual = v.getObject(row);
        if (actual instanceof BigDecimal d) assertEquals(new BigDecimal(expected).setScale(2), d, where);
        else assertEquals(expected, actual.toString(), where);
    }

    @Test
    void partsConcatenateToTheWholeTable() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Table whole = TpchGenerator.generate("orders", 0.01, mem);
            List<Object> fromParts = new ArrayList<>();
            for (int p = 1; p <= 3; p++) fromParts.addAll(column(TpchGenerator.generate("orders", 0.01, p, 3, mem), 3));
            assertEquals(column(whole, 3), fromParts);
        }
    }

    static List<Object> column(Table t, int c) {
        List<Object> out = new ArrayList<>();
        for (Batch b : t.batches()) for (int i = 0; i < b.rowCount(); i++) out.add(b.column(c).getObject(i));
        return out;
    }

    /** A generation that runs out of budget (in parallel parts) gives back every byte it took. */
    @Test
    void failedGenerationFreesItsMemory() {
        try (QueryMemory mem = new QueryMemory(20_000_000)) {
            var e = assertThrows(MemoryBudgetExceededException.class, () -> TpchGenerator.generate("lineitem", 0.1, mem));
            assertTrue(e.getMessage().startsWith("query memory budget exceeded"), e.getMessage());
            assertEquals(0, mem.used());
            assertEquals(25, TpchGenerator.generate("nation", 0.1, mem).rowCount()); // the memory is usable again
        }
    }
}
