package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** EXPLAIN ANALYZE shows, for every operator, estimated and actual rows; the actual ones are exact. */
class ExplainAnalyzeTest {
    private static final Pattern ACTUAL = Pattern.compile("-- est=\\S+ actual=(\\d+)$");

    @Test
    void everyOperatorShowsItsActualRows() {
        try (Kiln kiln = Kiln.open(KilnConfig.defaults().withThreads(2))) {
            kiln.registerTpch(0.01);
            String sql = "SELECT l_returnflag, count(*) FROM lineitem WHERE l_quantity < 10 GROUP BY l_returnflag ORDER BY 1";
            Explain e = kiln.explainAnalyze(sql);
            java.util.Map<String, Long> actualByOperator = new java.util.LinkedHashMap<>();
            for (String line : e.optimizedPlan().lines().toList()) {
                Matcher m = ACTUAL.matcher(line);
                assertTrue(m.find(), "no actual rows on: " + line);
                actualByOperator.putIfAbsent(line.strip().split(" ")[0], Long.parseLong(m.group(1)));
            }
            long filtered;
            long groups;
            try (QueryResult r = kiln.sql("SELECT count(*) FROM lineitem WHERE l_quantity < 10")) {
                filtered = ((Number) r.rows().getFirst()[0]).longValue();
            }
            try (QueryResult r = kiln.sql(sql)) {
                groups = r.rows().size();
            }
            assertEquals(groups, actualByOperator.get("Sort"), e.optimizedPlan());
            assertEquals(groups, actualByOperator.get("Aggregate"), e.optimizedPlan());
            assertEquals(filtered, actualByOperator.get("Filter"), e.optimizedPlan());
            assertEquals(kiln.tableData("lineitem").rowCount(), actualByOperator.get("TableScan"), e.optimizedPlan());
            assertTrue(e.physicalPlan().contains("Executed in "), e.physicalPlan());
        }
    }

    /** Over a Parquet table the plan shown is the one run: its scan counts the rows actually read. */
    @Test
    void parquetScansCountTheRowsOfTheRowGroupsRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("r.parquet");
        try (DuckDbOracle duck = new DuckDbOracle()) {
            duck.execute("COPY (SELECT i AS id FROM range(100000) r(i)) TO '" + file + "' (FORMAT PARQUET, ROW_GROUP_SIZE 10000)");
        }
        try (Kiln kiln = Kiln.open()) {
            kiln.registerParquet("r", file);
            Explain e = kiln.explainAnalyze("SELECT count(*) FROM r WHERE id >= 95000");
            assertTrue(e.optimizedPlan().contains("Filter (id >= 95000) -- est="), e.optimizedPlan());
            assertTrue(e.optimizedPlan().contains(" actual=5000\n"), e.optimizedPlan()); // rows passing the filter
            Matcher scan = Pattern.compile("TableScan r \\[id\\] -- est=\\S+ actual=(\\d+)").matcher(e.optimizedPlan());
            assertTrue(scan.find(), e.optimizedPlan());
            long read = Long.parseLong(scan.group(1));
            // row groups whose maximum id is below 95000 are skipped: far fewer than 100000 rows are read
            assertTrue(read >= 5000 && read < 20_000, "rows read " + read + ":\n" + e.optimizedPlan());
        }
    }

    /** As SQL statements, EXPLAIN and EXPLAIN ANALYZE return their text as rows of one column. */
    @Test
    void explainStatementsReturnThePlanAsRows() {
        try (Kiln kiln = Kiln.open()) {
            kiln.registerTpch(0.01);
            String q = "SELECT count(*) FROM nation WHERE n_regionkey = 1";
            try (QueryResult r = kiln.sql("EXPLAIN " + q)) {
                assertEquals(java.util.List.of("plan"), r.columnNames());
                assertEquals(kiln.explain(q).render().lines().toList(), r.rows().stream().map(row -> (String) row[0]).toList());
            }
            try (QueryResult r = kiln.sql("explain analyze " + q)) {
                String text = String.join("\n", r.rows().stream().map(row -> (String) row[0]).toList());
                assertTrue(text.contains("TableScan nation [n_regionkey] -- est=25 actual=25"), text);
                assertTrue(text.contains("actual=5"), text); // five nations in region 1
            }
            assertEquals(false, kiln.isQuery("EXPLAIN " + q));
        }
    }
}
