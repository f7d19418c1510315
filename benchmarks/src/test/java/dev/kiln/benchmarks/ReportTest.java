package dev.kiln.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The report's figures, table and JSON from known inputs. */
class ReportTest {
    static Stats s(double median, double min, double max) {
        return new Stats(median, min, max, 3);
    }

    /** Q1: Kiln 100 ms, DuckDB 50, Spark 2000; Q6: Kiln 10, DuckDB 20, Spark 400. */
    static Report sample() {
        return new Report(1.0, 2, 1, 3, Optional.of("v1.4.2"), Optional.of("4.1.1"), List.of(
                new Report.QueryReport(1, s(100, 90, 120), Optional.of(s(50, 45, 60)), Optional.of(s(2000, 1900, 2100)), s(30, 25, 40), s(8.25, 7, 9),
                        123_400_000L, 450.5, new Report.Phases(5.25, 1.5, 1.5), new Report.CacheCheck("'90' -> '60'", 2, 0, 2)),
                new Report.QueryReport(6, s(10, 9, 11), Optional.of(s(20, 19, 21)), Optional.of(s(400, 380, 420)), s(12, 11, 13), s(4, 3.5, 4.5),
                        50_000L, 80, new Report.Phases(2, 1, 1), new Report.CacheCheck("l_quantity < 24 -> l_quantity < 25", 2, 1, 1))));
    }

    @Test
    void ratiosAndGeometricMeans() {
        Report r = sample();
        assertEquals(2.0, r.queries().get(0).kilnOverDuckdb().orElseThrow(), 1e-12);
        assertEquals(20.0, r.queries().get(0).sparkOverKiln().orElseThrow(), 1e-12);
        assertEquals(0.5, r.queries().get(1).kilnOverDuckdb().orElseThrow(), 1e-12);
        assertEquals(40.0, r.queries().get(1).sparkOverKiln().orElseThrow(), 1e-12);
        assertEquals(1.0, r.geomeanKilnOverDuckdb().orElseThrow(), 1e-12);
        assertEquals(Math.sqrt(800), r.geomeanSparkOverKiln().orElseThrow(), 1e-12);
        assertEquals(1, r.cacheHits());
        assertTrue(r.queries().get(0).literalVariant().hit());
        assertFalse(r.queries().get(1).literalVariant().hit(), "one class compiled is a miss");
        assertFalse(new Report.CacheCheck("x", 2, 0, 0).hit(), "nothing from the cache is no hit");
    }

    @Test
    void tableHasEverySystemRatioCompileTimeAndPeakMemory() {
        String t = sample().table();
        List<String> lines = t.lines().toList();
        assertEquals("query                  Kiln              DuckDB                     Spark  Kiln/DuckDB  Spark/Kiln  compile  first run  peak MB", lines.get(1));
        assertEquals("Q1     100.0 / 90.0 / 120.0  50.0 / 45.0 / 60.0  2000.0 / 1900.0 / 2100.0        2.00x      20.00x      8.3      450.5    123.4", lines.get(2));
        assertEquals("Q6        10.0 / 9.0 / 11.0  20.0 / 19.0 / 21.0     400.0 / 380.0 / 420.0        0.50x      40.00x      4.0       80.0      0.1", lines.get(3));
        assertEquals("geometric mean Kiln/DuckDB: 1.00x (below 1 means Kiln is faster)", lines.get(4));
        assertEquals("geometric mean Spark/Kiln: 28.28x (above 1 means Kiln is faster)", lines.get(5));
        assertTrue(t.contains("Q1      30.0 / 25.0 / 40.0   8.3 / 7.0 / 9.0             5.3 / 1.5 / 1.5                        '90' -> '60'  2 compiled   0 compiled, 2 from cache (hit)\n"), t);
        assertTrue(t.contains("Q6      12.0 / 11.0 / 13.0   4.0 / 3.5 / 4.5             2.0 / 1.0 / 1.0  l_quantity < 24 -> l_quantity < 25  2 compiled  1 compiled, 1 from cache (MISS)\n"), t);
        assertTrue(t.endsWith("literal variants served from the class cache: 1 of 2\n"), t);
    }

    @Test
    void tableWithoutPeersHasOnlyKilnColumns() {
        Report r = new Report(0.1, 1, 0, 1, Optional.empty(), Optional.empty(), List.of(
                new Report.QueryReport(3, s(5, 5, 5), Optional.empty(), Optional.empty(), s(1, 1, 1), s(1, 1, 1), 1_000_000, 12.25, new Report.Phases(0.5, 0.25, 0.25), new Report.CacheCheck("a -> b", 1, 0, 1))));
        List<String> lines = r.table().lines().toList();
        assertEquals("query             Kiln  compile  first run  peak MB", lines.get(1));
        assertEquals("Q3     5.0 / 5.0 / 5.0      1.0       12.3      1.0", lines.get(2));
        assertTrue(lines.get(3).isEmpty(), "no geometric means without peers: " + lines);
        assertTrue(r.json().contains("\"duckdb\": null, \"spark\": null"), r.json());
        assertTrue(r.json().contains("\"geomean_kiln_over_duckdb\": null, \"geomean_spark_over_kiln\": null"), r.json());
    }

    @Test
    void jsonHasEveryField() {
        String j = sample().json();
        assertTrue(j.startsWith("{\"sf\": 1.0, \"threads\": 2, \"warmup\": 1, \"runs\": 3, \"duckdb\": \"v1.4.2\", \"spark\": \"4.1.1\",\n"), j);
        assertTrue(j.contains(" \"geomean_kiln_over_duckdb\": 1.0000, \"geomean_spark_over_kiln\": 28.2843, \"literal_variant_cache_hits\": 1,\n"), j);
        assertTrue(j.contains("{\"query\": 1, \"kiln\": {\"median_ms\": 100.000, \"min_ms\": 90.000, \"max_ms\": 120.000, \"runs\": 3}, "
                + "\"duckdb\": {\"median_ms\": 50.000, \"min_ms\": 45.000, \"max_ms\": 60.000, \"runs\": 3}, "
                + "\"spark\": {\"median_ms\": 2000.000, \"min_ms\": 1900.000, \"max_ms\": 2100.000, \"runs\": 3}, "
                + "\"kiln_over_duckdb\": 2.0000, \"spark_over_kiln\": 20.0000, "
                + "\"compile_cold\": {\"median_ms\": 30.000, \"min_ms\": 25.000, \"max_ms\": 40.000, \"runs\": 3}, "
                + "\"compile_warm\": {\"median_ms\": 8.250, \"min_ms\": 7.000, \"max_ms\": 9.000, \"runs\": 3}, \"peak_memory_bytes\": 123400000, \"kiln_first_run_ms\": 450.500, "
                + "\"kiln_phases\": {\"parse_ms\": 5.250, \"optimize_ms\": 1.500, \"codegen_ms\": 1.500}, "
                + "\"literal_variant\": {\"change\": \"'90' -> '60'\", \"query_classes_compiled\": 2, \"classes_compiled\": 0, \"cache_hits\": 2, \"cache_hit\": true}}"), j);
        assertTrue(j.contains("\"literal_variant\": {\"change\": \"l_quantity < 24 -> l_quantity < 25\", \"query_classes_compiled\": 2, \"classes_compiled\": 1, "
                + "\"cache_hits\": 1, \"cache_hit\": false}}\n]}\n"), j);
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", Report.str("a\"b\\c\nd\u0001"));
    }
}
