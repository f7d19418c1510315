package dev.kiln.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.ChangeBatch;
import dev.kiln.runtime.stream.OutputMode;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.TableBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real KRaft broker shared by the tests of this class; each test has its own topic and sink id. */
class KafkaSinkTest {
    static final Schema SCHEMA = Schema.of(
            new Field("campaign", DataType.VARCHAR, false),
            new Field("window_start", DataType.TIMESTAMP, false),
            new Field("count", DataType.BIGINT, true));
    static final Schema KEYS = SCHEMA.select(List.of(0, 1));
    static final LocalDateTime T0 = LocalDateTime.of(2024, 1, 1, 0, 0, 10);

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

    List<Batch> batches(Schema schema, List<Object[]> rows) {
        TableBuilder b = new TableBuilder("t", schema, mem);
        for (Object[] r : rows) b.appendRow(r);
        return b.build().batches();
    }

    ChangeBatch update(long id, List<Object[]> upserts, List<Object[]> deletes) {
        return new ChangeBatch(id, OutputMode.UPDATE, SCHEMA, List.of(0, 1), batches(SCHEMA, upserts), batches(KEYS, deletes));
    }

    static List<Object[]> rows(Object[]... rows) {
        return List.of(rows);
    }

    static Object[] r(Object... values) {
        return values;
    }

    /** The JSON text of a row as the default encoder writes it. */
    static String value(String campaign, int windowSeconds, Long count) {
        return "{\"campaign\":\"" + campaign + "\",\"window_start\":\"2024-01-01 00:00:" + windowSeconds + "\",\"count\":" + count + "}";
    }

    static String key(String campaign, int windowSeconds) {
        return "{\"campaign\":\"" + campaign + "\",\"window_start\":\"2024-01-01 00:00:" + windowSeconds + "\"}";
    }

    static String rec(long batch, String key, String value) {
        return batch + " | " + key + " | " + value;
    }

