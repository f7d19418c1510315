package dev.kiln.connectors.kafka;

import dev.kiln.connectors.TableAssembler;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.BadRecord;
import dev.kiln.runtime.stream.SourceBatch;
import dev.kiln.runtime.stream.SourceOffset;
import dev.kiln.runtime.stream.StreamSource;
import dev.kiln.runtime.vector.Batch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Every partition of one Kafka topic as a replayable stream source. Partitions are assigned to
 * the source's own consumer by hand: no consumer group, no committed offsets in Kafka, because
 * the streaming checkpoint keeps the positions.
 *
 * <p>Offsets are {@link KafkaOffsets} text, {@code {"0":1200,"1":980}}: partition -> offset of
 * the next record to read. {@link #latest} is the end of every partition now, read with
 * {@code isolation.level=read_committed}, so it stops at the last stable offset (before any open
 * transaction) and records of aborted transactions are never read. (Kafka writes a transaction's
 * commit markers just after the producer's commit returns, so {@code latest} may trail a commit
 * by those milliseconds.) {@link #read} returns exactly the records in [start, end) of each
 * partition, partition 0's first, each partition in offset order: the same range always gives
 * the same rows (and the same bad records), which exactly-once output rests on. A partition
 * missing from {@code start} (an empty start, or a partition added since) is read from its first
 * offset.
 *
 * <p>Each record value is one row, decoded by a {@link RecordDecoder}; a record it rejects, or one
 * with no value, becomes a {@link BadRecord} whose where is {@code kafka <topic>-<partition>@<offset>}.
 * Large fetches (64 MB per request, 16 MB per partition, 50,000 records per poll) keep the
 * consumer busy, and strings go from the consumer's byte arrays to the off-heap columns with no
 * copy in between.
 */
public final class KafkaSource implements StreamSource {
    /** How long a read may see no progress before it gives up (records deleted, a broker down). */
    private static final Duration STALL = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA = Duration.ofSeconds(30);

    private final String bootstrap;
    private final String topic;
    private final Schema schema;
    private final RecordDecoder decoder;
    private final KafkaConsumer<byte[], byte[]> consumer;

    public KafkaSource(String bootstrapServers, String topic, Schema schema, RecordDecoder decoder) {
        this(bootstrapServers, topic, schema, decoder, Map.of());
    }

    /** @param consumerConfig extra consumer settings (security, timeouts), over the source's own */
    public KafkaSource(String bootstrapServers, String topic, Schema schema, RecordDecoder decoder, Map<String, Object> consumerConfig) {
        this.bootstrap = bootstrapServers;
        this.topic = topic;
        this.schema = schema;
        this.decoder = decoder;
        new RowSink(schema); // checks the column types before a consumer is made
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "kiln-source-" + topic);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Reading from an offset that is gone must fail, not jump silently to another offset.
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50_000);
        c.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 4 << 20);
        c.putAll(consumerConfig);
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            partitions();
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public synchronized Optional<SourceOffset> latest() {
        Map<TopicPartition, Long> ends;
        try {
            ends = consumer.endOffsets(partitions(), METADATA);
        } catch (KafkaException e) {
            throw new KilnException(describe() + ": cannot read the end offsets from " + bootstrap + ": " + e.getMessage(), e);
        }
        TreeMap<Integer, Long> next = new TreeMap<>();
        ends.forEach((tp, end) -> next.put(tp.partition(), end));
        if (next.values().stream().allMatch(v -> v == 0)) return Optional.empty();
        return Optional.of(new KafkaOffsets(next).toSourceOffset());
    }

    @Override
    public synchronized SourceBatch read(Optional<SourceOffset> start, SourceOffset end, QueryMemory mem) {
        KafkaOffsets to = KafkaOffsets.parse(end);
        KafkaOffsets from = start.map(KafkaOffsets::parse).orElse(new KafkaOffsets(new TreeMap<>()));
        for (int p : from.next().keySet()) {
            if (!to.next().containsKey(p)) throw new KilnException(describe() + ": the start offsets " + from + " name partition " + p + " but the end offsets " + to + " do not");
        }
        List<Range> ranges = ranges(from, to, mem);
        try {
            if (!ranges.isEmpty()) fetch(ranges);
        } catch (RuntimeException e) {
            for (Range r : ranges) r.rows.abandon();
            throw e;
        }
        // Partition order, for rows and bad records alike: a replay reports the same list.
        List<Batch> batches = new ArrayList<>();
        List<BadRecord> bad = new ArrayList<>();
        for (Range r : ranges) {
            batches.addAll(r.rows.finish().batches());
            bad.addAll(r.bad);
        }
        return new SourceBatch(batches, bad);
    }

    /** One partition's [start, end) and the rows read from it so far. */
    private static final class Range {
        final TopicPartition tp;
        final long start;
        final long end;
        final TableAssembler rows;
        final List<BadRecord> bad = new ArrayList<>();
        boolean done;

        Range(TopicPartition tp, long start, long end, TableAssembler rows) {
            this.tp = tp;
            this.start = start;
            this.end = end;
            this.rows = rows;
        }
    }

    private List<Range> ranges(KafkaOffsets from, KafkaOffsets to, QueryMemory mem) {
        List<TopicPartition> unknownStart = new ArrayList<>();
        for (int p : to.next().keySet()) if (!from.next().containsKey(p)) unknownStart.add(new TopicPartition(topic, p));
        Map<TopicPartition, Long> beginnings = unknownStart.isEmpty() ? Map.of() : consumer.beginningOffsets(unknownStart, METADATA);
        List<Range> ranges = new ArrayList<>();
        for (var e : to.next().entrySet()) {
            TopicPartition tp = new TopicPartition(topic, e.getKey());
            long s = from.next().containsKey(e.getKey()) ? from.next().get(e.getKey()) : beginnings.get(tp);
            long t = e.getValue();
            if (s > t) throw new KilnException(describe() + ": partition " + e.getKey() + " starts at offset " + s + ", after its end offset " + t);
            if (s < t) ranges.add(new Range(tp, s, t, new TableAssembler(topic, schema, mem, t - s)));
        }
        return ranges;
    }

    private void fetch(List<Range> ranges) {
        Map<TopicPartition, Range> byPartition = new HashMap<>();
        for (Range r : ranges) byPartition.put(r.tp, r);
        consumer.assign(byPartition.keySet());
        consumer.resume(byPartition.keySet());
        for (Range r : ranges) consumer.seek(r.tp, r.start);
        RowSink row = new RowSink(schema);
        int open = ranges.size();
        long lastProgress = System.nanoTime();
        long lastPositions = -1;
        while (open > 0) {
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(POLL);
            } catch (OffsetOutOfRangeException e) {
                throw new KilnException(describe() + ": records at " + e.offsetOutOfRangePartitions() + " are no longer in Kafka (deleted by retention?); "
                        + "this range cannot be read again: raise the topic's retention or restart the query from a new checkpoint", e);
            } catch (KafkaException e) {
                throw new KilnException(describe() + ": reading from " + bootstrap + " failed: " + e.getMessage(), e);
            }
            for (TopicPartition tp : records.partitions()) {
                Range r = byPartition.get(tp);
                if (r.done) continue;
                row.target(r.rows);
                for (ConsumerRecord<byte[], byte[]> rec : records.records(tp)) {
                    if (rec.offset() >= r.end) break;
                    decode(rec, row, r.bad);
                }
            }
            // A partition is done when the consumer's position passed its end: the position also
            // moves over commit markers and aborted records, which poll never returns.
            long positions = 0;
            for (Range r : ranges) {
                if (r.done) continue;
                long position = consumer.position(r.tp);
                positions += position;
                if (position >= r.end) {
                    r.done = true;
                    open--;
                    consumer.pause(List.of(r.tp));
                }
            }
            if (positions != lastPositions) {
                lastPositions = positions;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                throw stalled(ranges);
            }
        }
    }

    private void decode(ConsumerRecord<byte[], byte[]> rec, RowSink row, List<BadRecord> bad) {
        byte[] v = rec.value();
        try {
            if (v == null) throw new BadRecordException("the record has no value (a tombstone)");
            decoder.decode(v, 0, v.length, row);
            row.commit();
        } catch (BadRecordException e) {
            row.clear();
            bad.add(new BadRecord(where(rec), v == null ? "" : text(v), e.getMessage()));
        } catch (RuntimeException e) {
            throw new KilnException(describe() + ": the decoder failed on " + where(rec) + ": " + e, e);
        }
    }

    private String where(ConsumerRecord<?, ?> rec) {
        return "kafka " + rec.topic() + "-" + rec.partition() + "@" + rec.offset();
    }

    /** The value as text for a bad-record report, cut before decoding: a value can be megabytes. */
    private static String text(byte[] v) {
        return new String(v, 0, Math.min(v.length, BadRecord.MAX_TEXT + 4), StandardCharsets.UTF_8);
    }

    private KilnException stalled(List<Range> ranges) {
        StringBuilder sb = new StringBuilder();
        for (Range r : ranges) {
            if (r.done) continue;
            sb.append(sb.isEmpty() ? "" : ", ").append("partition ").append(r.tp.partition()).append(" at offset ").append(consumer.position(r.tp)).append(" of ").append(r.end);
        }
        return new KilnException(describe() + ": no records for " + STALL.toSeconds() + " s while reading up to the end offsets (" + sb
                + "); is the broker " + bootstrap + " up, and were these offsets given by latest()?");
    }

    private List<TopicPartition> partitions() {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, METADATA);
        } catch (KafkaException e) {
            throw new KilnException(describe() + ": cannot read the partitions of topic '" + topic + "' from " + bootstrap + ": " + e.getMessage(), e);
        }
        if (infos == null || infos.isEmpty()) throw new KilnException(describe() + ": topic '" + topic + "' does not exist on " + bootstrap + "; create it first");
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo i : infos) tps.add(new TopicPartition(topic, i.partition()));
        tps.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        return tps;
    }

    @Override
    public String describe() {
        return "kafka[" + topic + "]";
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
