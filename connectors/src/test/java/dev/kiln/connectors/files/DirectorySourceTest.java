package dev.kiln.connectors.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.BadRecord;
import dev.kiln.runtime.stream.SourceBatch;
import dev.kiln.runtime.stream.SourceOffset;
import dev.kiln.runtime.vector.Batch;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files appearing in a directory as a stream: order, offsets across restarts, completeness, bad records, errors. */
class DirectorySourceTest {
    static final Schema SCHEMA = Schema.of(
            new Field("id", DataType.BIGINT, false),
            new Field("name", DataType.VARCHAR, true),
            new Field("price", DataType.decimal(9, 2), true),
            new Field("day", DataType.DATE, true),
            new Field("at", DataType.TIMESTAMP, true),
            new Field("ok", DataType.BOOLEAN, true),
            new Field("x", DataType.DOUBLE, true));
    static final long T0 = 1_700_000_000_000L;

    /** Takes every visible file at once, scanning on every call: the tests decide what is there. */
    static final DirectoryOptions NOW = DirectoryOptions.defaults().renamedIntoPlace().withScanInterval(Duration.ZERO);

    @TempDir Path tmp;
    final QueryMemory mem = new QueryMemory(Long.MAX_VALUE);

    @AfterEach
    void free() {
        mem.close();
    }

    Path in() throws IOException {
        return Files.createDirectories(tmp.resolve("in"));
    }

    Path meta() {
        return tmp.resolve("meta");
    }

