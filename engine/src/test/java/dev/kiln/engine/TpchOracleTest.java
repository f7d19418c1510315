package dev.kiln.engine;

import dev.kiln.codegen.emit.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every TPC-H query returns exactly DuckDB's answer on the same data (SF 0.01), with both
 * bytecode backends. Kiln's and DuckDB's rows are compared in order (every query orders its
 * output), decimals exactly, doubles to 1e-9 relative.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TpchOracleTest {
    static final double SF = 0.01;
    private Kiln asm;
    private Kiln janino;
    private DuckDbOracle duck;

    @BeforeAll
    void load() throws Exception {
        asm = Kiln.open();
        asm.registerTpch(SF);
        janino = Kiln.open(KilnConfig.defaults().withBackend(Backend.JANINO));
        janino.registerTpch(SF);
        duck = new DuckDbOracle();
        Path dir = Files.createTempDirectory("kiln-oracle");
        for (String t : asm.tableNames()) duck.load(asm.table(t), dir);
        Files.delete(dir);
    }

    @AfterAll
    void close() throws Exception {
        asm.close();
        janino.close();
        duck.close();
    }

    static List<Integer> queries() {
        return java.util.stream.IntStream.rangeClosed(1, 22).boxed().toList();
    }

    @ParameterizedTest(name = "TPC-H Q{0}")
    @MethodSource("queries")
    void matchesDuckDb(int q) throws Exception {
        String sql = TpchQueries.text(q);
        // DuckDB does not accept the standard's interval precision "day (3)"
        List<Object[]> expected = duck.query(sql.replace("day (3)", "day"));
        try (QueryResult r = asm.sql(sql)) {
            ResultComparison.assertSameRows(expected, r.rows(), "Q" + q + " (ASM)");
        }
        try (QueryResult r = janino.sql(sql)) {
            ResultComparison.assertSameRows(expected, r.rows(), "Q" + q + " (Janino)");
        }
    }
}
