package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parquet files written by DuckDB read back through Kiln exactly as DuckDB reads them: every
 * type Kiln maps, NULLs, dictionary and plain pages, several row groups, every codec Kiln
 * decodes, directories of files; damaged and unsupported files fail with the file named.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParquetTest {
    @TempDir
    static Path dir;
    private DuckDbOracle duck;

    /** Columns of every mapped type, NULLs in some, low-cardinality strings (dictionary pages) and unique ones (plain). */
    static final String ROWS = """
            SELECT i AS id,
                   CASE WHEN i % 7 = 0 THEN NULL ELSE i * 3 END AS n,
                   (i % 5)::SMALLINT AS small,
                   i::DOUBLE / 3 AS d,
                   CASE WHEN i % 11 = 0 THEN NULL ELSE 'name ' || (i % 100) END AS s,
                   'unique-' || i || repeat('x', i % 13) AS u,
                   DATE '1995-01-01' + (i % 1000)::INT AS dt,
                   (i * 1.25)::DECIMAL(15,2) AS m,
                   (i % 3 = 0) AS b,
                   TIMESTAMP '2001-02-03 04:05:06.123456' + INTERVAL (i) SECOND AS ts
            FROM range(150000) r(i)""";

    @BeforeAll
    void write() throws Exception {
        duck = new DuckDbOracle();
        duck.execute("CREATE TABLE t AS " + ROWS);
        for (String codec : List.of("snappy", "gzip", "zstd", "lz4_raw", "uncompressed")) {
            duck.execute("COPY t TO '" + dir.resolve(codec + ".parquet") + "' (FORMAT PARQUET, COMPRESSION " + codec + ", ROW_GROUP_SIZE 40000)");
        }
        Files.createDirectories(dir.resolve("parts"));
        duck.execute("COPY (SELECT * FROM t WHERE id < 70000) TO '" + dir.resolve("parts/a.parquet") + "' (FORMAT PARQUET)");
        duck.execute("COPY (SELECT * FROM t WHERE id >= 70000) TO '" + dir.resolve("parts/b.parquet") + "' (FORMAT PARQUET)");
    }

    @AfterAll
    void close() throws Exception {
        duck.close();
    }

    private void assertReadsLikeDuckDb(Path path, String label) throws Exception {
        try (Kiln kiln = Kiln.open()) {
            kiln.registerParquet("p", path);
            String glob = Files.isDirectory(path) ? path.resolve("*.parquet").toString() : path.toString();
            List<Object[]> expected = duck.query("SELECT * FROM read_parquet('" + glob + "') ORDER BY id");
            try (QueryResult r = kiln.sql("SELECT * FROM p ORDER BY id")) {
                assertEquals(150_000, r.rows().size(), label);
                ResultComparison.assertSameRows(expected, r.rows(), new int[] {0}, label);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"snappy", "gzip", "zstd", "lz4_raw", "uncompressed"})
    void everyValueEqualsDuckDbs(String codec) throws Exception {
        assertReadsLikeDuckDb(dir.resolve(codec + ".parquet"), codec);
    }

    @Test
    void aDirectoryOfFilesIsOneTable() throws Exception {
        assertReadsLikeDuckDb(dir.resolve("parts"), "directory");
    }

    @Test
    void typesMapToKilnTypes() throws Exception {
        try (Kiln kiln = Kiln.open()) {
            kiln.registerParquet("p", dir.resolve("snappy.parquet"));
            // DuckDB writes every column OPTIONAL
            assertEquals("[id BIGINT, n BIGINT, small SMALLINT, d DOUBLE, s VARCHAR, u VARCHAR, dt DATE, m DECIMAL(15,2), b BOOLEAN, ts TIMESTAMP]",
                    kiln.table("p").schema().toString());
        }
    }

    @Test
    void damagedAndUnsupportedFilesAreClearErrors() throws Exception {
        Path good = dir.resolve("snappy.parquet");
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.parquet");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path text = dir.resolve("text.parquet");
        Files.writeString(text, "id,name\n1,a\n");
        Path tiny = dir.resolve("tiny.parquet");
        Files.write(tiny, new byte[] {'P', 'A', 'R', '1'});
        duck.execute("COPY (SELECT [1, 2] AS xs, 1 AS id) TO '" + dir.resolve("nested.parquet") + "' (FORMAT PARQUET)");
        duck.execute("COPY (SELECT 1 AS id) TO '" + dir.resolve("brotli.parquet") + "' (FORMAT PARQUET, COMPRESSION brotli)");
        try (Kiln kiln = Kiln.open()) {
            assertEquals(truncated + ": not a Parquet file (no PAR1 magic at its start and end)", error(kiln, truncated));
            assertEquals(text + ": not a Parquet file (no PAR1 magic at its start and end)", error(kiln, text));
            assertEquals(tiny + ": 4 bytes is too short for a Parquet file (it needs PAR1 at both ends)", error(kiln, tiny));
            assertTrue(error(kiln, dir.resolve("nested.parquet")).startsWith(dir.resolve("nested.parquet") + ": nested columns"), error(kiln, dir.resolve("nested.parquet")));
            assertEquals("column id is compressed with BROTLI, which Kiln cannot read yet; rewrite the file with SNAPPY, GZIP, ZSTD, LZ4_RAW or no compression",
                    error(kiln, dir.resolve("brotli.parquet")));
            assertEquals(List.of(), kiln.tableNames(), "a failed registration registers nothing");
        }
    }

    private static String error(Kiln kiln, Path file) {
        return assertThrows(KilnException.class, () -> kiln.registerParquet("bad", file)).getMessage();
    }

    /** TPC-H tables written to Parquet by DuckDB and read back by Kiln give DuckDB's answers to the queries. */
    @ParameterizedTest(name = "TPC-H Q{0} over Parquet")
    @ValueSource(ints = {1, 3, 5, 6, 10, 12, 14})
    void tpchOverParquetMatchesDuckDb(int q) throws Exception {
        Path tpch = Files.createDirectories(dir.resolve("tpch"));
        try (Kiln generated = Kiln.open(); Kiln kiln = Kiln.open(); DuckDbOracle oracle = new DuckDbOracle()) {
            generated.registerTpch(0.01);
            for (String t : generated.tableNames()) {
                oracle.load(generated.table(t));
                Path file = tpch.resolve(t + ".parquet");
                if (!Files.exists(file)) oracle.execute("COPY \"" + t + "\" TO '" + file + "' (FORMAT PARQUET, ROW_GROUP_SIZE 20000)");
                kiln.registerParquet(t, file);
            }
            String sql = TpchQueries.text(q);
            List<Object[]> expected = oracle.query(sql.replace("day (3)", "day"));
            try (QueryResult r = kiln.sql(sql)) {
                ResultComparison.assertSameRows(expected, r.rows(), TpchOracleTest.ORDER_COLUMNS.get(q), "Q" + q + " over Parquet");
            }
        }
    }

    @Test
    void anEmptyDirectoryIsAnError() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        try (Kiln kiln = Kiln.open()) {
            assertEquals("directory " + empty + " holds no .parquet files", error(kiln, empty));
        }
    }
}