    /** What a read_committed consumer sees in the topic, as "batch | key | value" lines. */
    static List<String> committed(String topic) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    Header h = r.headers().lastHeader(KafkaSink.BATCH_HEADER);
                    out.add(rec(Long.parseLong(new String(h.value(), StandardCharsets.UTF_8)), text(r.key()), text(r.value())));
                }
            }
        }
        return out;
    }

    /** Commit markers land a moment after commitTransaction returns: look until the topic shows what is expected, or 10 s. */
    static void assertTopic(String topic, List<String> expected) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> seen = committed(topic);
        while (!seen.equals(expected) && System.nanoTime() < deadline) seen = committed(topic);
        assertEquals(expected, seen);
    }

    static String text(byte[] b) {
        return b == null ? "null" : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void updateModeWritesKeyedRowsAndTombstonesOnceEach() {
        kafka.createTopic("counts", 1);
        try (KafkaSink sink = new KafkaSink(kafka.bootstrapServers(), "counts", "update")) {
            assertEquals(-1, sink.lastWrittenBatch());
            sink.write(update(0, rows(r("c1", T0, 3L), r("c2", T0, 5L)), List.of()));
            sink.write(update(1, rows(r("c1", T0, 4L), r("c1", T0.plusSeconds(10), null)), rows(r("c2", T0))));
            sink.write(update(1, rows(r("c1", T0, 999L)), List.of())); // the same batch again: nothing
            sink.write(update(0, rows(r("c1", T0, 999L)), List.of())); // an older one: nothing
            assertEquals(1, sink.lastWrittenBatch());
        }
        assertTopic("counts", List.of(
                rec(0, key("c1", 10), value("c1", 10, 3L)),
                rec(0, key("c2", 10), value("c2", 10, 5L)),
                rec(1, key("c1", 10), value("c1", 10, 4L)),
                rec(1, key("c1", 20), value("c1", 20, null)),
                rec(1, key("c2", 10), "null")));
    }

    @Test
    void aRestartedSinkKnowsWhatCommittedAndWritesNothingTwice() {
        kafka.createTopic("restart", 1);
        try (KafkaSink sink = new KafkaSink(kafka.bootstrapServers(), "restart", "restart")) {
            sink.write(update(0, rows(r("a", T0, 1L)), List.of()));
            sink.write(update(1, rows(r("b", T0, 2L)), List.of()));
        }
        try (KafkaSink again = new KafkaSink(kafka.bootstrapServers(), "restart", "restart")) {
            assertEquals(1, again.lastWrittenBatch());
            again.write(update(1, rows(r("b", T0, 2L)), List.of())); // replayed after the "crash": a no-op
            again.write(update(2, rows(r("c", T0, 3L)), List.of()));
            assertEquals(2, again.lastWrittenBatch());
        }
        try (KafkaSink other = new KafkaSink(kafka.bootstrapServers(), "restart", "another-id")) {
            assertEquals(-1, other.lastWrittenBatch(), "markers are per sink id");
        }
        assertTopic("restart", List.of(
                rec(0, key("a", 10), value("a", 10, 1L)),
                rec(1, key("b", 10), value("b", 10, 2L)),
                rec(2, key("c", 10), value("c", 10, 3L))));
    }

    @Test
    void aTransactionLeftOpenByACrashIsAbortedAndTheBatchWrittenOnce() {
        kafka.createTopic("crash", 1);
        try (KafkaSink sink = new KafkaSink(kafka.bootstrapServers(), "crash", "crash")) {
            sink.write(update(0, rows(r("a", T0, 1L)), List.of()));
        }
        // The "crashed" process: the sink's transactional id, batch 1's records and marker sent, no commit.
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaSink.transactionalId("crash"));
        KafkaProducer<byte[], byte[]> zombie = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>("crash", bytes(key("b", 10)), bytes(value("b", 10, 2L))));
            zombie.send(new ProducerRecord<>(KafkaSink.DEFAULT_MARKER_TOPIC, bytes("crash"), bytes("1")));
            zombie.flush();

            try (KafkaSink restarted = new KafkaSink(kafka.bootstrapServers(), "crash", "crash")) {
                assertEquals(0, restarted.lastWrittenBatch(), "the open transaction's marker does not count");
                restarted.write(update(1, rows(r("b", T0, 2L)), List.of()));
                assertEquals(1, restarted.lastWrittenBatch());
            }
            assertThrows(KafkaException.class, zombie::commitTransaction, "the old producer is fenced");
        } finally {
            zombie.close(Duration.ZERO);
        }
        assertTopic("crash", List.of(
                rec(0, key("a", 10), value("a", 10, 1L)),
                rec(1, key("b", 10), value("b", 10, 2L))));
        try (KafkaSink later = new KafkaSink(kafka.bootstrapServers(), "crash", "crash")) {
            assertEquals(1, later.lastWrittenBatch());
        }
    }

    @Test
    void aSecondSinkWithTheSameIdFencesTheFirst() {
        kafka.createTopic("fence", 1);
        try (KafkaSink first = new KafkaSink(kafka.bootstrapServers(), "fence", "fence");
             KafkaSink second = new KafkaSink(kafka.bootstrapServers(), "fence", "fence")) {
            second.write(update(0, rows(r("a", T0, 1L)), List.of()));
            KilnException e = assertThrows(KilnException.class, () -> first.write(update(0, rows(r("zombie", T0, 1L)), List.of())));
            assertTrue(e.getMessage().startsWith("kafka[fence]: another sink with id 'fence' (transactional.id kiln-sink-fence) has started and fenced this one"), e.getMessage());
        }
        assertTopic("fence", List.of(rec(0, key("a", 10), value("a", 10, 1L))));
    }

    @Test
    void appendWithoutKeysAndCompleteSnapshots() {
        kafka.createTopic("modes", 1);
        try (KafkaSink sink = new KafkaSink(kafka.bootstrapServers(), "modes", "modes")) {
            sink.write(new ChangeBatch(0, OutputMode.APPEND, SCHEMA, List.of(), batches(SCHEMA, rows(r("a", T0, 1L))), List.of()));
            sink.write(new ChangeBatch(1, OutputMode.COMPLETE, SCHEMA, List.of(0, 1), batches(SCHEMA, rows(r("a", T0, 1L), r("b", T0, 2L))), List.of()));
            sink.write(new ChangeBatch(2, OutputMode.COMPLETE, SCHEMA, List.of(0, 1), batches(SCHEMA, rows(r("b", T0, 3L))), List.of()));
        }
        assertTopic("modes", List.of(
                rec(0, "null", value("a", 10, 1L)),
                rec(1, key("a", 10), value("a", 10, 1L)),
                rec(1, key("b", 10), value("b", 10, 2L)),
                rec(2, key("b", 10), value("b", 10, 3L))));
    }

    @Test
    void aMissingTopicIsAClearError() {
        KilnException e = assertThrows(KilnException.class, () -> new KafkaSink(kafka.bootstrapServers(), "no-such-topic", "x"));
        assertEquals("kafka[no-such-topic]: topic 'no-such-topic' does not exist on " + kafka.bootstrapServers() + "; create it before starting the query", e.getMessage());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
