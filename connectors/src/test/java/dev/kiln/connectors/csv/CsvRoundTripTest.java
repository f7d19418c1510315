package dev.kiln.connectors.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any table of text values (with delimiters, quotes, CR, LF, non-ASCII, empty strings and NULLs),
 * written the RFC 4180 way with either line ending, reads back exactly.
 */
class CsvRoundTripTest {
    @Provide
    Arbitrary<List<List<String>>> tables() {
        Arbitrary<String> text = Arbitraries.strings().withChars("ab ,\"\r\n;é€").ofMinLength(0).ofMaxLength(6);
        Arbitrary<String> cell = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, text), net.jqwik.api.Tuple.of(1, Arbitraries.just((String) null)));
        return Arbitraries.integers().between(1, 4).flatMap(width ->
                cell.list().ofSize(width).list().ofMinSize(0).ofMaxSize(20));
    }

    @Property(tries = 200)
    void writtenTextReadsBackExactly(@ForAll("tables") List<List<String>> rows, @ForAll boolean crlf) throws Exception {
        int width = rows.isEmpty() ? 1 : rows.getFirst().size();
        String eol = crlf ? "\r\n" : "\n";
        List<Field> fields = new ArrayList<>();
        StringBuilder csv = new StringBuilder();
        for (int c = 0; c < width; c++) {
            fields.add(new Field("c" + c, DataType.VARCHAR, true));
            csv.append(c > 0 ? "," : "").append("c").append(c);
        }
        csv.append(eol);
        for (List<String> r : rows) {
            for (int c = 0; c < width; c++) {
                if (c > 0) csv.append(',');
                String v = r.get(c);
                if (v != null) csv.append('"').append(v.replace("\"", "\"\"")).append('"'); // quoted: never NULL
            }
            csv.append(eol);
        }
        boolean allNullSingleColumn = width == 1 && rows.stream().anyMatch(r -> r.getFirst() == null);
        if (allNullSingleColumn) return; // a one-column NULL is an empty line, which CSV readers skip by design
        Path file = Files.createTempFile("roundtrip", ".csv");
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Files.write(file, csv.toString().getBytes(StandardCharsets.UTF_8));
            var t = CsvReader.read(file, CsvOptions.defaults().withSchema(new Schema(fields)), mem);
            assertEquals(rows, CsvReaderTest.rows(t));
        } finally {
            Files.delete(file);
        }
    }
}
