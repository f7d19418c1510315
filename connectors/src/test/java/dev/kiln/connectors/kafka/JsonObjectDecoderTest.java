package dev.kiln.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.connectors.TableAssembler;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The flat JSON decoder and the row staging, without a broker: each input is one record. */
class JsonObjectDecoderTest {
    static final Schema SCHEMA = Schema.of(
            new Field("ok", DataType.BOOLEAN, true),
            new Field("small", DataType.TINYINT, true),
            new Field("x", DataType.DOUBLE, true),
            new Field("day", DataType.DATE, true),
            new Field("at", DataType.TIMESTAMP, true),
            new Field("s", DataType.VARCHAR, true));

    final QueryMemory mem = new QueryMemory(Long.MAX_VALUE);

    @AfterEach
    void free() {
        mem.close();
    }

    /** Decodes each input; a bad one gives its reason in place of a row. */
    List<Object> decode(String... inputs) {
        JsonObjectDecoder decoder = new JsonObjectDecoder(SCHEMA);
        RowSink sink = new RowSink(SCHEMA);
        TableAssembler out = new TableAssembler("t", SCHEMA, mem, inputs.length);
        sink.target(out);
        List<Object> results = new ArrayList<>();
        List<Integer> good = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            byte[] b = ("##" + inputs[i] + "##").getBytes(StandardCharsets.UTF_8); // a slice, as a record value may be
            try {
                decoder.decode(b, 2, b.length - 4, sink);
                sink.commit();
                good.add(i);
                results.add(null);
            } catch (BadRecordException e) {
                sink.clear();
                results.add(e.getMessage());
            }
        }
        Table t = out.finish();
        int g = 0;
        for (Batch batch : t.batches()) {
            for (int r = 0; r < batch.rowCount(); r++) {
                Object[] row = new Object[SCHEMA.size()];
                for (int c = 0; c < row.length; c++) row[c] = batch.column(c).getObject(r);
                results.set(good.get(g++), Arrays.asList(row));
            }
        }
        return results;
    }

    @Test
    void typesEscapesAndSkippedKeys() {
        assertEquals(List.of(
                        Arrays.asList(true, 12L, 2.5e3, LocalDate.of(2024, 2, 29), LocalDateTime.of(2024, 1, 1, 12, 0, 0, 123_456_000), "a\"b\\c\n\u00e9"),
                        Arrays.asList(false, -128L, -1.0, null, LocalDateTime.of(1970, 1, 1, 0, 0, 1, 500_000_000), "plain"),
                        Arrays.asList(null, null, null, null, null, null)),
                decode(
                        "{\"ok\":true,\"small\":12,\"x\":2.5e3,\"day\":\"2024-02-29\",\"at\":\"2024-01-01 12:00:00.123456\",\"s\":\"a\\\"b\\\\c\\n\\u00e9\"}",
                        " { \"S\" : \"plain\" , \"skip\" : {\"a\":[1,{\"b\":\"}\"}]}, \"small\":-128, \"x\":\"-1\", \"ok\":false, \"at\":1500 } ",
                        "{}"));
    }

    @Test
    void badRecordsSayWhatIsWrong() {
        assertEquals(List.of(
                        "field 'small': 300 does not fit TINYINT",
                        "field 'ok': expected true or false, found a number",
                        "field 'day': '2024-02-30' is not a DATE",
                        "text after the object",
                        "expected ',' or '}' after a value, found '\"'",
                        "the object ends early",
                        "field 's': nested arrays are not supported",
                        "field 'small': '1.5' is not an integer"),
                decode(
                        "{\"small\":300}",
                        "{\"ok\":1}",
                        "{\"day\":\"2024-02-30\"}",
                        "{\"s\":\"a\"} x",
                        "{\"s\":\"a\" \"ok\":true}",
                        "{\"s\":",
                        "{\"s\":[1]}",
                        "{\"small\":1.5}"));
    }

    @Test
    void aBadRecordLeavesNoHalfRow() {
        List<Object> r = decode("{\"s\":\"kept\",\"small\":1}", "{\"s\":\"dropped\",\"small\":999}", "{\"small\":2}");
        assertEquals(Arrays.asList(null, 1L, null, null, null, "kept"), r.get(0));
        assertEquals("field 'small': 999 does not fit TINYINT", r.get(1));
        assertEquals(Arrays.asList(null, 2L, null, null, null, null), r.get(2));
    }
}
