package dev.kiln.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void runsVerifiesAndWritesAReport(@TempDir Path out) throws Exception {
        int code = Main.run(new String[] {"tpch", "--sf", "0.01", "--queries", "1,6,14", "--vs", "duckdb", "--warmup", "0", "--runs", "3",
                "--out", out.toString()});
        assertEquals(0, code);
        List<Path> reports;
        try (var files = Files.list(out)) {
            reports = files.toList();
        }
        assertEquals(1, reports.size(), reports.toString());
        String json = Files.readString(reports.getFirst());
        assertTrue(json.startsWith("{\"sf\": 0.01, \"threads\": 1, \"duckdb\": \"v"), json);
        Matcher m = Pattern.compile("\\{\"query\": (\\d+), \"kiln\": \\{\"median_ms\": [0-9.]+, \"min_ms\": [0-9.]+, \"max_ms\": [0-9.]+, \"runs\": 3}, "
                + "\"duckdb\": \\{[^}]*\"runs\": 3}, \"ratio\": [0-9.]+, \"compile_cold\": \\{[^}]*}, \"compile_warm\": \\{[^}]*}}").matcher(json);
        StringBuilder queries = new StringBuilder();
        while (m.find()) queries.append(m.group(1)).append(' ');
        assertEquals("1 6 14 ", queries.toString(), json);
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(2, Main.run(new String[] {}));
        assertEquals(2, Main.run(new String[] {"tpcds"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--sf"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--sf", "-1"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--queries", "1,23"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--queries", "one"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--vs", "spark"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--threads", "0"}));
        assertEquals(2, Main.run(new String[] {"tpch", "--runz", "2"}));
    }

    @Test
    void statsAreMedianMinMax() {
        Stats odd = Stats.of(List.of(5.0, 1.0, 3.0));
        assertEquals(new Stats(3.0, 1.0, 5.0, 3), odd);
        assertEquals(new Stats(2.5, 1.0, 4.0, 4), Stats.of(List.of(4.0, 1.0, 3.0, 2.0)));
    }
}
