package dev.kiln.connectors.kafka;

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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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

/** A real KRaft broker, shared by the tests of this class; each test uses its own topic. */
class KafkaSourceTest {
    static final Schema SCHEMA = Schema.of(
            new Field("id", DataType.BIGINT, false),
            new Field("name", DataType.VARCHAR, true),
            new Field("price", DataType.decimal(9, 2), true),
            new Field("ts", DataType.TIMESTAMP, true));

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

    static KafkaProducer<byte[], byte[]> producer(String transactionalId) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        if (transactionalId != null) c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 << 10);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static ProducerRecord<byte[], byte[]> record(String topic, int partition, String value) {
        return new ProducerRecord<>(topic, partition, null, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    static String json(long id) {
        return "{\"id\":" + id + ",\"name\":\"n" + id + "\",\"price\":" + id + ".25,\"ts\":" + (1_700_000_000_000L + id) + "}";
    }

    static List<Object> row(long id) {
        return Arrays.asList(id, "n" + id, new BigDecimal(id + ".25"), LocalDateTime.of(2023, 11, 14, 22, 13, 20).plusNanos((id) * 1_000_000L));
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

    /** Partition p gets ids p*1000+first .. p*1000+first+count-1, in order. */
    static void produce(String topic, int partitions, int first, int count) {
        try (var p = producer(null)) {
            for (int part = 0; part < partitions; part++) {
                for (int i = first; i < first + count; i++) p.send(record(topic, part, json(part * 1000L + i)));
            }
            p.flush();
        }
    }

    @Test
    void readsExactRangesInPartitionThenOffsetOrderAndReplaysThem() {
        kafka.createTopic("orders", 3);
        try (KafkaSource source = new KafkaSource(kafka.bootstrapServers(), "orders", SCHEMA, new JsonObjectDecoder(SCHEMA))) {
            assertEquals(Optional.empty(), source.latest());
            produce("orders", 3, 0, 5);
            SourceOffset end = source.latest().orElseThrow();
            assertEquals("{\"0\":5,\"1\":5,\"2\":5}", end.text());

            List<List<Object>> expected = new ArrayList<>();
            for (int p = 0; p < 3; p++) for (int i = 0; i < 5; i++) expected.add(row(p * 1000L + i));
            SourceBatch all = source.read(Optional.empty(), end, mem);
            assertEquals(expected, rows(all));
            assertEquals(List.of(), all.badRecords());

            // A middle range: [2, 4) of partition 0, [0, 1) of 1, nothing of 2.
            SourceOffset from = new SourceOffset("{\"0\":2,\"1\":0,\"2\":5}");
            SourceOffset to = new SourceOffset("{\"0\":4,\"1\":1,\"2\":5}");
            List<List<Object>> middle = List.of(row(2), row(3), row(1000));
            assertEquals(middle, rows(source.read(Optional.of(from), to, mem)));
            assertEquals(middle, rows(source.read(Optional.of(from), to, mem)), "the same range gives the same rows");
            assertEquals(expected, rows(source.read(Optional.empty(), end, mem)), "and so does the whole range, read again");

            // Later records do not leak into an old range.
            produce("orders", 3, 5, 2);
            assertEquals("{\"0\":7,\"1\":7,\"2\":7}", source.latest().orElseThrow().text());
            assertEquals(middle, rows(source.read(Optional.of(from), to, mem)));
            assertEquals(List.of(row(5), row(6), row(1005), row(1006), row(2005), row(2006)), rows(source.read(Optional.of(end), source.latest().orElseThrow(), mem)));
        }
    }

    @Test
    void neverReadsAbortedOrOpenTransactions() {
        kafka.createTopic("tx", 2);
        try (KafkaSource source = new KafkaSource(kafka.bootstrapServers(), "tx", SCHEMA, new JsonObjectDecoder(SCHEMA));
             var tp = producer("kiln-test-tx")) {
            tp.initTransactions();
            tp.beginTransaction();
            tp.send(record("tx", 0, json(1)));
            tp.send(record("tx", 1, json(2)));
            tp.commitTransaction();

            tp.beginTransaction();
            tp.send(record("tx", 0, json(666)));
            tp.send(record("tx", 1, json(667)));
            tp.flush();
            tp.abortTransaction();

            tp.beginTransaction();
            tp.send(record("tx", 0, json(3)));
            tp.commitTransaction();
            // Partition 0: 1, commit, 666, abort, 3, commit; partition 1: 2, commit, 667, abort.
            SourceOffset committed = awaitLatest(source, "{\"0\":6,\"1\":4}");

            // Still open: latest() stops at the last stable offset, before it.
            tp.beginTransaction();
            tp.send(record("tx", 1, json(999)));
            tp.flush();
            assertEquals(committed, source.latest().orElseThrow());
            assertEquals(List.of(row(1), row(3), row(2)), rows(source.read(Optional.empty(), committed, mem)));
            tp.abortTransaction();

            tp.beginTransaction();
            tp.send(record("tx", 1, json(4)));
            tp.commitTransaction();
            SourceOffset end = awaitLatest(source, "{\"0\":6,\"1\":8}"); // 999, abort, 4, commit
            assertEquals(List.of(row(4)), rows(source.read(Optional.of(committed), end, mem)));
            assertEquals(List.of(row(1), row(3), row(2), row(4)), rows(source.read(Optional.empty(), end, mem)));
        }
    }

    /** commitTransaction returns before the commit markers are written, so the stable offsets move a moment later. */
    static SourceOffset awaitLatest(KafkaSource source, String expected) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            SourceOffset now = source.latest().orElseThrow();
            if (now.text().equals(expected) || System.nanoTime() > deadline) {
                assertEquals(expected, now.text());
                return now;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void reportsBadRecordsWithTopicPartitionAndOffset() {
        kafka.createTopic("bad", 2);
        try (var p = producer(null)) {
            p.send(record("bad", 0, json(1)));
            p.send(record("bad", 0, "not json"));
            p.send(record("bad", 0, "{\"id\":\"x7\"}"));
            p.send(record("bad", 0, json(2)));
            p.send(record("bad", 1, null));
            p.send(record("bad", 1, "{\"name\":\"no id\"}"));
            p.send(record("bad", 1, "{\"id\":3,\"price\":1.234}"));
            p.send(record("bad", 1, "{\"id\":4,\"extra\":{\"nested\":[1,2]},\"name\":\"q\\\"\\u00e9\"}"));
            p.flush();
        }
        try (KafkaSource source = new KafkaSource(kafka.bootstrapServers(), "bad", SCHEMA, new JsonObjectDecoder(SCHEMA))) {
            SourceBatch b = source.read(Optional.empty(), source.latest().orElseThrow(), mem);
            assertEquals(List.of(row(1), row(2), Arrays.asList(4L, "q\"é", null, null)), rows(b));
            List<String> bad = b.badRecords().stream().map(r -> r.where() + " | " + r.text() + " | " + r.reason()).toList();
            assertEquals(List.of(
                    "kafka bad-0@1 | not json | expected '{', found 'n'",
                    "kafka bad-0@2 | {\"id\":\"x7\"} | field 'id': 'x7' is not a BIGINT",
                    "kafka bad-1@0 |  | the record has no value (a tombstone)",
                    "kafka bad-1@1 | {\"name\":\"no id\"} | field 'id' is missing but the column is NOT NULL",
                    "kafka bad-1@2 | {\"id\":3,\"price\":1.234} | field 'price': '1.234' is not a DECIMAL(9,2)"), bad);
        }
    }

    @Test
    void offsetsTextIsCheckedAndRoundTrips() {
        KafkaOffsets o = KafkaOffsets.parse(" { \"1\" : 980 , \"0\":1200 } ");
        assertEquals("{\"0\":1200,\"1\":980}", o.text());
        assertEquals(o, KafkaOffsets.parse(o.text()));
        assertEquals("{}", KafkaOffsets.parse("{}").text());
        for (String badText : List.of("42", "{\"0\":1,}", "{0:1}", "{\"0\":-1}", "{\"0\":1,\"0\":2}", "[\"0\",1]")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaOffsets.parse(badText), badText);
            assertTrue(e.getMessage().contains("is not of the form {\"0\":1200,\"1\":980}"), e.getMessage());
        }
    }

    @Test
    void missingTopicAndBadRangesAreClearErrors() {
        KilnException e = assertThrows(KilnException.class, () -> new KafkaSource(kafka.bootstrapServers(), "nope", SCHEMA, new JsonObjectDecoder(SCHEMA)));
        assertEquals("kafka[nope]: topic 'nope' does not exist on " + kafka.bootstrapServers() + "; create it first", e.getMessage());
        kafka.createTopic("ranges", 1);
        try (KafkaSource source = new KafkaSource(kafka.bootstrapServers(), "ranges", SCHEMA, new JsonObjectDecoder(SCHEMA))) {
            e = assertThrows(KilnException.class, () -> source.read(Optional.of(new SourceOffset("{\"0\":5}")), new SourceOffset("{\"0\":3}"), mem));
            assertEquals("kafka[ranges]: partition 0 starts at offset 5, after its end offset 3", e.getMessage());
        }
    }

    @Test
    void manyRecordsComeInOrder() {
        int perPartition = 30_000;
        kafka.createTopic("bulk", 3);
        try (var p = producer(null)) {
            for (int i = 0; i < perPartition; i++) {
                for (int part = 0; part < 3; part++) p.send(record("bulk", part, json(i)));
            }
            p.flush();
        }
        try (KafkaSource source = new KafkaSource(kafka.bootstrapServers(), "bulk", SCHEMA, new JsonObjectDecoder(SCHEMA))) {
            SourceOffset end = source.latest().orElseThrow();
            SourceBatch b = source.read(Optional.empty(), end, mem);
            assertEquals(3L * perPartition, b.rowCount());
            // partition order, then offset order: ids 0..n-1 three times over
            long expected = 0;
            for (Batch batch : b.batches()) {
                for (int r = 0; r < batch.rowCount(); r++) {
                    assertEquals(expected, batch.column(0).getLong(r));
                    expected = (expected + 1) % perPartition;
                }
            }
        }
    }
}
