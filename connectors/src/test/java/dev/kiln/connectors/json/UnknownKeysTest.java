package dev.kiln.connectors.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.SourceBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keys outside the schema are learned into the parser's chain of expected keys: records whose
 * fields come in changing orders, with unknown keys before, between and after the known ones (some
 * longer than 16 bytes, some escaped), still read exactly.
 */
class UnknownKeysTest {
    @Test
    void unknownKeysInAnyOrderAreSkippedAndKnownOnesRead() {
        Schema s = Schema.of(new Field("a", DataType.BIGINT, true), new Field("bee", DataType.VARCHAR, true));
        String lines = String.join("\n",
                "{\"x\":1,\"a\":1,\"a_very_long_unknown_key_name\":{\"a\":9},\"bee\":\"one\",\"z\":[1,2]}",
                "{\"x\":2,\"a\":2,\"a_very_long_unknown_key_name\":\"s\",\"bee\":\"two\",\"z\":null}",
                "{\"bee\":\"three\",\"z\":0,\"x\":3,\"a\":3}",
                "{\"a_very_long_unknown_key_nam\":1,\"a\":4,\"b\\u0065e\":\"four\"}",
                "{\"A\":5,\"x\":\"a\",\"BEE\":\"five\"}",
                "{\"x\":6,\"a\":6,\"a_very_long_unknown_key_name\":true,\"bee\":\"six\",\"z\":[]}") + "\n";
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            SourceBatch b = new JsonLinesReader(s, BadRecordPolicy.FAIL).read(lines.getBytes(StandardCharsets.UTF_8), "t", mem);
            List<String> rows = new ArrayList<>();
            for (var batch : b.batches()) {
                for (int r = 0; r < batch.rowCount(); r++) rows.add(Arrays.toString(new Object[] {batch.column(0).getObject(r), batch.column(1).getObject(r)}));
            }
            assertEquals(List.of("[1, one]", "[2, two]", "[3, three]", "[4, four]", "[5, five]", "[6, six]"), rows);
        }
    }

    /** A known key longer than 16 bytes is compared beyond its two words: one that differs only there is another key. */
    @Test
    void longKnownKeysDifferingPastSixteenBytes() {
        Schema s = Schema.of(new Field("campaign_identifier_long", DataType.BIGINT, true), new Field("v", DataType.BIGINT, true));
        String lines = "{\"campaign_identifier_long\":1,\"v\":1}\n{\"campaign_identifier_lonG\":2,\"v\":2}\n"
                + "{\"campaign_identifier_long\":3,\"v\":3}\n{\"campaign_identifier_lon\":4,\"v\":4}\n{\"campaign_identifier_long\":5,\"v\":5}\n";
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            SourceBatch b = new JsonLinesReader(s, BadRecordPolicy.FAIL).read(lines.getBytes(StandardCharsets.UTF_8), "t", mem);
            List<String> rows = new ArrayList<>();
            for (var batch : b.batches()) {
                for (int r = 0; r < batch.rowCount(); r++) rows.add(batch.column(0).getObject(r) + "/" + batch.column(1).getObject(r));
            }
            // "campaign_identifier_lonG" equals the name ignoring case, as keys are matched (exact first, then ignoring case)
            assertEquals(List.of("1/1", "2/2", "3/3", "null/4", "5/5"), rows);
        }
    }
}
