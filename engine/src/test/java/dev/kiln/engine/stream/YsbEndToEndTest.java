package dev.kiln.engine.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.connectors.kafka.EmbeddedKafka;
import dev.kiln.connectors.kafka.JsonObjectDecoder;
import dev.kiln.connectors.kafka.KafkaSource;
import dev.kiln.connectors.redis.RedisServer;
import dev.kiln.connectors.redis.RedisSink;
import dev.kiln.connectors.ysb.YsbGenerator;
import dev.kiln.engine.Kiln;
import dev.kiln.engine.QueryResult;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.OutputMode;
import dev.kiln.runtime.stream.RowCodec;
import dev.kiln.runtime.vector.TableBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The Yahoo Streaming Benchmark for real: generated events as JSON in an embedded Kafka broker,
 * the YSB query in SQL (views, joined with the campaigns, counted per campaign per 10-second
 * event-time window), the counts written to a real redis-server. Events arrive in waves while
 * the query runs, and the query is restarted from its checkpoint half-way; Redis must then hold
 * exactly what the batch query computes over all the events.
 */
class YsbEndToEndTest {
    static final String YSB = """
            SELECT c.campaign_id, TUMBLE_START(e.event_time, INTERVAL '10' SECOND) AS window_start, count(*) AS events
            FROM events e JOIN campaigns c ON e.ad_id = c.ad_id
            WHERE e.event_type = 'view'
            GROUP BY c.campaign_id, TUMBLE(e.event_time, INTERVAL '10' SECOND)""";

    @Test
    void kafkaToRedisEqualsTheBatchQuery(@TempDir Path dir) throws Exception {
        YsbGenerator gen = new YsbGenerator(7, 1_760_000_000_000L, 2_000); // 2000 events per second of event time
        int total = 60_000;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); RedisServer redis = RedisServer.start()) {
            kafka.createTopic("ysb", 3);
            Properties p = new Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            p.put("linger.ms", "5");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
                 Kiln kiln = Kiln.open()) {
                try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
                    kiln.registerTable(gen.campaigns(mem).withName("campaigns"));
                    StreamingQuery q = null;
                    for (int wave = 0; wave < 4; wave++) {
                        for (long i = wave * (total / 4L); i < (wave + 1) * (total / 4L); i++) {
                            byte[] json = gen.jsonLines(i, i + 1);
                            producer.send(new ProducerRecord<>("ysb", (int) (i % 3), null, java.util.Arrays.copyOf(json, json.length - 1)));
                        }
                        producer.flush();
                        if (q == null) q = start(kiln, kafka, redis, dir, wave == 0);
                        q.processAllAvailable();
                        if (wave == 1) { // a restart from the checkpoint half-way
                            q.stop();
                            q = null;
                        }
                    }
                    q.processAllAvailable();
                    var progress = q.recentProgress();
                    q.stop();
                    assertTrue(progress.stream().mapToLong(StreamingProgress::inputRows).sum() > 0);
                    Map<String, Long> expected = batch(gen, total);
                    Map<String, Long> got = new TreeMap<>();
                    try (Jedis j = redis.connect()) {
                        for (String key : j.keys("ysb:*")) {
                            if (key.startsWith("ysb:__")) continue;
                            got.put(key.substring(4), Long.parseLong(j.hget(key, "events")));
                        }
                    }
                    assertEquals(expected.size(), got.size(), "windows in Redis");
                    assertEquals(expected, got);
                }
            }
        }
    }

    private static StreamingQuery start(Kiln kiln, EmbeddedKafka kafka, RedisServer redis, Path dir, boolean first) {
        if (first) {
            kiln.readStream().source(new KafkaSource(kafka.bootstrapServers(), "ysb", YsbGenerator.EVENT_SCHEMA, new JsonObjectDecoder(YsbGenerator.EVENT_SCHEMA)))
                    .eventTime("event_time", Duration.ofSeconds(1)).load("events");
        }
        return kiln.writeStream(YSB).outputMode(OutputMode.UPDATE).trigger(Trigger.processingTime(Duration.ofMillis(50)))
                .checkpointLocation(dir.resolve("checkpoint")).to(new RedisSink(redis.host(), redis.port(), "ysb")).start();
    }

    /** campaign_id:window start (epoch ms) -> count, by the batch query over all events. */
    private static Map<String, Long> batch(YsbGenerator gen, int total) {
        Map<String, Long> out = new TreeMap<>();
        try (Kiln batch = Kiln.open(); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("events", YsbGenerator.EVENT_SCHEMA, mem);
            for (Object[] r : gen.eventRows(0, total)) tb.appendRow(r);
            batch.registerTable(tb.build());
            batch.registerTable(gen.campaigns(mem).withName("campaigns"));
            try (QueryResult r = batch.sql(YSB)) {
                for (Object[] row : r.rows()) out.put(row[0] + ":" + RowCodec.micros((LocalDateTime) row[1]) / 1000, (Long) row[2]);
            }
        }
        return out;
    }
}
