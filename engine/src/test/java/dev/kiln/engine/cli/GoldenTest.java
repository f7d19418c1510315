package dev.kiln.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files for --explain and --explain-codegen. Regenerate after an intended change with
 * {@code ./kiln test -pl engine -Dtest=GoldenTest -Dkiln.updateGolden=true} and review the diff.
 */
class GoldenTest {
    record Case(String name, String option, String sql) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        String agg = "SELECT region, count(*) AS n, sum(quantity * unit_price) AS gross FROM sales "
                + "WHERE sale_date >= DATE '2024-01-10' AND product LIKE 'W%' GROUP BY region ORDER BY gross DESC";
        String join = "SELECT a.id, b.id AS other FROM sales a JOIN sales b ON a.product = b.product AND a.id < b.id "
                + "WHERE a.region = 'North' ORDER BY 1, 2 LIMIT 5";
        return List.of(
                new Case("explain-aggregate", "--explain", agg),
                new Case("explain-join", "--explain", join),
                new Case("codegen-aggregate", "--explain-codegen", agg),
                new Case("codegen-join", "--explain-codegen", join));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenFile(Case c) throws Exception {
        CliTest.Run r = CliTest.sql(c.sql(), c.option());
        assertEquals(0, r.code(), r.err());
        String actual = r.out().replace(CliTest.sales().toString(), "sales.csv");
        Path file = Path.of("src/test/resources/golden", c.name() + ".txt");
        if (Boolean.getBoolean("kiln.updateGolden")) {
            Files.writeString(file, actual);
            return;
        }
        assertTrue(Files.exists(file), "missing golden file " + file + ": run with -Dkiln.updateGolden=true and review it");
        assertEquals(Files.readString(file), actual, "output differs from " + file + " (update with -Dkiln.updateGolden=true if intended)");
    }
}
