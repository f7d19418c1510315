package dev.kiln.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.connectors.TableAssembler;
import dev.kiln.connectors.json.BadRecordPolicy;
import dev.kiln.connectors.json.JsonLinesReader;
import dev.kiln.connectors.ysb.YsbGenerator;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.BadRecord;
import dev.kiln.runtime.stream.SourceBatch;
import dev.kiln.runtime.stream.SourceOffset;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fast JSON decoder: every type and bad record without a broker (each input one record, the
 * reasons checked against {@link JsonLinesReader}'s for the same text), then YSB events through a
 * real broker, which must come back as exactly {@link YsbGenerator}'s rows.
 */
class JsonRecordDecoderTest {
    static final Schema SCHEMA = Schema.of(
            new Field("ok", DataType.BOOLEAN, true),
            new Field("i8", DataType.TINYINT, true),
            new Field("i16", DataType.SMALLINT, true),
            new Field("i32", DataType.INTEGER, true),
            new Field("i64", DataType.BIGINT, true),
            new Field("money", DataType.decimal(9, 2), true),
            new Field("x", DataType.DOUBLE, true),
            new Field("day", DataType.DATE, true),
            new Field("at", DataType.TIMESTAMP, true),
            new Field("s", DataType.VARCHAR, true),
            new Field("t", DataType.VARCHAR, true),
            new Field("id", DataType.BIGINT, false));

    static EmbeddedKafka kafka;
    final QueryMemory mem = new QueryMemory(Long.MAX_VALUE);

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) kafka.close();
    }

    @AfterEach
    void freeMemory() {
        mem.close();
    }

    /** Decodes each input as one record value (a slice of a larger array); a bad one gives its reason in place of a row. */
    List<Object> decode(Schema schema, String... inputs) {
        JsonRecordDecoder decoder = new JsonRecordDecoder(schema);
        RowSink sink = new RowSink(schema);
        TableAssembler out = new TableAssembler("t", schema, mem, inputs.length);
        sink.target(out);
        List<Object> results = new ArrayList<>();
        List<Integer> good = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            byte[] b = ("\n#" + inputs[i] + "#\n").getBytes(StandardCharsets.UTF_8);
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
                Object[] row = new Object[schema.size()];
                for (int c = 0; c < row.length; c++) row[c] = batch.column(c).getObject(r);
                results.set(good.get(g++), Arrays.asList(row));
            }
        }
        return results;
    }

    @Test
    void everyTypeReadsItsValue() {
        assertEquals(List.of(
                        Arrays.asList(true, -128L, 32767L, -2147483648L, 9223372036854775807L, new BigDecimal("-1234567.89"), 2.5e-3,
                                LocalDate.of(2024, 2, 29), LocalDateTime.of(2024, 1, 1, 12, 0, 0, 123_456_000), "a\"b\\c\n\u00e9\uD83D\uDE00", "tab\there", 1L),
                        Arrays.asList(false, 127L, -32768L, 0L, -9223372036854775808L, new BigDecimal("1.50"), -0.0,
                                LocalDate.of(1, 1, 1), LocalDateTime.of(1970, 1, 1, 0, 0, 1, 500_000_000), "", "plain", 2L),
                        Arrays.asList(null, null, null, null, null, null, null, null, LocalDateTime.of(2024, 3, 1, 0, 0), null, null, 3L)),
                decode(SCHEMA,
                        "{\"ok\":true,\"i8\":-128,\"i16\":32767,\"i32\":-2147483648,\"i64\":9223372036854775807,\"money\":-1234567.89,\"x\":2.5e-3,"
                                + "\"day\":\"2024-02-29\",\"at\":\"2024-01-01T12:00:00.123456\",\"s\":\"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00\",\"t\":\"tab\\there\",\"id\":1}",
                        // keys in another order and case, unknown keys skipped whatever they hold, line breaks as whitespace
                        "{\n  \"ID\": 2,\n  \"skip\": {\"a\": [1, {\"b\": \"}\"}], \"c\": null},\n  \"t\": \"plain\", \"s\": \"\", \"ok\": false,\r\n"
                                + "  \"i8\": 127, \"i16\": -32768, \"i32\": 0, \"i64\": -9223372036854775808, \"money\": 1.5, \"x\": -0.0,\n"
                                + "  \"day\": \"0001-01-01\", \"at\": 1500\n}\n",
                        // null and missing are NULL in nullable columns; a TIMESTAMP from an offset is UTC
                        "{\"ok\":null,\"i8\":null,\"at\":\"2024-03-01T01:00:00+01:00\",\"id\":3}"));
    }

    @Test
    void twoEscapedStringsInOneRecordKeepTheirOwnText() {
        // the parser decodes escapes into one scratch array; the row keeps both strings until it commits
        Schema s = Schema.of(new Field("a", DataType.VARCHAR, true), new Field("b", DataType.VARCHAR, true), new Field("c", DataType.VARCHAR, true));
        String longer = "x".repeat(600) + "\\u00e9";
        assertEquals(List.of(Arrays.asList("1\n", "2\t", "3"), Arrays.asList("x".repeat(600) + "é", "\"q\"", "x".repeat(600) + "é")),
                decode(s, "{\"a\":\"1\\n\",\"b\":\"2\\t\",\"c\":\"3\"}", "{\"a\":\"" + longer + "\",\"b\":\"\\\"q\\\"\",\"c\":\"" + longer + "\"}"));
    }

    @Test
    void badRecordsGiveTheJsonLinesReadersReasons() {
        List<String> inputs = List.of(
                "not json",
                "[1,2]",
                "{\"id\":1,}",
                "{\"id\":1} trailing",
                "{\"id\":1.5}",
                "{\"id\":\"7\"}",
                "{\"id\":1,\"i8\":128}",
                "{\"id\":1,\"i32\":2147483648}",
                "{\"id\":99999999999999999999}",
                "{\"id\":1,\"money\":1.555}",
                "{\"id\":1,\"money\":12345678.9}",
                "{\"id\":1,\"x\":1e999}",
                "{\"id\":1,\"x\":01}",
                "{\"id\":1,\"ok\":\"true\"}",
                "{\"id\":1,\"day\":\"2023-02-29\"}",
                "{\"id\":1,\"at\":\"yesterday\"}",
                "{\"id\":1,\"s\":12}",
                "{\"id\":1,\"s\":\"\\ud800\"}",
                "{\"id\":1,\"s\":\"\\q\"}",
                "{\"id\":1,\"s\":\"é\u0001\"}",
                "{\"id\":1,\"s\":\"open}",
                "{\"id\":1,\"id\":2}",
                "{\"s\":\"no id\"}",
                "{\"id\":null}",
                "{\"id\":1,\"skip\":[1,2,}",
                "{\"id\":1,\"ok\":tru}");
        List<Object> decoded = decode(SCHEMA, inputs.toArray(String[]::new));
        for (int i = 0; i < inputs.size(); i++) {
            String fromLines;
            try (QueryMemory m = new QueryMemory(Long.MAX_VALUE)) {
                List<BadRecord> bad = new JsonLinesReader(SCHEMA, BadRecordPolicy.SKIP_AND_REPORT).read(inputs.get(i).getBytes(StandardCharsets.UTF_8), "t", m).badRecords();
                assertEquals(1, bad.size(), inputs.get(i));
                fromLines = bad.getFirst().reason();
            }
            assertEquals(fromLines, decoded.get(i), inputs.get(i));
        }
        // pinned, so that a change of both shows here
        assertEquals("field 'money': 1.555 does not fit DECIMAL(9,2) (more than 2 digits after the point) at column 17", decoded.get(9));
        assertEquals("field 'id' is missing and the column is NOT NULL at column 13", decoded.get(22));
    }

    @Test
    void whatOnlyARecordCanGetWrong() {
        assertEquals(Arrays.asList(
                        "expected a JSON object, found an empty record",
                        "expected a JSON object, found an empty record",
                        "control character U+000A in a string (write it as an escape, e.g. \\u000A) at column 15",
                        "unexpected text after the object: an object at column 10"),
                decode(SCHEMA, "", " \r\n\t", "{\"id\":1,\"s\":\"a\nb\"}", "{\"id\":1}\n{\"id\":2}"));
    }

    @Test
    void aSchemaJsonCannotReadIsRefusedNamingTheColumn() {
        Schema twice = Schema.of(new Field("a", DataType.BIGINT, true), new Field("a", DataType.VARCHAR, true));
        assertEquals("the JSON schema names field 'a' twice; give each column its own name", assertThrows(KilnException.class, () -> new JsonRecordDecoder(twice)).getMessage());
        JsonRecordDecoder d = new JsonRecordDecoder(SCHEMA);
        RowSink other = new RowSink(Schema.of(new Field("id", DataType.BIGINT, true)));
        assertThrows(IllegalStateException.class, () -> d.decode(new byte[] {'{', '}'}, 0, 2, other));
    }

    @Test
    void ysbEventsThroughKafkaAreExactlyTheGeneratorsRows() {
        YsbGenerator g = new YsbGenerator(5, 1_700_000_000_000L, 50_000);
        int n = 40_000;
        String[] lines = new String(g.jsonLines(0, n), StandardCharsets.UTF_8).split("\n");
        assertEquals(n, lines.length);
        kafka.createTopic("ysb", 2);
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 10);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            // events [0, n/2) in partition 0 and [n/2, n) in 1: the source's partition order is then event order;
            // every third record keeps the line's '\n', as a producer writing lines would
            for (int i = 0; i < n; i++) {
                String value = i % 3 == 0 ? lines[i] + "\n" : lines[i];
                p.send(new ProducerRecord<>("ysb", i < n / 2 ? 0 : 1, null, value.getBytes(StandardCharsets.UTF_8)));
            }
            p.send(new ProducerRecord<>("ysb", 1, null, "{\"user_id\":\"u\"}".getBytes(StandardCharsets.UTF_8)));
            p.flush();
        }
        Schema schema = YsbGenerator.EVENT_SCHEMA;
        try (KafkaSource source = new KafkaSource(kafka.bootstrapServers(), "ysb", schema, new JsonRecordDecoder(schema))) {
            SourceOffset end = source.latest().orElseThrow();
            assertEquals("{\"0\":" + n / 2 + ",\"1\":" + (n / 2 + 1) + "}", end.text());
            SourceBatch b = source.read(Optional.empty(), end, mem);
            List<List<Object>> expected = g.eventRows(0, n).stream().map(Arrays::asList).toList();
            assertEquals(expected, KafkaSourceTest.rows(b));
            assertEquals(List.of("kafka ysb-1@" + n / 2 + ": field 'page_id' is missing and the column is NOT NULL at column 15"),
                    b.badRecords().stream().map(BadRecord::toString).toList());
            // a middle range again, alone
            SourceOffset from = new SourceOffset("{\"0\":" + (n / 2 - 10) + ",\"1\":0}");
            SourceOffset to = new SourceOffset("{\"0\":" + n / 2 + ",\"1\":10}");
            assertEquals(g.eventRows(n / 2 - 10, n / 2 + 10).stream().map(Arrays::asList).toList(), KafkaSourceTest.rows(source.read(Optional.of(from), to, mem)));
        }
    }
}
