package dev.kiln.connectors.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import dev.kiln.runtime.memory.QueryMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and unsupported files: exact messages that name the file, and no memory left behind. */
class ParquetErrorsTest {
    static DuckParquet duck;
    @TempDir static Path dir;
    static Path good;
    static byte[] goodBytes;

    @BeforeAll
    static void start() throws Exception {
        duck = new DuckParquet();
        good = duck.write(dir.resolve("good.parquet"), "SELECT i::INTEGER AS a, 'v' || i AS s FROM range(0, 5000) t(i)", "COMPRESSION uncompressed, ROW_GROUP_SIZE 1000");
        goodBytes = Files.readAllBytes(good);
    }

    @AfterAll
    static void stop() throws Exception {
        duck.close();
    }

    private static String openError(Path f) {
        return assertThrows(KilnException.class, () -> ParquetTable.open(f)).getMessage();
    }

    private static Path withBytes(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void truncatedFile() throws Exception {
        Path f = withBytes("truncated.parquet", Arrays.copyOf(goodBytes, goodBytes.length / 2));
        assertEquals(f + ": not a Parquet file, or a truncated one: it does not end with the magic bytes PAR1", openError(f));
    }

    @Test
    void tooShortFile() throws Exception {
        Path f = withBytes("short.parquet", new byte[] {'P', 'A', 'R', '1', 0});
        assertEquals(f + ": not a Parquet file: it has 5 bytes, fewer than the 12 of the magic PAR1, a footer length and PAR1 again; the file may be truncated", openError(f));
    }

    @Test
    void badMagic() throws Exception {
        byte[] b = goodBytes.clone();
        b[0] = 'X';
        Path f = withBytes("magic.parquet", b);
        assertEquals(f + ": not a Parquet file: it does not start with the magic bytes PAR1", openError(f));
    }

    @Test
    void csvIsNotParquet() throws Exception {
        Path f = withBytes("data.parquet", "a,b\n1,2\n3,4\n".getBytes());
        assertEquals(f + ": not a Parquet file: it does not start with the magic bytes PAR1", openError(f));
    }

    @Test
    void footerLengthBeyondTheFile() throws Exception {
        byte[] b = goodBytes.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 8, 1_000_000);
        Path f = withBytes("footerlen.parquet", b);
        assertEquals(f + ": corrupt footer: its length 1000000 (in the last 8 bytes) exceeds the " + (b.length - 12) + " bytes between the magic numbers; the file is damaged",
                openError(f));
    }

    @Test
    void garbledFooter() throws Exception {
        byte[] b = goodBytes.clone();
        int len = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(b.length - 8);
        int start = b.length - 8 - len;
        Arrays.fill(b, start, b.length - 8, (byte) 0xFF);
        Path f = withBytes("garbled.parquet", b);
        String m = openError(f);
        assertTrue(m.startsWith(f + ": corrupt footer: ") && m.endsWith("(the footer spans bytes " + start + " to " + (b.length - 8) + ")"), m);
    }

    @Test
    void nestedColumns() throws Exception {
        Path list = duck.write(dir.resolve("list.parquet"), "SELECT 1 AS id, [1, 2] AS l", "");
        assertEquals(list + ": column 'l' is a nested column (a group of logical type LIST); nested types are not supported, Kiln reads flat schemas only: "
                + "write the nested fields as top-level columns", openError(list));
        Path struct = duck.write(dir.resolve("struct.parquet"), "SELECT {'x': 1} AS st", "");
        assertEquals(struct + ": column 'st' is a nested column (a group); nested types are not supported, Kiln reads flat schemas only: "
                + "write the nested fields as top-level columns", openError(struct));
    }