    /** Writes a file under a hidden name and renames it into place, with the given modification time. */
    static Path put(Path dir, String name, String text, long modifiedMillis) throws IOException {
        Path hidden = dir.resolve("." + name + ".tmp");
        Files.writeString(hidden, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(hidden, FileTime.fromMillis(modifiedMillis));
        return Files.move(hidden, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    static String csv(long... ids) {
        StringBuilder sb = new StringBuilder("id,name,price,day,at,ok,x\n");
        for (long id : ids) sb.append(id).append(",n").append(id).append(',').append(id).append(".25,2024-01-0").append(id % 9 + 1)
                .append(",2024-01-01 00:00:0").append(id % 10).append(".5,").append(id % 2 == 0).append(',').append(id).append(".5\n");
        return sb.toString();
    }

    static String json(long... ids) {
        StringBuilder sb = new StringBuilder();
        for (long id : ids) sb.append("{\"id\":").append(id).append(",\"name\":\"n").append(id).append("\",\"price\":").append(id).append(".25,\"day\":\"2024-01-0")
                .append(id % 9 + 1).append("\",\"at\":\"2024-01-01 00:00:0").append(id % 10).append(".5\",\"ok\":").append(id % 2 == 0).append(",\"x\":").append(id).append(".5}\n");
        return sb.toString();
    }

    static List<Object> row(long id) {
        return Arrays.asList(id, "n" + id, new BigDecimal(id + ".25"), LocalDate.of(2024, 1, (int) (id % 9 + 1)),
                LocalDateTime.of(2024, 1, 1, 0, 0, (int) (id % 10), 500_000_000), id % 2 == 0, id + 0.5);
    }

    static List<List<Object>> rows(long... ids) {
        List<List<Object>> out = new ArrayList<>();
        for (long id : ids) out.add(row(id));
        return out;
    }

    static List<List<Object>> rows(SourceBatch b) {
        List<List<Object>> out = new ArrayList<>();
        for (Batch batch : b.batches()) {
            for (int r = 0; r < batch.rowCount(); r++) {
                List<Object> row = new ArrayList<>();
                for (int c = 0; c < batch.columns().size(); c++) row.add(batch.column(c).getObject(r));
                out.add(row);
            }
        }
        return out;
    }

    static Optional<SourceOffset> at(long n) {
        return Optional.of(SourceOffset.of(n));
    }

    static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void csvFilesAreTakenByModificationTimeThenName() throws IOException {
        Path in = in();
        put(in, "b.csv", csv(1, 2), T0);
        put(in, "c.csv", csv(5), T0 + 1000);
        put(in, "a.csv", csv(3, 4), T0 + 1000);
        try (DirectorySource s = new DirectorySource(in, FileFormat.csv(SCHEMA), meta(), NOW)) {
            assertEquals(SCHEMA, s.schema());
            assertEquals(at(3), s.latest());
            assertEquals(List.of("b.csv", "a.csv", "c.csv"), names(s.files(Optional.empty(), SourceOffset.of(3))));
            SourceBatch b = s.read(Optional.empty(), SourceOffset.of(3), mem);
            assertEquals(rows(1, 2, 3, 4, 5), rows(b));
            assertEquals(List.of(), b.badRecords());
            assertEquals(rows(3, 4), rows(s.read(at(1), SourceOffset.of(2), mem)), "a range reads exactly its files");
            assertEquals(rows(), rows(s.read(at(2), SourceOffset.of(2), mem)));
            assertEquals("files[" + in.toAbsolutePath() + "]", s.describe());
        }
    }

    @Test
    void jsonFilesArrivingBetweenLatestCallsGetTheNextPositions() throws IOException {
        Path in = in();
        try (DirectorySource s = new DirectorySource(in, FileFormat.json(SCHEMA), meta(), NOW)) {
            assertEquals(Optional.empty(), s.latest());
            put(in, "one.json", json(1), T0 + 5000);
            assertEquals(at(1), s.latest());
            assertEquals(rows(1), rows(s.read(Optional.empty(), SourceOffset.of(1), mem)));
            put(in, "two.jsonl", json(2, 3), T0 + 6000);
            put(in, "three.ndjson", json(4), T0 + 7000);
            assertEquals(at(3), s.latest());
            assertEquals(rows(2, 3, 4), rows(s.read(at(1), SourceOffset.of(3), mem)));
            // older than every taken file, yet it comes after them: a taken file keeps its position
            put(in, "old.json", json(0), T0);
            assertEquals(at(4), s.latest());
            assertEquals(at(4), s.latest(), "nothing new, no move");
            assertEquals(rows(1, 2, 3, 4, 0), rows(s.read(Optional.empty(), SourceOffset.of(4), mem)));
        }
    }

    @Test
    void aRestartedSourceGivesTheSameFilesForTheSameOffsets() throws IOException {
        Path in = in();
        put(in, "p2.json", json(2), T0 + 2000);
        put(in, "p1.json", json(1), T0 + 1000);
        List<Path> before;
        try (DirectorySource s = new DirectorySource(in, FileFormat.json(SCHEMA), meta(), NOW)) {
            assertEquals(at(2), s.latest());
            before = s.files(Optional.empty(), SourceOffset.of(2));
        }
        // while it was down: a file older than both, and one newer
        put(in, "p0.json", json(0), T0);
        put(in, "p3.json", json(3), T0 + 3000);
        try (DirectorySource s = new DirectorySource(in, FileFormat.json(SCHEMA), meta(), NOW)) {
            assertEquals(before, s.files(Optional.empty(), SourceOffset.of(2)));
            assertEquals(rows(1, 2), rows(s.read(Optional.empty(), SourceOffset.of(2), mem)), "read before latest(): the log alone says which files");
            assertEquals(at(4), s.latest());
            assertEquals(List.of("p0.json", "p3.json"), names(s.files(at(2), SourceOffset.of(4))));
            assertEquals(rows(0, 3), rows(s.read(at(2), SourceOffset.of(4), mem)));
        }
        try (DirectorySource s = new DirectorySource(in, FileFormat.json(SCHEMA), meta(), NOW)) {
            assertEquals(at(4), s.latest(), "never back, not across a restart");
            assertEquals(rows(1, 2, 0, 3), rows(s.read(Optional.empty(), SourceOffset.of(4), mem)));
        }
    }

    @Test
    void hiddenFilteredAndUnfinishedFilesAreNotTaken() throws IOException {
        Path in = in();
        Files.writeString(in.resolve(".part-0.csv"), csv(9));
        Files.writeString(in.resolve("_SUCCESS"), "");
        Files.writeString(in.resolve("_tmp.csv"), csv(9));
        Files.writeString(in.resolve("notes.txt"), "hello");
        Files.createDirectory(in.resolve("dir.csv"));
        Files.createDirectories(in.resolve("_meta")); // a metadata directory inside the watched one is fine
        try (DirectorySource s = new DirectorySource(in, FileFormat.csv(SCHEMA), in.resolve("_meta"), NOW)) {
            assertEquals(Optional.empty(), s.latest());
            Files.move(in.resolve(".part-0.csv"), in.resolve("part-0.csv"), StandardCopyOption.ATOMIC_MOVE);
            assertEquals(at(1), s.latest());
            assertEquals(rows(9), rows(s.read(Optional.empty(), SourceOffset.of(1), mem)));
        }
        // a glob of one's own: .txt files only
        try (DirectorySource s = new DirectorySource(in, FileFormat.csv(SCHEMA), meta(), NOW.withGlob("*.txt"))) {
            assertEquals(at(1), s.latest());
            assertEquals(List.of("notes.txt"), names(s.files(Optional.empty(), SourceOffset.of(1))));
        }
    }

    @Test
    void aFileIsTakenOnlyOnceUnchangedForTheSettleTime() throws Exception {
        Path in = in();
        Duration settleTime = Duration.ofMillis(300);
        DirectoryOptions settle = DirectoryOptions.defaults().withSettle(settleTime).withScanInterval(Duration.ZERO);
        try (DirectorySource s = new DirectorySource(in, FileFormat.json(SCHEMA), meta(), settle)) {
            Path f = in.resolve("slow.json");
            Files.writeString(f, json(1));
            assertEquals(Optional.empty(), s.latest(), "just seen");
            Thread.sleep(settleTime.toMillis() / 2);
            Files.writeString(f, json(2), StandardOpenOption.APPEND); // still being written
            long appended = System.nanoTime();
            assertEquals(Optional.empty(), s.latest(), "changed since it was seen");
            long deadline = appended + 10_000_000_000L;
            while (s.latest().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            long waited = System.nanoTime() - appended;
            assertEquals(at(1), s.latest());
            assertTrue(waited >= settleTime.toNanos(), "taken " + waited / 1_000_000 + " ms after its last change");
            assertEquals(rows(1, 2), rows(s.read(Optional.empty(), SourceOffset.of(1), mem)));
        }
    }

    @Test
    void maxFilesPerTriggerTakesTheOldestFirst() throws IOException {
        Path in = in();
        for (int i = 0; i < 5; i++) put(in, "f" + i + ".json", json(i), T0 + 1000L * (5 - i));
        try (DirectorySource s = new DirectorySource(in, FileFormat.json(SCHEMA), meta(), NOW.withMaxFilesPerTrigger(2))) {
            assertEquals(at(2), s.latest());
            assertEquals(at(4), s.latest());
            assertEquals(at(5), s.latest());
            assertEquals(at(5), s.latest());
            assertEquals(rows(4, 3, 2, 1, 0), rows(s.read(Optional.empty(), SourceOffset.of(5), mem)));
        }
    }

    @Test
    void scansAreCachedForTheScanInterval() throws IOException {
        Path in = in();
        try (DirectorySource s = new DirectorySource(in, FileFormat.json(SCHEMA), meta(), NOW.withScanInterval(Duration.ofHours(1)))) {
            assertEquals(Optional.empty(), s.latest());
            put(in, "late.json", json(1), T0);
            assertEquals(Optional.empty(), s.latest(), "no second listing within the interval");
        }
    }

    @Test
    void badJsonRecordsComeBackWithFileAndLine() throws IOException {
        Path in = in();
        Path f = put(in, "mixed.json", json(1) + "{\"id\":2,\"price\":1.234}\nnot json\n\n" + json(3) + "{\"name\":\"no id\"}\n", T0);
        try (DirectorySource s = new DirectorySource(in, FileFormat.json(SCHEMA), meta(), NOW)) {
            SourceBatch b = s.read(Optional.empty(), s.latest().orElseThrow(), mem);
            assertEquals(rows(1, 3), rows(b));
            assertEquals(List.of(
                    new BadRecord(f + ":2", "{\"id\":2,\"price\":1.234}", "field 'price': 1.234 does not fit DECIMAL(9,2) (more than 2 digits after the point) at column 17"),
                    new BadRecord(f + ":3", "not json", "expected a JSON object, found 'n' at column 1"),
                    new BadRecord(f + ":6", "{\"name\":\"no id\"}", "field 'id' is missing and the column is NOT NULL at column 16")), b.badRecords());
        }
    }

    @Test
    void badCsvRecordsComeBackWithFileAndLine() throws IOException {
        Path in = in();
        String text = csv(1)
                + "2,n2,1.234,2024-01-01,,,\n"                // line 3: digits a DECIMAL(9,2) would round away
                + "3,n3\n"                                     // line 4: too few fields
                + ",nobody,,,,,\n"                             // line 5: NULL id
                + "\n"                                         // line 6: blank, skipped
                + "4,\"multi\nline\",,,,,\n"                   // lines 7-8: a good record over two lines
                + "5,a\"b,,,,,\n"                              // line 9: a stray quote
                + "6,x,,,,yes,1e400x\n"                        // line 10: not a DOUBLE
                + "7,\"caf\u00e9\",,,,,\n";                    // line 11: good
        Path f = in.resolve("bad.csv");
        byte[] bytes = (text + "8,\"bad ").getBytes(StandardCharsets.UTF_8);
        byte[] withBadUtf8 = Arrays.copyOf(bytes, bytes.length + 9);
        withBadUtf8[bytes.length] = (byte) 0xC3; // line 12: an invalid UTF-8 sequence
        System.arraycopy("\",,,,,\n9".getBytes(StandardCharsets.UTF_8), 0, withBadUtf8, bytes.length + 1, 8);
        Files.write(f, withBadUtf8);
        try (DirectorySource s = new DirectorySource(in, FileFormat.csv(SCHEMA), meta(), NOW)) {
            SourceBatch b = s.read(Optional.empty(), s.latest().orElseThrow(), mem);
            List<Object> multi = Arrays.asList(4L, "multi\nline", null, null, null, null, null);
            List<Object> cafe = Arrays.asList(7L, "café", null, null, null, null, null);
            assertEquals(List.of(row(1), multi, cafe), rows(b));
            assertEquals(List.of(
                    f + ":3: column 'price': '1.234' is not a DECIMAL(9,2) (more than 2 digits after the point)",
                    f + ":4: expected 7 fields but found 2",
                    f + ":5: column 'id': NULL (an empty field) in a NOT NULL column",
                    f + ":9: a quote inside an unquoted field; quote the whole field and double the inner quotes",
                    f + ":10: column 'x': '1e400x' is not a DOUBLE",
                    f + ":12: not valid UTF-8; write the file as UTF-8",
                    f + ":13: expected 7 fields but found 1"), b.badRecords().stream().map(BadRecord::toString).toList());
            assertEquals("5,a\"b,,,,,", b.badRecords().get(3).text());
            assertEquals("8,\"bad \uFFFD\",,,,,", b.badRecords().get(5).text());
        }
    }

    @Test
    void aCsvHeaderOtherThanTheSchemaIsAnErrorNamingTheFile() throws IOException {
        Path in = in();
        Path f = put(in, "other.csv", "id,title\n1,x\n", T0);
        try (DirectorySource s = new DirectorySource(in, FileFormat.csv(SCHEMA), meta(), NOW)) {
            KilnException e = assertThrows(KilnException.class, () -> s.read(Optional.empty(), s.latest().orElseThrow(), mem));
            assertEquals(f + ":1: the header names the columns [id, title] but the schema has [id, name, price, day, at, ok, x]; "
                    + "write the file with the schema's columns in its order, or read it with a schema that matches its header", e.getMessage());
        }
    }

    @Test
    void aFileThatVanishedOrChangedBeforeItWasReadIsAnErrorNamingIt() throws IOException {
        Path in = in();
        Path gone = put(in, "gone.json", json(1), T0);
        Path grown = put(in, "grown.json", json(2), T0 + 1);
        try (DirectorySource s = new DirectorySource(in, FileFormat.json(SCHEMA), meta(), NOW)) {
            assertEquals(at(2), s.latest());
            Files.delete(gone);
            Files.writeString(grown, json(3), StandardOpenOption.APPEND);
            KilnException e = assertThrows(KilnException.class, () -> s.read(Optional.empty(), SourceOffset.of(1), mem));
            assertEquals(s.describe() + ": file " + gone + " (position 0 of " + meta().toAbsolutePath().resolve("files.log") + ") vanished before it was read; "
                    + "files must stay in the directory until the query has committed them: put it back, or restart the query from a new checkpoint", e.getMessage());
            e = assertThrows(KilnException.class, () -> s.read(at(1), SourceOffset.of(2), mem));
            assertTrue(e.getMessage().startsWith(s.describe() + ": file " + grown + " (position 1) has " + Files.size(grown) + " bytes, but had "), e.getMessage());
            assertEquals(0, mem.used(), "a failed read gives its memory back");
        }
    }

    @Test
    void offsetsBeyondTheLogAndForeignLogsAreRefused() throws IOException {
        Path in = in();
        put(in, "a.json", json(1), T0);
        try (DirectorySource s = new DirectorySource(in, FileFormat.json(SCHEMA), meta(), NOW)) {
            assertEquals(at(1), s.latest());
            KilnException e = assertThrows(KilnException.class, () -> s.read(Optional.empty(), SourceOffset.of(3), mem));
            assertTrue(e.getMessage().contains("offset 3 means the first 3 files, but the file log " + meta().toAbsolutePath().resolve("files.log") + " lists 1;"), e.getMessage());
            assertThrows(KilnException.class, () -> s.read(at(1), SourceOffset.of(0), mem));
        }
        Path other = Files.createDirectories(tmp.resolve("other"));
        KilnException e = assertThrows(KilnException.class, () -> new DirectorySource(other, FileFormat.json(SCHEMA), meta(), NOW));
        assertTrue(e.getMessage().startsWith("the metadata directory " + meta().toAbsolutePath() + " holds the file log of the directory source " + in.toAbsolutePath()), e.getMessage());
        e = assertThrows(KilnException.class, () -> new DirectorySource(in, FileFormat.csv(SCHEMA), meta(), NOW));
        assertTrue(e.getMessage().contains("lists json files of " + in.toAbsolutePath() + ", but the source now reads csv"), e.getMessage());
        e = assertThrows(KilnException.class, () -> new DirectorySource(tmp.resolve("missing"), FileFormat.json(SCHEMA), meta(), NOW));
        assertEquals("the directory source " + tmp.resolve("missing").toAbsolutePath() + " is not a directory; create it before starting the source", e.getMessage());
        e = assertThrows(KilnException.class, () -> new DirectorySource(in, FileFormat.json(SCHEMA), tmp.resolve("m2"), NOW.withGlob("*.{json")));
        assertTrue(e.getMessage().startsWith("the file name pattern '*.{json' of the directory source"), e.getMessage());
    }

    @Test
    void theLogSurvivesOddNames() throws IOException {
        Path in = in();
        String odd = "we\\ird na\nme\r.json";
        put(in, odd, json(1), T0);
        try (DirectorySource s = new DirectorySource(in, FileFormat.json(SCHEMA), meta(), NOW)) {
            assertEquals(at(1), s.latest());
        }
        try (DirectorySource s = new DirectorySource(in, FileFormat.json(SCHEMA), meta(), NOW)) {
            assertEquals(List.of(odd), names(s.files(Optional.empty(), SourceOffset.of(1))));
            assertEquals(rows(1), rows(s.read(Optional.empty(), SourceOffset.of(1), mem)));
        }
    }

    // ---- Parquet, written by DuckDB as the parquet tests do

    static void duckParquet(Path file, String select) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            st.execute("COPY (" + select + ") TO '" + file + "' (FORMAT PARQUET)");
        }
    }

    /** Parquet rows like {@link #row}: a DuckDB SELECT of ids [from, to). */
    static String parquetRows(int from, int to) {
        return "SELECT i::BIGINT AS id, 'n' || i AS name, (i + 0.25)::DECIMAL(9,2) AS price, DATE '2024-01-01' + (i % 9)::INTEGER AS day, "
                + "TIMESTAMP '2024-01-01 00:00:00.5' + INTERVAL (i % 10) SECOND AS at, i % 2 = 0 AS ok, (i + 0.5)::DOUBLE AS x FROM range(" + from + ", " + to + ") t(i)";
    }

    static long[] ids(int from, int to) {
        return java.util.stream.LongStream.range(from, to).toArray();
    }

    @Test
    void parquetFilesWithTheSchemaOfTheFirstFile() throws Exception {
        Path in = in();
        Path stage = Files.createDirectories(tmp.resolve("stage"));
        duckParquet(stage.resolve("a.parquet"), parquetRows(0, 3));
        duckParquet(stage.resolve("b.parquet"), parquetRows(3, 70_000) + " UNION ALL SELECT 70000, NULL, NULL, NULL, NULL, NULL, NULL");
        Files.setLastModifiedTime(stage.resolve("a.parquet"), FileTime.fromMillis(T0));
        Files.setLastModifiedTime(stage.resolve("b.parquet"), FileTime.fromMillis(T0 + 1000));
        Files.move(stage.resolve("a.parquet"), in.resolve("a.parquet"));
        // a copy cut before its footer, as a writer leaves it half-way: never taken
        byte[] b = Files.readAllBytes(stage.resolve("b.parquet"));
        Files.write(in.resolve("b.parquet"), Arrays.copyOf(b, b.length / 2));
        try (DirectorySource s = new DirectorySource(in, FileFormat.parquet(), meta(), NOW)) {
            Schema expected = new Schema(SCHEMA.fields().stream().map(f -> new Field(f.name(), f.type(), true)).toList());
            assertEquals(expected, s.schema(), "the first file's columns, all nullable");
            assertEquals(at(1), s.latest());
            assertEquals(at(1), s.latest(), "the half-written file is not taken");
            assertEquals(rows(0, 1, 2), rows(s.read(Optional.empty(), SourceOffset.of(1), mem)));
            Files.move(stage.resolve("b.parquet"), in.resolve("b.parquet"), StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(in.resolve("b.parquet"), FileTime.fromMillis(T0 + 1000));
            assertEquals(at(2), s.latest());
            SourceBatch read = s.read(at(1), SourceOffset.of(2), mem);
            List<List<Object>> want = rows(ids(3, 70_000));
            want.add(Arrays.asList(70_000L, null, null, null, null, null, null));
            assertEquals(want, rows(read));
            assertTrue(read.batches().size() > 1);
            for (Batch batch : read.batches()) assertEquals(expected, batch.schema());
        }
    }

    @Test
    void parquetWithAGivenSchemaReadsColumnsByName() throws Exception {
        Path in = in();
        duckParquet(in.resolve("p.parquet"), "SELECT x, id, 'extra' AS unused FROM (" + parquetRows(0, 4) + ")");
        Schema two = Schema.of(new Field("ID", DataType.BIGINT, false), new Field("x", DataType.DOUBLE, true));
        try (DirectorySource s = new DirectorySource(in, FileFormat.parquet(two), meta(), NOW)) {
            assertEquals(two, s.schema());
            assertEquals(List.of(List.of(0L, 0.5), List.of(1L, 1.5), List.of(2L, 2.5), List.of(3L, 3.5)), rows(s.read(Optional.empty(), s.latest().orElseThrow(), mem)));
        }
        Schema wrongType = Schema.of(new Field("id", DataType.INTEGER, true));
        try (DirectorySource s = new DirectorySource(in, FileFormat.parquet(wrongType), tmp.resolve("m2"), NOW)) {
            KilnException e = assertThrows(KilnException.class, () -> s.read(Optional.empty(), s.latest().orElseThrow(), mem));
            assertEquals(in.toAbsolutePath().resolve("p.parquet") + ": column 'id' is BIGINT but the source's schema has INTEGER; "
                    + "every file of the source needs the same column types (write the file with INTEGER)", e.getMessage());
        }
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        try (DirectorySource s = new DirectorySource(empty, FileFormat.parquet(), tmp.resolve("m3"), NOW)) {
            KilnException e = assertThrows(KilnException.class, s::schema);
            assertEquals(s.describe() + ": no Parquet file to read the schema from yet; give the schema with FileFormat.parquet(schema), or start the source once a file is there", e.getMessage());
        }
    }
}
