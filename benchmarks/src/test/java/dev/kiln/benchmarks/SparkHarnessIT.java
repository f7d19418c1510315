package dev.kiln.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Spark peer: builds benchmarks/spark-peer (online the first time), starts Spark and runs
 * all 22 queries at SF 0.01, each checked against DuckDB's rows (a mismatch throws). About two
 * minutes, so not in the default run:
 * {@code mvn -o -pl benchmarks test -Dtest=SparkHarnessIT -Dkiln.bench.spark=true}.
 */
@EnabledIfSystemProperty(named = "kiln.bench.spark", matches = "true")
class SparkHarnessIT {
    @Test
    void allQueriesOnSparkMatchDuckDb(@TempDir Path out) throws Exception {
        System.setProperty("kiln.bench.sparkPeer", Path.of("spark-peer").toAbsolutePath().toString()); // surefire runs in benchmarks/
        assertEquals(0, Main.run(new String[] {"tpch", "--sf", "0.01", "--queries", "all", "--vs", "duckdb,spark", "--threads", "2", "--warmup", "0",
                "--runs", "1", "--spark-heap", "2g", "--out", out.toString()}));
        Path json;
        try (var files = Files.list(out)) {
            json = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        String report = Files.readString(json);
        assertTrue(report.matches("(?s).*\"spark\": \"4\\.[0-9.]+\",.*"), report);
        Matcher m = Pattern.compile("\"spark\": \\{\"median_ms\": [0-9.]+").matcher(report);
        int n = 0;
        while (m.find()) n++;
        assertEquals(22, n, report);
    }
}