    @Test
    void unsupportedTypesNameTheColumnAndTheParquetType() throws Exception {
        String supported = ", which Kiln cannot read; supported: BOOLEAN, INT32, INT64, FLOAT, DOUBLE, strings (BYTE_ARRAY UTF8), DECIMAL up to 18 digits, DATE, TIMESTAMP (MILLIS, MICROS, INT96)";
        Path time = duck.write(dir.resolve("time.parquet"), "SELECT TIME '12:00:00' AS t", "");
        assertEquals(time + ": column 't' has Parquet type INT64 (TIME)" + supported, openError(time));
        Path wide = duck.write(dir.resolve("wide.parquet"), "SELECT 1::DECIMAL(38,2) AS d", "");
        assertEquals(wide + ": column 'd' has Parquet type FIXED_LEN_BYTE_ARRAY(16) (DECIMAL(38,2))" + supported, openError(wide));
        Path nanos = duck.write(dir.resolve("nanos.parquet"), "SELECT TIMESTAMP_NS '2020-01-01 00:00:00' AS ts", "");
        assertEquals(nanos + ": column 'ts' has Parquet type INT64 (TIMESTAMP(NANOS))" + supported, openError(nanos));
        Path blob = duck.write(dir.resolve("blob.parquet"), "SELECT 'ab'::BLOB AS b", "");
        assertEquals(blob + ": column 'b' has Parquet type BYTE_ARRAY" + supported, openError(blob));
    }

    @Test
    void missingPathAndEmptyDirectory() throws Exception {
        Path none = dir.resolve("nope.parquet");
        assertEquals(none + ": no such Parquet file or directory", openError(none));
        Path empty = Files.createDirectories(dir.resolve("emptydir"));
        assertEquals(empty + ": the directory has no .parquet files", openError(empty));
    }

    @Test
    void directoryFilesMustAgreeOnColumns() throws Exception {
        Path d = Files.createDirectories(dir.resolve("mixed"));
        duck.write(d.resolve("a.parquet"), "SELECT 1::INTEGER AS x", "");
        duck.write(d.resolve("b.parquet"), "SELECT 'y' AS x", "");
        assertEquals(d.resolve("b.parquet") + ": its columns [x VARCHAR] differ from those of " + d.resolve("a.parquet")
                + " [x INTEGER]; all files of a directory table need the same column names and types", openError(d));
    }

    /** A corrupt page in the last row group: the message names file, group and column, and what the other groups had read is freed. */
    @Test
    void corruptPageFreesEverything() throws Exception {
        ParquetTable t = ParquetTable.open(good);
        int last = t.rowGroups().size() - 1;
        assertTrue(last >= 2, "row groups: " + (last + 1));
        var chunk = t.file(0).meta().rowGroups().get(last).columns().get(1).meta();
        byte[] b = goodBytes.clone();
        Arrays.fill(b, (int) chunk.firstPageOffset(), (int) (chunk.firstPageOffset() + chunk.totalCompressedSize()), (byte) 0x7F);
        Path f = withBytes("badpage.parquet", b);
        ParquetTable bad = ParquetTable.open(f);
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            // 0x7F is field 7 (the dictionary page header, a struct) of Thrift type 15; inside it the next 0x7F is the unknown type
            String m = assertThrows(KilnException.class, () -> ParquetReader.readAll(bad, mem)).getMessage();
            assertEquals(f + ": row group " + last + ", column 's': unknown Thrift type 15 at byte " + (chunk.firstPageOffset() + 2) + "; the file is corrupt or was written incorrectly", m);
            assertEquals(0, mem.used());
        }
    }

    @Test
    void readAfterTheFileChanged() throws Exception {
        Path f = withBytes("changing.parquet", goodBytes);
        ParquetTable t = ParquetTable.open(f);
        Files.write(f, Arrays.copyOf(goodBytes, goodBytes.length - 1));
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            assertEquals(f + ": the file changed since it was opened (" + goodBytes.length + " bytes then, " + (goodBytes.length - 1) + " now); register it again",
                    assertThrows(KilnException.class, () -> ParquetReader.readAll(t, mem)).getMessage());
        }
    }
}
