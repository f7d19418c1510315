package dev.kiln.connectors.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every supported type, NULLs, dictionary and plain pages, codecs and row groups, compared value by value with DuckDB. */
class ParquetReaderTest {
    /** All supported DuckDB types; NULLs in most columns; low- and high-cardinality strings (dictionary and plain pages). */
    static final String ALL_TYPES = """
            SELECT i::INTEGER AS i32,
                   CASE WHEN i % 11 = 3 THEN NULL ELSE i * 1000003 - 5000000000 END::BIGINT AS i64,
                   (i % 200 - 100)::TINYINT AS i8,
                   (i * 7 % 60000 - 30000)::SMALLINT AS i16,
                   (i % 250)::UTINYINT AS u8,
                   (i * 13 % 65000)::USMALLINT AS u16,
                   (i * 2654435761 % 4294967296)::UINTEGER AS u32,
                   CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1.5 - 1000 END::DOUBLE AS dbl,
                   (i / 3.0 - 7)::FLOAT AS flt,
                   CASE WHEN i % 13 = 0 THEN NULL ELSE i % 3 = 0 END AS b,
                   'cat_' || (i % 37) AS s_dict,
                   CASE WHEN i % 5 = 0 THEN NULL ELSE md5(i::VARCHAR) || 'é' END AS s_plain,
                   CASE WHEN i % 4 = 0 THEN '' ELSE 'x' END AS s_empty,
                   (i * 12.34 - 5000)::DECIMAL(9,2) AS d9,
                   CASE WHEN i % 9 = 0 THEN NULL ELSE (i * 1234.5678 - 99999)::DECIMAL(18,4) END AS d18,
                   (i % 1000 / 10)::DECIMAL(4,1) AS d4,
                   DATE '1969-12-25' + i::INTEGER AS dt,
                   CASE WHEN i % 6 = 0 THEN NULL ELSE TIMESTAMP '1969-12-31 23:59:58.123456' + INTERVAL (i * 1001) MILLISECOND END AS ts,
                   (TIMESTAMP '2001-02-03 04:05:06' + INTERVAL (i) SECOND)::TIMESTAMP_MS AS ts_ms,
                   TIMESTAMPTZ '2020-05-06 07:08:09.5+00' + INTERVAL (i) MINUTE AS ts_tz
            FROM range(0, {N}) t(i)
            """;

    static String allTypes(int rows) {
        return ALL_TYPES.replace("{N}", Integer.toString(rows));
    }

    static DuckParquet duck;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        duck = new DuckParquet();
    }

    @AfterAll
    static void stop() throws Exception {
        duck.close();
    }

    static void assertSameRows(List<List<Object>> expected, List<List<Object>> actual) {
        assertEquals(expected.size(), actual.size(), "row count");
        for (int r = 0; r < expected.size(); r++) {
            assertEquals(DuckParquet.show(expected.get(r)), DuckParquet.show(actual.get(r)), "row " + r);
        }
    }

    private Path roundTrip(String name, String select, String options) throws Exception {
        Path f = duck.write(dir.resolve(name + ".parquet"), select, options);
        ParquetTable t = ParquetTable.open(f);
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Table table = ParquetReader.readAll(t, mem);
            assertEquals(t.rowCount(), table.rowCount());
            for (Batch b : table.batches()) assertEquals(true, b.rowCount() > 0 && b.rowCount() <= Table.MORSEL_ROWS);
            assertSameRows(duck.read(f.toString(), t.schema(), ""), DuckParquet.rows(table));
        }
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"uncompressed", "snappy", "gzip", "zstd", "lz4_raw"})
    void everyTypeWithEveryCodec(String codec) throws Exception {
        Path f = roundTrip("types_" + codec, allTypes(5000), "COMPRESSION " + codec + ", ROW_GROUP_SIZE 2048");
        assertEquals(java.util.Set.of("PLAIN", "RLE_DICTIONARY"), duck.encodings(f));
    }

    @Test
    void rowGroupsLargerThanABatchSplitIntoMorsels() throws Exception {
        roundTrip("big", allTypes(150_000), "COMPRESSION snappy, ROW_GROUP_SIZE 140000");
    }

    @Test
    void dataPagesVersion2() throws Exception {
        Path f = roundTrip("v2", allTypes(20_000), "COMPRESSION zstd, PARQUET_VERSION v2, ROW_GROUP_SIZE 8192");
        assertEquals(java.util.Set.of("BYTE_STREAM_SPLIT", "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "PLAIN", "RLE_DICTIONARY"), duck.encodings(f));
    }

    @Test
    void schemaMapsTypesAndNullability() throws Exception {
        Path f = duck.write(dir.resolve("schema.parquet"), "SELECT 1::INTEGER AS a, 'x' AS s, 1.5::DECIMAL(9,2) AS d, DATE '2020-01-01' AS dt, 2::UINTEGER AS u",
                "COMPRESSION snappy");
        Schema s = ParquetTable.open(f).schema();
        assertEquals(List.of(new Field("a", DataType.INTEGER, true), new Field("s", DataType.VARCHAR, true), new Field("d", DataType.decimal(9, 2), true),
                new Field("dt", DataType.DATE, true), new Field("u", DataType.BIGINT, true)), s.fields());
    }

    @Test
    void projectionReadsOnlyTheRequestedColumnsInTheirOrder() throws Exception {
        Path f = duck.write(dir.resolve("proj.parquet"), allTypes(3000), "ROW_GROUP_SIZE 1000");
        ParquetTable t = ParquetTable.open(f);
        int s = t.schema().indexOf("s_plain").orElseThrow(), d = t.schema().indexOf("d18").orElseThrow();
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Table table = ParquetReader.read(t, List.of(s, d), RowGroupFilter.all(), mem);
            assertEquals(List.of("s_plain", "d18"), table.schema().names());
            assertSameRows(duck.read(f.toString(), table.schema(), ""), DuckParquet.rows(table));
        }
    }

    @Test
    void aDirectoryIsOneTableInFileNameOrder() throws Exception {
        Path d = dir.resolve("parts");
        java.nio.file.Files.createDirectories(d);
        for (int p = 0; p < 3; p++) {
            duck.write(d.resolve("part-" + p + ".parquet"), allTypes(1000).replace("FROM range(0, 1000)", "FROM range(" + p * 1000 + ", " + (p + 1) * 1000 + ")"),
                    "COMPRESSION " + List.of("snappy", "zstd", "gzip").get(p) + ", ROW_GROUP_SIZE 300");
        }
        java.nio.file.Files.writeString(d.resolve("README.txt"), "not parquet");
        ParquetTable t = ParquetTable.open(d);
        assertEquals(3000, t.rowCount());
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Table table = ParquetReader.readAll(t, mem);
            assertSameRows(duck.read(d + "/part-*.parquet", t.schema(), ""), DuckParquet.rows(table));
        }
    }

    @Test
    void zeroRowsGiveAnEmptyTableWithTheSchema() throws Exception {
        Path f = duck.write(dir.resolve("empty.parquet"), "SELECT i::INTEGER AS a, 'x' || i AS s FROM range(0, 0) t(i)", "");
        ParquetTable t = ParquetTable.open(f);
        assertEquals(List.of("a", "s"), t.schema().names());
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Table table = ParquetReader.readAll(t, mem);
            assertEquals(0, table.rowCount());
            assertEquals(0, table.batches().size());
        }
    }

    @Test
    void allNullColumn() throws Exception {
        roundTrip("nulls", "SELECT NULL::INTEGER AS a, NULL::VARCHAR AS s, i AS k FROM range(0, 100) t(i)", "");
    }
}
