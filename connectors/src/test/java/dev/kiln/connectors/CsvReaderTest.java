package dev.kiln.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.connectors.csv.CsvOptions;
import dev.kiln.connectors.csv.CsvReader;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
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

    Table read(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return CsvReader.read(f, CsvOptions.defaults(), new QueryMemory(Long.MAX_VALUE));
    }

    static List<String> rows(Table t) {
        List<String> out = new ArrayList<>();
        for (var b : t.batches()) {
            for (int i = 0; i < b.rowCount(); i++) {
                Object[] r = new Object[b.columns().size()];
                for (int c = 0; c < r.length; c++) r[c] = b.column(c).getObject(i);
                out.add(Arrays.toString(r));
            }
        }
        return out;
    }

    @Test
    void infersTheNarrowestTypes() throws Exception {
        Table t = read("t.csv", "\uFEFFi,d,x,b,day,ts,s,e\r\n1,1.50,1e3,true,2024-01-02,2024-01-02 03:04:05,a,\r\n"
                + "-2,10,2.5,false,2024-02-29,2024-01-02T03:04:05.123,\"b,\"\"c\"\"\",\r\n");
        assertEquals(new Schema(List.of(new Field("i", DataType.BIGINT, false), new Field("d", DataType.decimal(4, 2), false),
                new Field("x", DataType.DOUBLE, false), new Field("b", DataType.BOOLEAN, false), new Field("day", DataType.DATE, false),
                new Field("ts", DataType.TIMESTAMP, false), new Field("s", DataType.VARCHAR, false), new Field("e", DataType.VARCHAR, true))), t.schema());
        assertEquals(List.of(
                Arrays.toString(new Object[] {1L, new BigDecimal("1.50"), 1000.0, true, LocalDate.of(2024, 1, 2), LocalDateTime.of(2024, 1, 2, 3, 4, 5), "a", null}),
                Arrays.toString(new Object[] {-2L, new BigDecimal("10.00"), 2.5, false, LocalDate.of(2024, 2, 29),
                        LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_000_000), "b,\"c\"", null})), rows(t));
    }

    @Test
    void quotedEmptyIsEmptyTextAndNewlinesInsideQuotesAreData() throws Exception {
        Table t = read("q.csv", "a,b\n\"\",\"line1\nline2\"\n,x\n");
        assertEquals(List.of("[, line1\nline2]", "[null, x]"), rows(t));
        assertEquals(DataType.VARCHAR, t.schema().field(0).type());
        assertEquals(true, t.schema().field(0).nullable());
    }

    @Test
    void declaredSchemaIsChecked() throws Exception {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "id,amount\n1,2.5\n2,12,5x\n");
        Schema s = new Schema(List.of(new Field("id", DataType.INTEGER, false), new Field("amount", DataType.decimal(10, 2), true)));
        var e = assertThrows(KilnException.class, () -> CsvReader.read(f, CsvOptions.defaults().withSchema(s), new QueryMemory(Long.MAX_VALUE)));
        assertEquals("d.csv:3: expected 2 fields but found 3 (check for an unquoted ',')", e.getMessage());
        Files.writeString(f, "id,amount\n1,2.5\n2,12.5x\n");
        var v = assertThrows(KilnException.class, () -> CsvReader.read(f, CsvOptions.defaults().withSchema(s), new QueryMemory(Long.MAX_VALUE)));
        assertEquals("d.csv:3, column 'amount': '12.5x' is not a DECIMAL(10,2)", v.getMessage());
    }

    @Test
    void badStructureIsReportedWithItsLine() {
        assertEquals("u.csv:2: unterminated quoted field (a '\"' opened here is never closed)",
                assertThrows(KilnException.class, () -> read("u.csv", "a\n\"open\n\n")).getMessage());
        assertEquals("h.csv:1: duplicate column name 'A' (columns 1 and 2)",
                assertThrows(KilnException.class, () -> read("h.csv", "a,A\n1,2\n")).getMessage());
        assertEquals("e.csv: the file is empty but a header row was expected",
                assertThrows(KilnException.class, () -> read("e.csv", "")).getMessage());
    }
}
