package dev.kiln.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself (not performance): it checks results, reports every query and rejects bad arguments. */
class HarnessTest {
    @Test
    void runsVerifiesAndWritesAReportAndAChart(@TempDir Path out) throws Exception {
        int code = Main.run(new String[] {"tpch", "--sf", "0.01", "--queries", "1,6,14", "--vs", "duckdb", "--warmup", "0", "--runs", "3",
                "--out", out.toString()});
        assertEquals(0, code);
        List<String> names;
        try (var files = Files.list(out)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(2, names.size(), names.toString());
        String base = names.getFirst().substring(0, names.getFirst().lastIndexOf('.'));
        assertTrue(base.matches("tpch-sf0\\.01-\\d{8}-\\d{6}"), base);
        assertEquals(List.of(base + ".json", base + ".svg"), names);
        String json = Files.readString(out.resolve(base + ".json"));
        assertTrue(json.startsWith("{\"sf\": 0.01, \"threads\": 1, \"warmup\": 0, \"runs\": 3, \"duckdb\": \"v"), json);
        assertTrue(json.contains("\"spark\": null,"), json);
        Matcher m = Pattern.compile("\\{\"query\": (\\d+), \"kiln\": \\{\"median_ms\": [0-9.]+, \"min_ms\": [0-9.]+, \"max_ms\": [0-9.]+, \"runs\": 3}, "
                + "\"duckdb\": \\{[^}]*\"runs\": 3}, \"spark\": null, \"kiln_over_duckdb\": [0-9.]+, \"spark_over_kiln\": null, \"compile_cold\": \\{[^}]*}, "
                + "\"compile_warm\": \\{[^}]*}, \"peak_memory_bytes\": [1-9][0-9]*, \"kiln_first_run_ms\": [0-9.]+, \"kiln_phases\": \\{\"parse_ms\": [0-9.]+, \"optimize_ms\": [0-9.]+, \"codegen_ms\": [0-9.]+}, \"literal_variant\": \\{\"change\": \"[^\"]+\", \"query_classes_compiled\": [1-9][0-9]*, "
                + "\"classes_compiled\": (\\d+), \"cache_hits\": (\\d+), \"cache_hit\": (true|false)}}").matcher(json);
        StringBuilder queries = new StringBuilder();
        while (m.find()) {
            queries.append(m.group(1)).append(' ');
            // Q1, Q6 and Q14 change a date or a number: the plan keeps its shape, so nothing is compiled again
            assertEquals("0", m.group(2), "Q" + m.group(1) + " variant compiled classes: " + json);
            assertEquals("true", m.group(4), json);
        }
        assertEquals("1 6 14 ", queries.toString(), json);
        String svg = Files.readString(out.resolve(base + ".svg"));
        assertEquals(6, SvgChartTest.find(svg, "<rect class=\"bar\"").size(), svg);
        assertEquals(List.of("Kiln", "DuckDB"), SvgChartTest.groups(svg, "<text class=\"legend\" [^>]*>([^<]+)</text>"));
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(2, Main.run(new String[] {}));
        assertEquals(2, Main.run(new String[] {"tpcds"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--sf"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--sf", "-1"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--queries", "1,23"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--queries", "one"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--vs", "spark,foo"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--threads", "0"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--runz", "2"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--spark-heap", "lots"}));
    }

    @Test
    void anUnknownPeerIsNamedWithTheValidOnes() {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Main.run(new String[] {"tpch", "--vs", "spark,foo"}));
        } finally {
            System.setErr(err);
        }
        assertEquals("kiln bench: unknown peer 'foo': this harness compares with duckdb and spark (e.g. --vs duckdb,spark)\n" + Main.USAGE + "\n",
                buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void peersAndQueriesParse() {
        Main.Options o = Main.parseArgs(new String[] {"tpch", "--vs", "duckdb,spark", "--queries", "all", "--threads", "2", "--spark-heap", "4g"});
        assertTrue(o.duckdb() && o.spark());
        assertEquals(22, o.queries().size());
        assertEquals(List.of(1, 22), List.of(o.queries().getFirst(), o.queries().getLast()));
        assertEquals("4g", o.sparkHeap());
        Main.Options spark = Main.parseArgs(new String[] {"tpch", "--vs", "spark"});
        assertTrue(spark.spark() && !spark.duckdb());
        assertEquals(Main.ALL_QUERIES, spark.queries(), "all 22 by default");
        assertEquals(List.of(3, 5), Main.parseArgs(new String[] {"tpch", "--queries", "3, 5"}).queries());
    }

    @Test
    void statsAreMedianMinMax() {
        Stats odd = Stats.of(List.of(5.0, 1.0, 3.0));
        assertEquals(new Stats(3.0, 1.0, 5.0, 3), odd);
        assertEquals(new Stats(2.5, 1.0, 4.0, 4), Stats.of(List.of(4.0, 1.0, 3.0, 2.0)));
    }
}
