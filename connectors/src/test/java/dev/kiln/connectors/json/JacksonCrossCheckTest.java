package dev.kiln.connectors.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.connectors.ysb.YsbGenerator;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.SourceBatch;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Jackson as the oracle: on the same bytes, the reader's values are Jackson's, and each reads what the other writes. */
class JacksonCrossCheckTest {
    static final ObjectMapper JACKSON = new ObjectMapper();

    static LocalDateTime millis(long ms) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000), (int) Math.floorMod(ms, 1000) * 1_000_000, ZoneOffset.UTC);
    }

    @Test
    void ysbEventsParseToJacksonsValues() throws Exception {
        YsbGenerator g = new YsbGenerator(2024, 1_700_000_000_000L, 250_000);
        byte[] json = g.jsonLines(0, 20_000);
        String[] lines = new String(json, StandardCharsets.UTF_8).split("\n");
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            SourceBatch read = new JsonLinesReader(YsbGenerator.EVENT_SCHEMA, BadRecordPolicy.FAIL).read(json, "ysb", mem);
            List<List<Object>> rows = JsonTestSupport.rows(read.batches());
            assertEquals(lines.length, rows.size());
            Schema s = YsbGenerator.EVENT_SCHEMA;
            for (int i = 0; i < lines.length; i++) {
                JsonNode node = JACKSON.readTree(lines[i]);
                assertEquals(s.size(), node.size());
                for (int c = 0; c < s.size(); c++) {
                    JsonNode v = node.get(s.field(c).name());
                    if (s.field(c).type() instanceof DataType.TimestampType) {
                        assertTrue(v.isIntegralNumber());
                        assertEquals(millis(v.longValue()), rows.get(i).get(c));
                    } else {
                        assertTrue(v.isTextual());
                        assertEquals(v.textValue(), rows.get(i).get(c));
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return JsonRoundTripTest.text();
    }

    @Property(tries = 300)
    void textJacksonWritesReadsAsJacksonReadsIt(@ForAll("texts") String text, @ForAll double d, @ForAll long n) throws Exception {
        if (!Double.isFinite(d)) d = 0.5;
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("s", text);
        object.put("d", d);
        object.put("n", n);
        object.put("skipped", Map.of("k", List.of(text, 1, true)));
        String line = JACKSON.writeValueAsString(object);
        Schema schema = Schema.of(new Field("s", DataType.VARCHAR, false), new Field("d", DataType.DOUBLE, false), new Field("n", DataType.BIGINT, false));
        JsonNode node = JACKSON.readTree(line);
        assertEquals(List.of(List.of(node.get("s").textValue(), node.get("d").doubleValue(), node.get("n").longValue())),
                JsonTestSupport.good(schema, line + "\n"));
    }

    @Property(tries = 300)
    void jacksonReadsWhatTheWriterWrites(@ForAll("texts") String text, @ForAll double d) throws Exception {
        if (!Double.isFinite(d)) d = -0.0;
        Schema schema = Schema.of(new Field("s", DataType.VARCHAR, false), new Field("d", DataType.DOUBLE, false));
        byte[] json = new JsonLinesWriter(schema).writeRows(List.<Object[]>of(new Object[] {text, d}));
        JsonNode node = JACKSON.readTree(json);
        assertEquals(text, node.get("s").textValue());
        assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(node.get("d").doubleValue()));
    }
}
