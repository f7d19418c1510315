package dev.kiln.connectors.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    static Path resource(String name) throws Exception {
        return Path.of(CsvReaderTest.class.getResource("/csv/" + name).toURI());
    }

    static Table read(Path file, CsvOptions options) {
        return CsvReader.read(file, options, new QueryMemory(Long.MAX_VALUE));
    }

    static List<List<Object>> rows(Table t) {
        List<List<Object>> out = new ArrayList<>();
        for (Batch b : t.batches()) {
            for (int i = 0; i < b.rowCount(); i++) {
                List<Object> r = new ArrayList<>();
                for (int c = 0; c < b.columns().size(); c++) r.add(b.column(c).getObject(i));
                out.add(r);
            }
        }
        return out;
    }

    static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }

    static Field f(String name, DataType type, boolean nullable) {
        return new Field(name, type, nullable);
    }

    @Test
    void quotingFollowsRfc4180() throws Exception {
        Table t = read(resource("quoting.csv"), CsvOptions.defaults());
        assertEquals("quoting", t.name());
        assertEquals(Schema.of(f("id", DataType.BIGINT, false), f("name", DataType.VARCHAR, false), f("note", DataType.VARCHAR, true)), t.schema());
        assertEquals(List.of(
                row(1L, "Smith, Anna", "said \"hi\""),
                row(2L, "plain", "two\r\nlines"),
                row(3L, "", null),
                row(4L, "Zoë", "a,b,\"c\"")), rows(t));
    }

    @Test
    void emptyUnquotedFieldIsNullAndQuotedEmptyIsEmptyText() throws Exception {
        Table t = read(resource("nulls.csv"), CsvOptions.defaults());
        assertEquals(Schema.of(f("k", DataType.BIGINT, false), f("v", DataType.VARCHAR, true), f("amount", DataType.VARCHAR, true)), t.schema());
        assertEquals(List.of(row(1L, "x", "1.5"), row(2L, null, null), row(3L, "", "2"), row(4L, "NA", "NA")), rows(t));

        Table na = read(resource("nulls.csv"), CsvOptions.defaults().withNullString("NA"));
        assertEquals(List.of(row(1L, "x", "1.5"), row(2L, "", ""), row(3L, "", "2"), row(4L, null, null)), rows(na));
        assertEquals(DataType.VARCHAR, na.schema().field(2).type()); // an empty field is not a number
    }

    @Test
    void datesAndTimestampsAreIso() throws Exception {
        Table t = read(resource("dates.csv"), CsvOptions.defaults());
        assertEquals(Schema.of(f("day", DataType.DATE, false), f("at", DataType.TIMESTAMP, false),
                f("mixed", DataType.TIMESTAMP, false), f("notadate", DataType.VARCHAR, false)), t.schema());
        assertEquals(List.of(
                row(LocalDate.of(2024, 2, 29), LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000), LocalDateTime.of(2024, 1, 1, 0, 0), "2024-01-01"),
                row(LocalDate.of(1969, 12, 31), LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.of(2024, 1, 1, 12, 0), "2023-02-29"),
                row(LocalDate.of(2000, 1, 1), LocalDateTime.of(1999, 12, 31, 23, 59, 59, 500_000_000), LocalDateTime.of(2024, 1, 2, 0, 0), "2024-13-01")),
                rows(t));
        Batch b = t.batches().getFirst();
        assertEquals(-1, b.column(0).getInt(1)); // days since 1970-01-01
        assertEquals(946_684_799_500_000L, b.column(1).getLong(2)); // microseconds since the epoch
    }

    @Test
    void inferenceChoosesTheNarrowestExactType() throws Exception {
        Table t = read(resource("inference.csv"), CsvOptions.defaults());
        assertEquals(Schema.of(f("flag", DataType.BOOLEAN, false), f("n", DataType.BIGINT, false), f("price", DataType.decimal(5, 2), false),
                f("ratio", DataType.DOUBLE, false), f("sci", DataType.DOUBLE, false), f("huge", DataType.DOUBLE, false),
                f("code", DataType.BIGINT, false), f("column_8", DataType.VARCHAR, false), f("text", DataType.VARCHAR, false)), t.schema());
        assertEquals(List.of(
                row(true, 1L, new BigDecimal("19.99"), 0.5, 1000.0, 1.2345678901234567E19, 7L, "a", "hello"),
                row(false, -42L, new BigDecimal("5.00"), -0.25, 0.0025, 1.0, 10L, "b", "12"),
                row(true, 7L, new BigDecimal("100.10"), 3.141592653589793, 7.0, 2.0, 9L, "c", "x")), rows(t));
        assertEquals(10010L, t.batches().getFirst().column(2).getLong(2)); // DECIMAL is exact: unscaled cents
    }

    @Test
    void otherDelimiterWithoutHeader() throws Exception {
        Table t = read(resource("semicolon.csv"), CsvOptions.defaults().withDelimiter(';').withHeader(false));
        assertEquals(Schema.of(f("column_1", DataType.BIGINT, false), f("column_2", DataType.VARCHAR, false), f("column_3", DataType.DATE, false)), t.schema());
        assertEquals(List.of(row(1L, "alpha", LocalDate.of(2024, 5, 1)), row(2L, "be;ta", LocalDate.of(2024, 5, 2))), rows(t));
    }

    @Test
    void declaredSchemaNamesAndTypesTheColumns() throws Exception {
        Schema s = Schema.of(f("id", DataType.INTEGER, false), f("amount", DataType.decimal(10, 2), true));
        Path file = dir.resolve("ok.csv");
        Files.writeString(file, "a,b\n1,2.5\n2,\n3, -0.75 \n");
        Table t = read(file, CsvOptions.defaults().withSchema(s));
        assertEquals(s, t.schema());
        assertEquals(List.of(row(1L, new BigDecimal("2.50")), row(2L, null), row(3L, new BigDecimal("-0.75"))), rows(t));
    }

    @Test
    void structuralErrorsNameTheLine() throws Exception {
        assertEquals("bad_rows.csv:5: expected 3 fields but found 4 (check for an unquoted ',')", error(resource("bad_rows.csv"), CsvOptions.defaults()));
        assertEquals("unterminated.csv:3: unterminated quoted field (a '\"' opened here is never closed)",
                error(resource("unterminated.csv"), CsvOptions.defaults()));
        assertEquals("duplicate_header.csv:1: duplicate column name 'name' (columns 2 and 3); rename one in the header",
                error(resource("duplicate_header.csv"), CsvOptions.defaults()));
        assertEquals("short.csv:3: expected 2 fields but found 1", error(write("short.csv", "a,b\n1,2\n3\n"), CsvOptions.defaults()));
        assertEquals("after.csv:2: unexpected character 'x' after a closing quote (expected ',' or the end of the line)",
                error(write("after.csv", "a,b\n\"q\"x,2\n"), CsvOptions.defaults()));
        assertEquals("empty.csv: the file is empty but a header row was expected", error(write("empty.csv", ""), CsvOptions.defaults()));
        assertEquals("utf.csv:3: not valid UTF-8 (byte 10); save the file as UTF-8",
                error(writeBytes("utf.csv", new byte[] {'a', '\n', 'b', 'c', '\n', 'x', 'y', 'z', 'w', '.', (byte) 0xC3, 0x28, '\n'}), CsvOptions.defaults()));
    }

    @Test
    void valueErrorsNameTheLineColumnAndType() throws Exception {
        Schema s = Schema.of(f("id", DataType.INTEGER, false), f("amount", DataType.decimal(10, 2), true));
        CsvOptions declared = CsvOptions.defaults().withSchema(s);
        assertEquals("amounts.csv:9, column 'amount': '12,5x' is not a DECIMAL(10,2)", error(resource("amounts.csv"), declared));
        assertEquals("d.csv:2, column 'amount': '1.234' is not a DECIMAL(10,2) (more than 2 digits after the point)",
                error(write("d.csv", "id,amount\n1,1.234\n"), declared));
        assertEquals("d.csv:2, column 'amount': '123456789' is not a DECIMAL(10,2) (more than 8 digits before the point)",
                error(write("d.csv", "id,amount\n1,123456789\n"), declared));
        assertEquals("d.csv:3, column 'id': '3000000000' is not an INTEGER (out of range)", error(write("d.csv", "id,amount\n1,1\n3000000000,1\n"), declared));
        assertEquals("d.csv:2, column 'id': NULL (an empty field) in a NOT NULL column; declare the column nullable or quote the field (\"\") to mean the empty string",
                error(write("d.csv", "id,amount\n,1\n"), declared));
        assertEquals("d.csv: the declared schema has 2 columns but the file has 3", error(write("d.csv", "a,b,c\n1,2,3\n"), declared));
        Schema ts = Schema.of(f("at", DataType.TIMESTAMP, false));
        assertEquals("t.csv:2, column 'at': '2024-01-01 00:00:00.1234567' is not a TIMESTAMP (expected yyyy-mm-dd[ hh:mm:ss[.ffffff]])",
                error(write("t.csv", "at\n2024-01-01 00:00:00.1234567\n"), CsvOptions.defaults().withSchema(ts)));
        assertEquals(DataType.VARCHAR, read(write("t.csv", "at\n2024-01-01 00:00:00.1234567\n"), CsvOptions.defaults()).schema().field(0).type());
    }

    /** A failure after whole batches were built gives all their memory back: nothing half-loaded stays. */
    @Test
    void failedReadFreesEverythingItAllocated() throws Exception {
        StringBuilder sb = new StringBuilder("id,name,price\n");
        for (int i = 0; i < 70_000; i++) sb.append(i).append(",name ").append(i).append(',').append(i % 100).append(".5\n");
        Path good = write("big.csv", sb.toString());
        Path bad = write("bigbad.csv", sb + "70000,last,oops\n");
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Table t = CsvReader.read(good, CsvOptions.defaults(), mem);
            assertEquals(List.of(65_536, 4_464), t.batches().stream().map(Batch::rowCount).toList());
            long sum = 0;
            for (Batch b : t.batches()) for (int i = 0; i < b.rowCount(); i++) sum += b.column(2).getLong(i);
            assertEquals(70_000L * 5 + 10L * 700 * (99 * 100 / 2), sum); // in tenths: 0.5 each plus 700 rounds of 0..99
            long used = mem.used();
            var e = assertThrows(KilnException.class, () -> CsvReader.read(bad, CsvOptions.defaults().withSchema(t.schema()), mem));
            assertEquals("bigbad.csv:70002, column 'price': 'oops' is not a DECIMAL(3,1)", e.getMessage());
            assertEquals(used, mem.used());
        }
    }

    @Test
    void sampleSalesFileOfTheReadme() {
        Table t = read(Path.of("../data/sales.csv"), CsvOptions.defaults());
        assertEquals(Schema.of(f("id", DataType.BIGINT, false), f("region", DataType.VARCHAR, false), f("product", DataType.VARCHAR, false),
                f("sale_date", DataType.DATE, false), f("quantity", DataType.BIGINT, false), f("unit_price", DataType.decimal(5, 2), false),
                f("discount", DataType.decimal(3, 2), true)), t.schema());
        List<List<Object>> rows = rows(t);
        assertEquals(30, rows.size());
        assertEquals(row(4L, "West", "Gizmo, large", LocalDate.of(2024, 1, 7), 1L, new BigDecimal("899.50"), new BigDecimal("0.15")), rows.get(3));
        assertEquals(row(7L, "East", "Doohickey \"Pro\"", LocalDate.of(2024, 1, 11), 2L, new BigDecimal("59.00"), null), rows.get(6));
    }

    private String error(Path file, CsvOptions options) {
        return assertThrows(KilnException.class, () -> read(file, options)).getMessage();
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path writeBytes(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }
}
