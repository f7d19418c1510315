package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.connectors.parquet.ParquetTable;
import dev.kiln.engine.cli.CliAccess;
import dev.kiln.ir.KilnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TPC-H tables exported to Parquet by DuckDB and queried through Kiln SQL return DuckDB's
 * answers (all 22 queries at SF 0.01; lineitem as a directory of files, several row groups per
 * file). A query reads only its columns and the row groups its filters allow: proved by
 * corrupting what it must not read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParquetTablesTest {
    static final List<String> TABLES = List.of("nation", "region", "part", "supplier", "partsupp", "customer", "orders", "lineitem");

    @TempDir static Path dir;
    private DuckDbOracle duck;
    private Kiln kiln;

    @BeforeAll
    void export() throws Exception {
        duck = new DuckDbOracle();
        try (Kiln generated = Kiln.open()) {
            generated.registerTpch(0.01);
            for (String t : TABLES) duck.load(generated.tableData(t));
        }
        kiln = Kiln.open();
        for (String t : TABLES) {
            if (t.equals("lineitem")) {
                Path d = Files.createDirectories(dir.resolve("lineitem"));
                for (int k = 0; k < 3; k++) {
                    duck.execute("COPY (SELECT * FROM lineitem WHERE l_orderkey % 3 = " + k + " ORDER BY l_orderkey, l_linenumber) TO '" + d.resolve("part" + k + ".parquet")
                            + "' (FORMAT PARQUET, COMPRESSION zstd, ROW_GROUP_SIZE 4096)");
                }
                kiln.registerParquet(t, d);
            } else {
                Path f = dir.resolve(t + ".parquet");
                duck.execute("COPY " + t + " TO '" + f + "' (FORMAT PARQUET, COMPRESSION snappy, ROW_GROUP_SIZE 4096)");
                kiln.registerParquet(t, f);
            }
        }
    }

    @AfterAll
    void close() throws Exception {
        kiln.close();
        duck.close();
    }

    static List<Integer> queries() {
        return IntStream.rangeClosed(1, 22).boxed().toList();
    }

    @ParameterizedTest(name = "TPC-H Q{0} over Parquet")
    @MethodSource("queries")
    void tpchOverParquetMatchesDuckDb(int q) throws Exception {
        String sql = TpchQueries.text(q);
        List<Object[]> expected = duck.query(sql.replace("day (3)", "day"));
        assertTrue(!expected.isEmpty(), "DuckDB returned no rows; the comparison would be vacuous");
        try (QueryResult r = kiln.sql(sql)) {
            ResultComparison.assertSameRows(expected, r.rows(), TpchOracleTest.ORDER_COLUMNS.get(q), "Q" + q);
        }
    }

    @Test
    void catalogKnowsSchemaAndRowsWithoutReading() {
        assertEquals(60175, kiln.tableInfo("lineitem").rowCount());
        assertEquals("l_orderkey", kiln.tableInfo("LINEITEM").schema().field(0).name());
    }

    /**
     * In {@code t}, wreck column {@code pay} of every row group and all columns of the groups
     * with {@code k >= 6144}: a query on the other columns with {@code k < 4000} still runs, so
     * neither the column nor those groups were read; one that needs them fails naming the file.
     */
    @Test
    void queriesReadOnlyTheirColumnsAndRowGroups() throws Exception {
        Path f = dir.resolve("wrecked.parquet");
        duck.execute("COPY (SELECT i AS k, i % 10 AS g, 'p' || i AS pay FROM range(0, 10000) t(i)) TO '" + f + "' (FORMAT PARQUET, COMPRESSION uncompressed, ROW_GROUP_SIZE 2048)");
        ParquetTable t = ParquetTable.open(f);
        assertEquals(5, t.rowGroups().size());
        List<Object[]> chunks = duck.query("SELECT row_group_id, column_id, coalesce(dictionary_page_offset, data_page_offset), total_compressed_size FROM parquet_metadata('" + f + "')");
        byte[] b = Files.readAllBytes(f);
        for (Object[] c : chunks) {
            long group = ((Number) c[0]).longValue(), column = ((Number) c[1]).longValue(), start = ((Number) c[2]).longValue(), size = ((Number) c[3]).longValue();
            if (column == 2 || group >= 3) Arrays.fill(b, (int) start, (int) (start + size), (byte) 0x7F);
        }
        Files.write(f, b);
        kiln.registerParquet("w", f);
        try (QueryResult r = kiln.sql("SELECT g, count(*), sum(k) FROM w WHERE k < 4000 AND g >= 0 GROUP BY g ORDER BY g")) {
            assertEquals(10, r.rows().size());
            assertEquals(Arrays.asList(0L, 400L, 798000L), Arrays.asList(r.rows().get(0)));
        }
        String m = assertThrows(KilnException.class, () -> kiln.sql("SELECT count(*) FROM w WHERE k >= 4000").close()).getMessage();
        assertTrue(m.startsWith(f + ": row group 3, column 'k': "), m);
        m = assertThrows(KilnException.class, () -> kiln.sql("SELECT max(pay) FROM w WHERE k < 100").close()).getMessage();
        assertTrue(m.startsWith(f + ": row group 0, column 'pay': "), m);
    }

    @Test
    void explainReadsNothing() {
        assertTrue(kiln.explain("SELECT count(*) FROM lineitem WHERE l_quantity < 5").render().contains("scan lineitem"));
    }

    @Test
    void cliRegistersParquetFilesAndDirectories() {
        var r = CliAccess.run("sql", "--table", "n=" + dir.resolve("nation.parquet"), "--table", "l=" + dir.resolve("lineitem"),
                "-e", "SELECT count(*) AS nations, (SELECT count(*) FROM l) AS lines FROM n", "--format", "csv");
        assertEquals(0, r.code(), r.err());
        assertEquals("nations,lines\r\n25,60175\r\n", r.out());
    }
}
