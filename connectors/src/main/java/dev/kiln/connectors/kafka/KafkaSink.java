package dev.kiln.connectors.kafka;

import dev.kiln.ir.KilnException;
import dev.kiln.runtime.stream.ChangeBatch;
import dev.kiln.runtime.stream.StreamSink;
import dev.kiln.runtime.vector.Batch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a streaming query's changes to a Kafka topic, exactly once, with Kafka transactions.
 *
 * <p><b>Exactly once.</b> The sink has one transactional producer whose {@code transactional.id}
 * is {@code kiln-sink-<sinkId>}. Each {@link ChangeBatch} is one transaction holding its data
 * records and one marker record, key = sink id, value = batch id, on a small compacted marker
 * topic ({@value #DEFAULT_MARKER_TOPIC} unless told otherwise; created if missing). A consumer
 * with {@code isolation.level=read_committed} sees all of a batch or none of it. A new sink with
 * the same id (a restarted process) first calls {@code initTransactions}, which fences the old
 * producer and aborts whatever transaction it left open (or finishes a commit it had begun); it
 * then reads the committed markers, so {@link #lastWrittenBatch} is the last batch that truly
 * committed, and {@link #write} of a batch id up to it does nothing. A write that fails leaves the
 * sink to start afresh on the next write (new producer, markers read again), so the engine may
 * simply write the batch again.
 *
 * <p><b>Records per output mode.</b> Every data record carries the header {@code kiln.batch} (the
 * batch id as text). APPEND: one record per new row, keyed by the key columns if the batch has any,
 * else with no key. UPDATE: one record per changed row keyed by its key columns (the latest record
 * per key is the row: a compacted topic holds the current result), and a tombstone (key, null value)
 * per deleted key. COMPLETE: the whole result each batch, keyed like UPDATE; a reader takes the
 * records of the highest {@code kiln.batch} as the result (keys absent from it are gone; no
 * tombstones are written for them, since the sink keeps no copy of the previous result).
 *
 * <p>Rows become bytes through a {@link RecordEncoder}, {@link JsonRecordEncoder} by default.
 * The data topic must exist.
 */
public final class KafkaSink implements StreamSink {
    public static final String DEFAULT_MARKER_TOPIC = "kiln-sink-batches";
    public static final String BATCH_HEADER = "kiln.batch";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrap;
    private final String topic;
    private final String sinkId;
    private final RecordEncoder encoder;
    private final String markerTopic;
    private final Map<String, Object> extraConfig;
    /** Null after a failed write: the next write opens a new one (which settles the failed transaction). */
    private KafkaProducer<byte[], byte[]> producer;
    private long lastWritten = -1;
    private boolean fenced;

    public KafkaSink(String bootstrapServers, String topic, String sinkId) {
        this(bootstrapServers, topic, sinkId, new JsonRecordEncoder(), DEFAULT_MARKER_TOPIC, Map.of());
    }

    /**
     * @param sinkId      names this sink across restarts: the same id resumes (and fences) the same sink
     * @param extraConfig client settings (security, timeouts) for the producer and the admin and
     *                    marker-reading clients (each takes the keys it knows)
     */
    public KafkaSink(String bootstrapServers, String topic, String sinkId, RecordEncoder encoder, String markerTopic, Map<String, Object> extraConfig) {
        if (sinkId == null || sinkId.isBlank()) throw new IllegalArgumentException("a Kafka sink needs a non-empty sink id, kept across restarts");
        this.bootstrap = bootstrapServers;
        this.topic = topic;
        this.sinkId = sinkId;
        this.encoder = encoder;
        this.markerTopic = markerTopic;
        this.extraConfig = Map.copyOf(extraConfig);
        prepareTopics();
        open();
    }

    /** The producer's {@code transactional.id} for a sink id. */
    public static String transactionalId(String sinkId) {
        return "kiln-sink-" + sinkId;
    }

    @Override
    public long lastWrittenBatch() {
        return lastWritten;
    }

    @Override
    public void write(ChangeBatch changes) {
        if (fenced) throw fencedError(null);
        if (changes.batchId() <= lastWritten) return;
        if (producer == null) open();
        if (changes.batchId() <= lastWritten) return; // the failed write had committed after all
        int[] keys = changes.keyColumns().stream().mapToInt(Integer::intValue).toArray();
        byte[] id = Long.toString(changes.batchId()).getBytes(StandardCharsets.UTF_8);
        // One read-only header set for all records of the batch: the producer copies nothing from it.
        RecordHeaders headers = new RecordHeaders(new Header[] {new RecordHeader(BATCH_HEADER, id)});
        try {
            producer.beginTransaction();
            for (Batch b : changes.upserts()) {
                for (int r = 0; r < b.rowCount(); r++) {
                    byte[] key = keys.length == 0 ? null : encoder.key(b, r, keys);
                    producer.send(new ProducerRecord<>(topic, null, null, key, encoder.value(b, r), headers));
                }
            }
            for (Batch b : changes.deletes()) {
                int[] all = new int[b.columns().size()];
                for (int c = 0; c < all.length; c++) all[c] = c;
                for (int r = 0; r < b.rowCount(); r++) producer.send(new ProducerRecord<>(topic, null, null, encoder.key(b, r, all), null, headers));
            }
            producer.send(new ProducerRecord<>(markerTopic, sinkId.getBytes(StandardCharsets.UTF_8), id));
            producer.commitTransaction();
            lastWritten = changes.batchId();
        } catch (KafkaException e) {
            // Whether the transaction committed is unknown (a commit can time out after the
            // broker took it): drop the producer; the next write's initTransactions settles it and
            // the markers say whether this batch is in.
            producer.close(Duration.ZERO);
            producer = null;
            if (isFenced(e)) {
                fenced = true;
                throw fencedError(e);
            }
            throw new KilnException(describe() + ": writing batch " + changes.batchId() + " failed: " + e.getMessage()
                    + "; nothing of it is visible to read_committed consumers unless it committed, and writing it again is safe", e);
        }
    }

    @Override
    public String describe() {
        return "kafka[" + topic + "]";
    }

    @Override
    public void close() {
        if (producer != null) producer.close(TIMEOUT);
        producer = null;
    }

    /**
     * Fenced: a newer producer with the same transactional id exists (another sink with this id
     * started), or the coordinator aborted this transaction for running past its timeout. Either
     * way this producer may not write again; a new sink (a restarted query) may.
     */
    private static boolean isFenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) return true;
        }
        return false;
    }

    private KilnException fencedError(Throwable cause) {
        return new KilnException(describe() + ": another sink with id '" + sinkId + "' (transactional.id " + transactionalId(sinkId) + ") has started and fenced this one, "
                + "or a batch took longer than transaction.timeout.ms; only one query may write with a sink id at a time, and this sink writes no more: restart the query", cause);
    }

    private void open() {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(sinkId));
        c.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId(sinkId));
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 << 10);
        c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
        // A crashed writer's open transaction holds back read_committed readers until it is
        // aborted: by the restarted sink, or by this timeout if no sink comes back.
        c.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        c.putAll(only(ProducerConfig.configNames(), extraConfig));
        KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            p.initTransactions();
            lastWritten = MarkerReader.lastBatch(bootstrap, markerTopic, sinkId, only(ConsumerConfig.configNames(), extraConfig), TIMEOUT);
        } catch (KafkaException e) {
            p.close(Duration.ZERO);
            if (isFenced(e)) throw new KilnException(describe() + ": fenced while starting (another sink with id '" + sinkId + "' started at the same time?): " + e.getMessage(), e);
            throw new KilnException(describe() + ": cannot start the transactional producer " + transactionalId(sinkId) + " on " + bootstrap + ": " + e.getMessage(), e);
        }
        producer = p;
    }

    /** Checks that the data topic exists and creates the marker topic if it does not. */
    private void prepareTopics() {
        Map<String, Object> c = only(AdminClientConfig.configNames(), extraConfig);
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(c)) {
            Set<String> names = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!names.contains(topic)) {
                throw new KilnException(describe() + ": topic '" + topic + "' does not exist on " + bootstrap + "; create it before starting the query");
            }
            if (!names.contains(markerTopic)) {
                int brokers = admin.describeCluster().nodes().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).size();
                NewTopic t = new NewTopic(markerTopic, 1, (short) Math.min(3, brokers)).configs(Map.of("cleanup.policy", "compact"));
                try {
                    admin.createTopics(List.of(t)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e; // another sink made it just now
                }
            }
        } catch (ExecutionException e) {
            throw new KilnException(describe() + ": cannot prepare topics on " + bootstrap + ": " + e.getCause().getMessage(), e.getCause());
        } catch (KilnException e) {
            throw e;
        } catch (Exception e) {
            throw new KilnException(describe() + ": cannot prepare topics on " + bootstrap + ": " + e, e);
        }
    }

    private static Map<String, Object> only(Set<String> names, Map<String, Object> config) {
        Map<String, Object> c = new HashMap<>();
        config.forEach((k, v) -> {
            if (names.contains(k)) c.put(k, v);
        });
        return c;
    }
}
