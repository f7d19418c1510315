package dev.kiln.engine;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.TableBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DOUBLE values at the edges - NaN, ±infinity, -0.0 and 0.0, NULL - through the compiled
 * comparisons, grouping, joins, DISTINCT, MIN/MAX and sorting, against DuckDB on the same rows:
 * SQL's order, in which NaN equals NaN and is above every number and -0.0 equals 0.0 (Java's
 * operators, which say false to every comparison with NaN, split NaN keys into one group per row
 * and dropped NaN from {@code x > 1}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DoubleOrderOracleTest {
    private DuckDbOracle duck;
    private Kiln serial;
    private Kiln parallel;
    private QueryMemory mem;

    static Stream<Arguments> queries() {
        return Stream.of(
                Arguments.of("SELECT id, x FROM d WHERE x > 1 ORDER BY id", new int[] {0}),
                Arguments.of("SELECT id, x FROM d WHERE x >= CAST('NaN' AS DOUBLE) OR x < -1e308 ORDER BY id", new int[] {0}),
                Arguments.of("SELECT id, x = x, x <> 0, x < 2, x <= 0, y = x FROM d ORDER BY id", new int[] {0}),
                Arguments.of("SELECT x, count(*), sum(id) FROM d GROUP BY x ORDER BY x NULLS LAST", new int[] {0}),
                Arguments.of("SELECT count(DISTINCT x), count(*) FROM d", new int[] {}),
                Arguments.of("SELECT g, min(x), max(x), min(y), max(y) FROM d GROUP BY g ORDER BY g", new int[] {0}),
                Arguments.of("SELECT min(x), max(x) FROM d WHERE id < 9", new int[] {}),
                Arguments.of("SELECT a.id, b.id FROM d a JOIN d b ON a.x = b.y ORDER BY 1, 2", new int[] {0, 1}),
                Arguments.of("SELECT id FROM d WHERE x IN (0.0, CAST('NaN' AS DOUBLE), 7.5) ORDER BY id", new int[] {0}),
                Arguments.of("SELECT id, x FROM d ORDER BY x DESC NULLS LAST, id", new int[] {1, 0}),
                Arguments.of("SELECT CASE WHEN x > y THEN 'x' WHEN x < y THEN 'y' ELSE 'same' END, count(*) FROM d GROUP BY 1 ORDER BY 1", new int[] {0}));
    }

    @BeforeAll
    void load() throws Exception {
        serial = Kiln.open(KilnConfig.defaults().withThreads(1));
        parallel = Kiln.open(KilnConfig.defaults().withThreads(3));
        duck = new DuckDbOracle();
        mem = new QueryMemory(Long.MAX_VALUE);
        Schema s = Schema.of(new Field("id", DataType.BIGINT, false), new Field("g", DataType.INTEGER, false), new Field("x", DataType.DOUBLE, true),
                new Field("y", DataType.DOUBLE, true));
        double[] edge = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, 1.0, 7.5, -2.25, Double.MAX_VALUE, -Double.MIN_VALUE};
        TableBuilder tb = new TableBuilder("d", s, mem);
        for (long id = 0; id < 60; id++) {
            Double x = id % 11 == 10 ? null : edge[(int) (id % edge.length)];
            Double y = id % 13 == 12 ? null : edge[(int) (id * 7 % edge.length)];
            tb.appendRow(id, (long) (id % 4), x, y);
        }
        var t = tb.build();
        for (Kiln k : List.of(serial, parallel)) k.registerTable(t);
        duck.load(t);
    }

    @AfterAll
    void close() throws Exception {
        serial.close();
        parallel.close();
        duck.close();
        mem.close();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("queries")
    void matchesDuckDb(String sql, int[] orderColumns) throws Exception {
        List<Object[]> expected = duck.query(sql);
        for (var k : List.of(java.util.Map.entry("1 thread", serial), java.util.Map.entry("3 threads", parallel))) {
            try (QueryResult r = k.getValue().sql(sql)) {
                ResultComparison.assertSameRows(expected, r.rows(), orderColumns, k.getKey() + ": " + sql);
            }
        }
    }
}
