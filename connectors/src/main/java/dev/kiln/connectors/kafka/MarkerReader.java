package dev.kiln.connectors.kafka;

import dev.kiln.ir.KilnException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a {@link KafkaSink}'s committed batch markers: every partition of the marker topic from
 * its beginning to its last stable offset, with read_committed, so markers of aborted or still
 * open transactions are not counted. The topic is compacted by key (the sink id), so it stays
 * about one record per sink however long the sinks run.
 */
final class MarkerReader {
    private MarkerReader() {}

    /** The highest batch id committed by {@code sinkId}, or -1. */
    static long lastBatch(String bootstrap, String markerTopic, String sinkId, Map<String, Object> extraConfig, Duration timeout) {
        Map<String, Object> c = new HashMap<>(extraConfig);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "kiln-sink-markers-" + sinkId);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        byte[] key = sinkId.getBytes(StandardCharsets.UTF_8);
        long last = -1;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(markerTopic, timeout)) tps.add(new TopicPartition(markerTopic, p.partition()));
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps, timeout);
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                boolean done = true;
                for (TopicPartition tp : tps) done &= consumer.position(tp, timeout) >= ends.get(tp);
                if (done) return last;
                if (System.nanoTime() > deadline) {
                    throw new KilnException("kafka sink '" + sinkId + "': could not read the marker topic '" + markerTopic + "' to its end within " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.value() == null || !Arrays.equals(r.key(), key)) continue;
                    String text = new String(r.value(), StandardCharsets.UTF_8);
                    try {
                        last = Math.max(last, Long.parseLong(text));
                    } catch (NumberFormatException e) {
                        throw new KilnException("kafka sink '" + sinkId + "': marker topic '" + markerTopic + "' holds '" + text + "' at partition "
                                + r.partition() + " offset " + r.offset() + ", which is not a batch id; is the topic used for something else?");
                    }
                }
            }
        }
    }
}
