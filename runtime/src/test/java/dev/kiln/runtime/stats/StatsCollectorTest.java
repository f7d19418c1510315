package dev.kiln.runtime.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.stats.ColumnStats;
import dev.kiln.ir.stats.Histogram;
import dev.kiln.ir.stats.StatsKey;
import dev.kiln.ir.stats.TableStats;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.TableBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatsCollectorTest {
    static final int ROWS = 300_000;

    /** Columns of known distributions: uniform ints, skewed (squared) doubles, dates, decimals with NULLs, strings of 50 values. */
    static Table table(QueryMemory mem, List<Double> skewed) {
        Schema s = Schema.of(new Field("u", DataType.BIGINT, false), new Field("sk", DataType.DOUBLE, false),
                new Field("d", DataType.DATE, false), new Field("m", DataType.decimal(9, 2), true), new Field("s", DataType.VARCHAR, false));
        TableBuilder b = new TableBuilder("t", s, mem);
        Random r = new Random(42);
        for (int i = 0; i < ROWS; i++) {
            double x = r.nextDouble();
            skewed.add(x * x * 1000);
            b.appendRow((long) r.nextInt(100_000), x * x * 1000, LocalDate.of(1992, 1, 1).plusDays(i % 2000),
                    i % 10 == 0 ? null : BigDecimal.valueOf(i % 5000, 2), "name#" + (i % 50));
        }
        return b.build();
    }

    @Test
    void rowCountsNullsMinMaxAndNdvOfKnownData() {
        try (QueryMemory mem = new QueryMemory(1L << 30)) {
            TableStats st = StatsCollector.collect(table(mem, new ArrayList<>()));
            assertEquals(ROWS, st.rowCount());
            ColumnStats u = st.column(0).orElseThrow();
            assertEquals(0, u.nullFraction());
            assertTrue(Math.abs(u.ndv() - 95_021) / 95_021 < 0.03, "ndv " + u.ndv()); // 100000·(1 - e^-3) distinct among 300000 draws
            ColumnStats d = st.column(2).orElseThrow();
            assertEquals(LocalDate.of(1992, 1, 1).toEpochDay(), d.min().getAsDouble());
            assertEquals(LocalDate.of(1992, 1, 1).plusDays(1999).toEpochDay(), d.max().getAsDouble());
            assertEquals(2000, d.ndv(), 2000 * 0.03);
            ColumnStats m = st.column(3).orElseThrow();
            assertEquals(0.1, m.nullFraction(), 1e-12);
            assertEquals(0.01, m.min().getAsDouble(), 1e-12); // i % 5000 = 0 happens only on rows with i % 10 == 0 (NULL)
            assertEquals(49.99, m.max().getAsDouble(), 1e-12);
            assertEquals(4500, m.ndv(), 4500 * 0.03);
            ColumnStats s = st.column(4).orElseThrow();
            assertEquals(50, s.ndv(), 1);
            assertEquals(StatsKey.ofString("name#0".getBytes()), s.min().getAsDouble());
        }
    }

    @Test
    void histogramSelectivityIsCloseToTheTrueFraction() {
        try (QueryMemory mem = new QueryMemory(1L << 30)) {
            List<Double> skewed = new ArrayList<>();
            TableStats st = StatsCollector.collect(table(mem, skewed));
            Histogram h = st.column(1).orElseThrow().histogram().orElseThrow();
            assertEquals(StatsCollector.BUCKETS, h.buckets());
            for (double v : new double[] {0.5, 3, 10, 50, 100, 250, 500, 810, 999}) {
                double truth = skewed.stream().filter(x -> x < v).count() / (double) skewed.size();
                assertEquals(truth, h.fractionBelow(v), 0.02, "P(x < " + v + ")"); // a uniform-width histogram would be off by up to 0.3 here
                assertEquals(truth, h.fractionAtMost(v), 0.02, "P(x <= " + v + ")");
            }
            assertEquals(0, h.fractionBelow(-1));
            assertEquals(1, h.fractionAtMost(1000));
        }
    }

    @Test
    void statisticsSurviveTheirTextForm() throws IOException {
        try (QueryMemory mem = new QueryMemory(1L << 30)) {
            TableStats st = StatsCollector.collect(table(mem, new ArrayList<>()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StatsFile.write(st, out);
            assertEquals(st, StatsFile.read(new ByteArrayInputStream(out.toByteArray()), 5));
            var e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> StatsFile.read(new ByteArrayInputStream(out.toByteArray()), 4));
            assertEquals("statistics for 5 columns, the table has 4", e.getMessage());
        }
    }
}
