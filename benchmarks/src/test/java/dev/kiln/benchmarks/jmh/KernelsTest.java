package dev.kiln.benchmarks.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.connectors.tpch.TpchGenerator;
import dev.kiln.engine.Kiln;
import dev.kiln.engine.KilnConfig;
import dev.kiln.engine.QueryResult;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.TableBuilder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each benchmark method body run once, directly (not through JMH), over TPC-H SF 0.01 generated
 * in memory, against an oracle computed here from the columns with BigDecimal and HashMap (and,
 * for Q6 and the join, against the same SQL through a Kiln session).
 */
class KernelsTest {
    private static QueryMemory mem;
    private static Table lineitem;
    private static Table orders;
    private static TpchData data;

    @BeforeAll
    static void generate() {
        mem = new QueryMemory(Long.MAX_VALUE);
        lineitem = TpchGenerator.generate("lineitem", 0.01, mem);
        orders = TpchGenerator.generate("orders", 0.01, mem);
        data = TpchData.of(List.of(lineitem, orders));
    }

    @AfterAll
    static void free() {
        mem.close();
    }

    /** Every row of {@code table} as boxed values keyed by column name. */
    private static List<Map<String, Object>> rows(Table table, String... columns) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var b : table.batches()) {
            for (int r = 0; r < b.rowCount(); r++) {
                Map<String, Object> row = new HashMap<>();
                for (String c : columns) row.put(c, b.column(table.schema().indexOf(c).orElseThrow()).getObject(r));
                rows.add(row);
            }
        }
        return rows;
    }

    private static QueryKernels queries() {
        QueryKernels k = new QueryKernels();
        k.prepare(data);
        return k;
    }

    @Test
    void q6FilterEqualsTheDefinitionAndTheEngine() {
        BigDecimal expected = BigDecimal.ZERO;
        for (var r : rows(lineitem, "l_shipdate", "l_discount", "l_quantity", "l_extendedprice")) {
            LocalDate d = (LocalDate) r.get("l_shipdate");
            BigDecimal disc = (BigDecimal) r.get("l_discount");
            if (!d.isBefore(LocalDate.of(1994, 1, 1)) && d.isBefore(LocalDate.of(1995, 1, 1)) && disc.compareTo(new BigDecimal("0.05")) >= 0
                    && disc.compareTo(new BigDecimal("0.07")) <= 0 && ((BigDecimal) r.get("l_quantity")).compareTo(BigDecimal.valueOf(24)) < 0) {
                expected = expected.add(((BigDecimal) r.get("l_extendedprice")).multiply(disc));
            }
        }
        assertTrue(expected.signum() > 0, "SF 0.01 has Q6 rows");
        QueryKernels k = queries();
        BigDecimal actual = k.q6Filter();
        assertEquals(0, expected.compareTo(actual), expected + " vs " + actual);
        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withThreads(1))) {
            kiln.registerTable(lineitem);
            try (QueryResult r = kiln.sql(QueryKernels.Q6)) {
                assertEquals(0, ((BigDecimal) r.rows().getFirst()[0]).compareTo(actual));
            }
        }
        assertEquals(actual, k.q6Filter(), "a second run gives the same answer");
        HandWrittenQ6 hand = new HandWrittenQ6();
        hand.prepare(data);
        assertEquals(0, expected.compareTo(hand.q6()), expected + " vs hand-written " + hand.q6());
    }

    /** [lineitem rows with an order, sum of their orders' o_totalprice, unscaled]. */
    private static long[] joinOracle() {
        Map<Long, Long> price = new HashMap<>();
        for (var r : rows(orders, "o_orderkey", "o_totalprice")) {
            price.put((Long) r.get("o_orderkey"), ((BigDecimal) r.get("o_totalprice")).unscaledValue().longValueExact());
        }
        long count = 0;
        long sum = 0;
        for (var r : rows(lineitem, "l_orderkey")) {
            Long p = price.get((Long) r.get("l_orderkey"));
            if (p != null) {
                count++;
                sum += p;
            }
        }
        return new long[] {count, sum};
    }

    @Test
    void hashJoinAndTheRuntimeProbeFindEveryOrder() {
        long[] expected = joinOracle();
        assertEquals(lineitem.rowCount(), expected[0], "every line item has its order");
        assertArrayEquals(expected, queries().hashJoin());
        HashProbeKernel probe = new HashProbeKernel();
        probe.prepare(data);
        try {
            assertArrayEquals(expected, probe.probe());
            assertArrayEquals(expected, probe.probe());
        } finally {
            probe.tearDown();
        }
        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withThreads(1))) {
            kiln.registerTable(lineitem);
            kiln.registerTable(orders);
            try (QueryResult r = kiln.sql(QueryKernels.JOIN)) {
                Object[] row = r.rows().getFirst();
                assertEquals(expected[0], ((Number) row[0]).longValue());
                assertEquals(0, BigDecimal.valueOf(expected[1], 2).compareTo((BigDecimal) row[1]));
            }
        }
    }

    @Test
    void lowCardinalityAggregationEqualsAHashMap() {
        Map<String, BigDecimal[]> groups = new TreeMap<>();
        for (var r : rows(lineitem, "l_returnflag", "l_linestatus", "l_quantity", "l_extendedprice")) {
            BigDecimal[] g = groups.computeIfAbsent(r.get("l_returnflag") + "|" + r.get("l_linestatus"),
                    x -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
            g[0] = g[0].add(BigDecimal.ONE);
            g[1] = g[1].add((BigDecimal) r.get("l_quantity"));
            g[2] = g[2].add((BigDecimal) r.get("l_extendedprice"));
        }
        assertEquals(4, groups.size());
        List<List<Object>> actual = new ArrayList<>(queries().aggLowCardinality());
        actual.sort(Comparator.comparing(row -> row.get(0) + "|" + row.get(1)));
        List<String> expectedText = new ArrayList<>();
        groups.forEach((k, g) -> expectedText.add(k + " " + g[0].longValue() + " " + g[1].stripTrailingZeros().toPlainString() + " " + g[2].stripTrailingZeros().toPlainString()));
        List<String> actualText = actual.stream().map(row -> row.get(0) + "|" + row.get(1) + " " + ((Number) row.get(2)).longValue() + " "
                + ((BigDecimal) row.get(3)).stripTrailingZeros().toPlainString() + " " + ((BigDecimal) row.get(4)).stripTrailingZeros().toPlainString()).toList();
        assertEquals(expectedText, actualText);
    }

    @Test
    void highCardinalityAggregationEqualsAHashMap() {
        Map<Long, long[]> groups = new HashMap<>();
        for (var r : rows(lineitem, "l_orderkey", "l_quantity")) {
            long[] g = groups.computeIfAbsent((Long) r.get("l_orderkey"), x -> new long[2]);
            g[0]++;
            g[1] += ((BigDecimal) r.get("l_quantity")).unscaledValue().longValueExact();
        }
        assertEquals(orders.rowCount(), groups.size(), "one group per order");
        QueryKernels k = queries();
        Map<Long, long[]> actual = new HashMap<>();
        for (List<Object> row : k.aggHighQuery().rows()) {
            long[] prev = actual.put((Long) row.get(0), new long[] {(Long) row.get(1), ((BigDecimal) row.get(2)).unscaledValue().longValueExact()});
            assertEquals(null, prev, "key " + row.get(0) + " appears twice");
        }
        assertEquals(groups.keySet(), actual.keySet());
        groups.forEach((key, g) -> assertArrayEquals(g, actual.get(key), "l_orderkey " + key));
        long quantity = groups.values().stream().mapToLong(g -> g[1]).sum();
        assertArrayEquals(new long[] {groups.size(), lineitem.rowCount(), quantity}, k.aggHighCardinality());
    }

    /** The decimal kernel's digest by BigDecimal: discounted exact at scale 4, charge rounded HALF_UP to scale 4 per row. */
    private static long[] decimalOracle(Table t) {
        BigDecimal discounted = BigDecimal.ZERO;
        BigDecimal charge = BigDecimal.ZERO;
        for (var r : rows(t, "l_extendedprice", "l_discount", "l_tax")) {
            BigDecimal d = ((BigDecimal) r.get("l_extendedprice")).multiply(BigDecimal.ONE.subtract((BigDecimal) r.get("l_discount")));
            discounted = discounted.add(d);
            charge = charge.add(d.multiply(BigDecimal.ONE.add((BigDecimal) r.get("l_tax"))).setScale(4, RoundingMode.HALF_UP));
        }
        return new long[] {discounted.setScale(4).unscaledValue().longValueExact(), charge.setScale(4).unscaledValue().longValueExact()};
    }

    private static long[] decimalKernel(Table t) {
        DecimalKernel k = new DecimalKernel();
        k.prepare(TpchData.of(List.of(t)));
        return k.discountedCharge();
    }

    @Test
    void decimalKernelEqualsBigDecimal() {
        assertArrayEquals(decimalOracle(lineitem), decimalKernel(lineitem));
    }

    private static Table prices(QueryMemory m, int precision, String... priceDiscountTax) {
        Schema s = new Schema(List.of(new Field("l_extendedprice", DataType.decimal(precision, 2), false),
                new Field("l_discount", DataType.decimal(15, 2), false), new Field("l_tax", DataType.decimal(15, 2), false)));
        TableBuilder b = new TableBuilder("lineitem", s, m);
        for (int i = 0; i < priceDiscountTax.length; i += 3) {
            b.appendRow(new BigDecimal(priceDiscountTax[i]), new BigDecimal(priceDiscountTax[i + 1]), new BigDecimal(priceDiscountTax[i + 2]));
        }
        return b.build();
    }

    @Test
    void decimalKernelRoundsTiesHalfUpAndRejectsOverflow() {
        try (QueryMemory m = new QueryMemory(Long.MAX_VALUE)) {
            // 0.03 × 0.01 = 0.0003; × 1.50 = 0.000450 → 0.0005 (HALF_UP; HALF_EVEN would give 0.0004)
            Table tie = prices(m, 15, "0.03", "0.99", "0.50", "12.34", "0.10", "0.05");
            assertArrayEquals(new long[] {3 + 111_060, 5 + 116_613}, decimalKernel(tie));
            assertArrayEquals(decimalOracle(tie), decimalKernel(tie));
            // 9·10^15 × 1.00 needs 9·10^19 unscaled at scale 4: more than a long holds
            Table big = prices(m, 18, "9000000000000000.00", "0.00", "0.00");
            KilnException e = assertThrows(KilnException.class, () -> decimalKernel(big));
            assertTrue(e.getMessage().startsWith("numeric overflow: DECIMAL in 900000000000000000 * 100 (unscaled)"), e.getMessage());
        }
    }

    @Test
    void streamSumsTheSegment() {
        StreamKernel k = new StreamKernel();
        k.prepare(1 << 20);
        try {
            long n = (1 << 20) / 8;
            assertEquals(n * (n - 1) / 2, k.sum());
            assertEquals(1 << 20, k.bytes());
        } finally {
            k.tearDown();
        }
        assertThrows(IllegalArgumentException.class, () -> new StreamKernel().prepare(40));
    }

    @Test
    void kernelSizesCountTheScannedColumns() {
        long n = lineitem.rowCount();
        assertEquals(new KernelSize(n, n * 28), KernelSize.of("QueryKernels.q6Filter", data));
        assertEquals(new KernelSize(n, n * 28), KernelSize.of("HandWrittenQ6.q6", data));
        assertEquals(new KernelSize(n + orders.rowCount(), n * 8 + orders.rowCount() * 16), KernelSize.of("QueryKernels.hashJoin", data));
        assertEquals(new KernelSize(n, n * 24), KernelSize.of("DecimalKernel.discountedCharge", data));
        assertEquals(new KernelSize(n, n * 8), KernelSize.of("HashProbeKernel.probe", data));
        assertEquals(new KernelSize(1 << 26, 1 << 29), KernelSize.stream(1 << 29));
        assertThrows(KilnException.class, () -> KernelSize.of("QueryKernels.nothing", data));
    }

    /** The report needs the size of every benchmark the annotation processor listed, or it cannot give rows/s and GB/s. */
    @Test
    void everyListedBenchmarkHasASize() {
        var format = org.openjdk.jmh.runner.format.OutputFormatFactory.createFormatInstance(
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), org.openjdk.jmh.runner.options.VerboseMode.SILENT);
        List<String> names = org.openjdk.jmh.runner.BenchmarkList.defaultList().getAll(format, List.of()).stream()
                .map(e -> JmhReport.shortName(e.getUsername())).sorted().toList();
        assertEquals(List.of("DecimalKernel.discountedCharge", "HandWrittenQ6.q6", "HashProbeKernel.probe", "QueryKernels.aggHighCardinality",
                "QueryKernels.aggLowCardinality", "QueryKernels.hashJoin", "QueryKernels.q6Filter", "StreamKernel.sum"), names);
        for (String n : names) assertTrue(n.equals("StreamKernel.sum") || KernelSize.isTpch(n), n + " has no KernelSize");
    }
}
