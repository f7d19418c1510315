package dev.kiln.connectors.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.ChangeBatch;
import dev.kiln.runtime.stream.OutputMode;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.TableBuilder;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** A real redis-server shared by the tests of this class; each test writes under its own prefix. */
class RedisSinkTest {
    static final Schema SCHEMA = Schema.of(
            new Field("campaign", DataType.VARCHAR, false),
            new Field("window_start", DataType.TIMESTAMP, false),
            new Field("count", DataType.BIGINT, true));
    static final Schema KEYS = SCHEMA.select(List.of(0, 1));
    static final LocalDateTime T0 = LocalDateTime.of(2024, 1, 1, 0, 0, 10);
    static final String W0 = "1704067210000"; // T0 in epoch milliseconds
    static final String W1 = "1704067220000";

    static RedisServer redis;
    static Jedis jedis;
    final QueryMemory mem = new QueryMemory(Long.MAX_VALUE);

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        jedis = redis.connect();
    }

    @AfterAll
    static void stopRedis() {
        if (jedis != null) jedis.close();
        if (redis != null) redis.close();
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

    ChangeBatch complete(long id, List<Object[]> rows) {
        return new ChangeBatch(id, OutputMode.COMPLETE, SCHEMA, List.of(), batches(SCHEMA, rows), List.of());
    }

    ChangeBatch append(long id, List<Object[]> rows) {
        return new ChangeBatch(id, OutputMode.APPEND, SCHEMA, List.of(), batches(SCHEMA, rows), List.of());
    }

    static List<Object[]> rows(Object[]... rows) {
        return List.of(rows);
    }

    static Object[] r(Object... values) {
        return values;
    }

    RedisSink sink(String prefix, RedisLayout layout) {
        return new RedisSink(redis.host(), redis.port(), prefix, layout);
    }

    /** Every key under the prefix with its content: hashes and sets sorted, lists in order. */
    static Map<String, Object> contents(String prefix) {
        Map<String, Object> out = new TreeMap<>();
        TreeSet<String> keys = new TreeSet<>(jedis.keys(prefix + ":*"));
        if (jedis.exists(prefix)) keys.add(prefix);
        for (String k : keys) {
            out.put(k, switch (jedis.type(k)) {
                case "hash" -> new TreeMap<>(jedis.hgetAll(k));
                case "list" -> jedis.lrange(k, 0, -1);
                case "set" -> new TreeSet<>(jedis.smembers(k));
                default -> jedis.get(k);
            });
        }
        return out;
    }

    @Test
    void updateUpsertsAndDeletesAndAReplayChangesNothing() {
        try (RedisSink sink = sink("u", RedisLayout.rowHashes())) {
            assertEquals(-1, sink.lastWrittenBatch());
            sink.write(update(0, rows(r("c1", T0, 3L), r("c2", T0, 5L)), List.of()));
            assertEquals(Map.of(
                    "u:__batch", "0",
                    "u:c1:" + W0, Map.of("count", "3"),
                    "u:c2:" + W0, Map.of("count", "5")), contents("u"));

            sink.write(update(1, rows(r("c1", T0, 4L), r("c3", T0, null)), rows(r("c2", T0))));
            Map<String, Object> after1 = Map.of(
                    "u:__batch", "1",
                    "u:c1:" + W0, Map.of("count", "4"),
                    "u:c3:" + W0, Map.of("__row", ""));
            assertEquals(after1, contents("u"));

            sink.write(update(1, rows(r("c1", T0, 99L), r("c9", T0, 9L)), rows(r("c3", T0)))); // replayed batch: no-op
            sink.write(update(0, rows(r("c1", T0, 98L)), List.of())); // an older batch: skipped
            assertEquals(after1, contents("u"));
            assertEquals(1, sink.lastWrittenBatch());

            sink.write(update(2, rows(r("c3", T0, 7L)), List.of()));
            assertEquals(Map.of("count", "7"), jedis.hgetAll("u:c3:" + W0), "a row NULL before and set now loses its placeholder");
        }
        try (RedisSink restarted = sink("u", RedisLayout.rowHashes())) {
            assertEquals(2, restarted.lastWrittenBatch());
        }
    }

    @Test
    void completeReplacesTheWholeResultAtOnce() {
        try (RedisSink sink = sink("c", RedisLayout.rowHashes("campaign", "window_start"))) {
            sink.write(complete(0, rows(r("a", T0, 1L), r("b", T0, 2L))));
            sink.write(complete(1, rows(r("b", T0, 3L), r("c", T0.plusSeconds(10), 4L))));
            Map<String, Object> after1 = Map.of(
                    "c:__batch", "1",
                    "c:__keys", new TreeSet<>(List.of("c:b:" + W0, "c:c:" + W1)),
                    "c:b:" + W0, Map.of("count", "3"),
                    "c:c:" + W1, Map.of("count", "4"));
            assertEquals(after1, contents("c"));
            sink.write(complete(1, rows(r("z", T0, 1L))));
            assertEquals(after1, contents("c"));
        }
        // Without key columns the result is a list, replaced whole.
        try (RedisSink sink = sink("cl", RedisLayout.rowHashes())) {
            sink.write(complete(0, rows(r("a", T0, 1L), r("b", T0, 2L))));
            sink.write(complete(1, rows(r("b", T0, 3L))));
            assertEquals(Map.of(
                    "cl", List.of("{\"campaign\":\"b\",\"window_start\":\"2024-01-01 00:00:10\",\"count\":3}"),
                    "cl:__batch", "1"), contents("cl"));
        }
    }

    @Test
    void appendWithoutKeysPushesJsonRowsOnce() {
        try (RedisSink sink = sink("a", RedisLayout.rowHashes())) {
            sink.write(append(0, rows(r("a", T0, 1L), r("b\"q", T0, null))));
            sink.write(append(1, rows(r("c", T0.plusSeconds(10), 3L))));
            sink.write(append(1, rows(r("c", T0.plusSeconds(10), 3L))));
            sink.write(append(0, rows(r("a", T0, 1L))));
            assertEquals(Map.of(
                    "a", List.of(
                            "{\"campaign\":\"a\",\"window_start\":\"2024-01-01 00:00:10\",\"count\":1}",
                            "{\"campaign\":\"b\\\"q\",\"window_start\":\"2024-01-01 00:00:10\",\"count\":null}",
                            "{\"campaign\":\"c\",\"window_start\":\"2024-01-01 00:00:20\",\"count\":3}"),
                    "a:__batch", "1"), contents("a"));
        }
    }

    @Test
    void groupedLayoutKeepsAHashPerCampaignWithAFieldPerWindow() {
        try (RedisSink sink = sink("ysb", RedisLayout.grouped(1))) {
            sink.write(update(0, rows(r("c1", T0, 3L), r("c1", T0.plusSeconds(10), 7L), r("c2", T0, 1L)), List.of()));
            assertEquals(Map.of(
                    "ysb:__batch", "0",
                    "ysb:c1", Map.of(W0, "3", W1, "7"),
                    "ysb:c2", Map.of(W0, "1")), contents("ysb"));
            sink.write(update(1, rows(r("c1", T0, 4L)), rows(r("c1", T0.plusSeconds(10)), r("c2", T0))));
            sink.write(update(1, rows(r("c1", T0, 5L)), List.of()));
            assertEquals(Map.of(
                    "ysb:__batch", "1",
                    "ysb:c1", Map.of(W0, "4")), contents("ysb"));
        }
    }

    @Test
    void aKeyColumnThatIsNotThereIsAClearError() {
        try (RedisSink sink = sink("k", RedisLayout.rowHashes("campaign", "nope"))) {
            KilnException e = assertThrows(KilnException.class, () -> sink.write(complete(0, rows(r("a", T0, 1L)))));
            assertEquals("redis[127.0.0.1:" + redis.port() + "/k]: key column 'nope' is not a column of the result [campaign, window_start, count]", e.getMessage());
        }
    }

    @Test
    void aForeignKeyUnderThePrefixIsReported() {
        Schema schema = Schema.of(SCHEMA.field(0), SCHEMA.field(1), new Field("count", DataType.BIGINT, false));
        jedis.set("f:a:" + W0, "not a hash");
        try (RedisSink sink = sink("f", RedisLayout.rowHashes())) {
            ChangeBatch b = new ChangeBatch(0, OutputMode.UPDATE, schema, List.of(0, 1), batches(schema, rows(r("a", T0, 1L), r("b", T0, 2L))), List.of());
            KilnException e = assertThrows(KilnException.class, () -> sink.write(b));
            assertEquals("redis[127.0.0.1:" + redis.port() + "/f]: batch 0 was applied only in part: WRONGTYPE Operation against a key holding the wrong kind of value "
                    + "(is another program using keys under 'f:'?)", e.getMessage());
        }
    }

    @Test
    void aHundredThousandRowsInOneBatch() {
        // count NOT NULL, as the benchmark's count(*): an upsert is one HSET, no DEL before it
        Schema schema = Schema.of(SCHEMA.field(0), SCHEMA.field(1), new Field("count", DataType.BIGINT, false));
        int n = 100_000;
        try (RedisSink sink = sink("big", RedisLayout.rowHashes())) {
            for (int batch = 0; batch < 2; batch++) {
                TableBuilder b = new TableBuilder("t", schema, mem);
                for (int i = 0; i < n; i++) b.appendRow("c" + (i % 100), T0.plusSeconds(10L * (i / 100)), (long) i + batch);
                long t0 = System.nanoTime();
                sink.write(new ChangeBatch(batch, OutputMode.UPDATE, schema, List.of(0, 1), b.build().batches(), List.of()));
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("redis: %d rows in %.2f s = %.0f rows/s%n", n, s, n / s);
            }
        }
        assertEquals(n + 1, jedis.keys("big:*").size());
        assertEquals(Map.of("count", "12346"), jedis.hgetAll("big:c45:" + (1704067210000L + 10_000L * 123)));
    }
}
