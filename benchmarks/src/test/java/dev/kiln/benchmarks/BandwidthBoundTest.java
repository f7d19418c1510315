package dev.kiln.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.benchmarks.jmh.ColumnBytes;
import dev.kiln.benchmarks.jmh.JmhReport;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.TableBuilder;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bytes scanned in Kiln's layout, exactly, and the bound's arithmetic (no timing). */
class BandwidthBoundTest {
    /** 70,000 rows: batches of 65,536 and 4,464; a NULL in each batch of {@code maybe}. */
    private static Table lineitemLike(QueryMemory mem) {
        Schema s = new Schema(List.of(
                new Field("l_quantity", DataType.decimal(15, 2), false),
                new Field("l_comment", DataType.VARCHAR, false),
                new Field("l_extendedprice", DataType.decimal(15, 2), false),
                new Field("l_discount", DataType.decimal(15, 2), false),
                new Field("maybe", DataType.BIGINT, true),
                new Field("l_shipdate", DataType.DATE, false)));
        TableBuilder b = new TableBuilder("lineitem", s, mem);
        for (int i = 0; i < 70_000; i++) {
            b.appendRow(BigDecimal.valueOf(i % 50), i % 2 == 0 ? "ab" : "xyzw", new BigDecimal("1.25"), new BigDecimal("0.05"),
                    i == 10 || i == 65_540 ? null : (long) i, LocalDate.of(1994, 1, 1).plusDays(i % 700));
        }
        return b.build();
    }

    @Test
    void q6BytesAreTheFourColumnsAtTheirPhysicalWidths() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Table t = lineitemLike(mem);
            assertEquals(List.of(65_536, 4_464), t.batches().stream().map(b -> b.rowCount()).toList());
            // DATE 4 bytes + three DECIMAL(15,2) as unscaled longs, 8 bytes each, no validity (NOT NULL)
            assertEquals(70_000L * (4 + 8 + 8 + 8), BandwidthBound.q6BytesScanned(t));
        }
    }

    @Test
    void varcharAndNullableColumnsCountOffsetsStringBytesAndValidity() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Table t = lineitemLike(mem);
            // n + 1 int offsets per batch, then 35,000 × "ab" and 35,000 × "xyzw"
            assertEquals((65_537L + 4_465L) * 4 + 35_000L * 2 + 35_000L * 4, ColumnBytes.of(t, List.of("l_comment")));
            // 8-byte values plus one 64-bit word per 64 rows in each batch (1,024 + 70 words)
            assertEquals(70_000L * 8 + (1_024L + 70L) * 8, ColumnBytes.of(t, List.of("maybe")));
            KilnException e = assertThrows(KilnException.class, () -> ColumnBytes.of(t, List.of("l_tax")));
            assertEquals("table 'lineitem' has no column 'l_tax'; columns: [l_quantity, l_comment, l_extendedprice, l_discount, maybe, l_shipdate]", e.getMessage());
        }
    }

    @Test
    void boundIsBytesOverBandwidth() {
        var bound = new BandwidthBound.Bound(168_034_020L, 12e9);
        assertEquals(14.00283, bound.millis(), 1e-5);
        assertEquals(3.0, bound.ratio(bound.millis() * 3), 1e-12);
        assertEquals("Q6: 42.0 ms, bound 14.0 ms (bytes scanned 168,034,020 at 12.00 GB/s), ratio 3.00", bound.describe("Q6", 42.0085));
        assertThrows(IllegalArgumentException.class, () -> new BandwidthBound.Bound(1, 0));
    }

    @Test
    void jmhScoresBecomeSecondsPerOperation() {
        assertEquals(0.0025, JmhReport.secondsPerOp(2.5, "ms/op"), 1e-15);
        assertEquals(3e-6, JmhReport.secondsPerOp(3, "us/op"), 1e-18);
        assertEquals(0.25, JmhReport.secondsPerOp(4, "ops/s"), 1e-15);
        assertEquals(0.0005, JmhReport.secondsPerOp(2, "ops/ms"), 1e-15);
        assertThrows(KilnException.class, () -> JmhReport.secondsPerOp(1, "ms"));
        assertThrows(KilnException.class, () -> JmhReport.secondsPerOp(1, "ops/fortnight"));
    }

    @Test
    void badJmhOptionsAreUsageErrors() {
        assertEquals(2, JmhMain.run(new String[] {"-f", "many"}));
        assertEquals(2, JmhMain.run(new String[] {"-bm", "fastest"}));
        assertEquals(2, JmhMain.run(new String[] {"noSuchKernel"}));
    }
}
