package dev.kiln.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.engine.TpchQueries;
import org.junit.jupiter.api.Test;

/** Every TPC-H text in Spark's dialect: exactly Q1's interval and Q11's quoted name change. */
class SparkDialectTest {
    @Test
    void everyTpchTextIsRewrittenExactlyWhereSparkDiffers() {
        for (int q = 1; q <= 22; q++) {
            String sql = TpchQueries.text(q);
            String spark = SparkDialect.rewrite(sql);
            String expected = switch (q) {
                case 1 -> sql.replace("interval '90' day (3)", "interval '90' day");
                case 11 -> sql.replace("\"value\"", "`value`");
                default -> sql;
            };
            assertEquals(expected, spark, "Q" + q);
            assertFalse(spark.contains("\""), "Q" + q + " keeps no double quote");
            assertFalse(spark.matches("(?s).*day\\s*\\(.*"), "Q" + q + " keeps no interval precision");
        }
        assertFalse(TpchQueries.text(1).equals(SparkDialect.rewrite(TpchQueries.text(1))));
        assertFalse(TpchQueries.text(11).equals(SparkDialect.rewrite(TpchQueries.text(11))));
    }

    @Test
    void intervalPrecisionOfEveryUnitIsDropped() {
        assertEquals("d - interval '3' month + interval '1' YEAR", SparkDialect.rewrite("d - interval '3' month (2) + interval '1' YEAR(4)"));
    }

    @Test
    void quotesInsideStringLiteralsStay() {
        assertEquals("select `a b` from t where s = 'say \"hi\"' and u = 'it''s \"x\"'",
                SparkDialect.rewrite("select \"a b\" from t where s = 'say \"hi\"' and u = 'it''s \"x\"'"));
        assertEquals("select 'a`b'", SparkDialect.rewrite("select 'a`b'"));
        assertThrows(IllegalArgumentException.class, () -> SparkDialect.rewrite("select `a` from t"));
    }
}
