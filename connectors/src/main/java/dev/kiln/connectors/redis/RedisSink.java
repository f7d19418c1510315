package dev.kiln.connectors.redis;

import dev.kiln.connectors.JsonRows;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.stream.ChangeBatch;
import dev.kiln.runtime.stream.OutputMode;
import dev.kiln.runtime.stream.StreamSink;
import dev.kiln.runtime.vector.Batch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Writes a streaming query's result to Redis, exactly once by batch id.
 *
 * <p><b>Exactly once.</b> The key {@code <prefix>:__batch} holds the id of the last batch
 * applied. A write WATCHes it, reads it, and returns at once if it is at or past the batch's id
 * (a replay after a crash, or an older batch, changes nothing); otherwise it sends all of the
 * batch's commands and {@code SET <prefix>:__batch <id>} in one MULTI/EXEC, pipelined. Redis runs
 * an EXEC as one step, so a reader sees the batch whole or not at all, and a crash before EXEC
 * leaves nothing. If another client changed the WATCHed keys meanwhile, EXEC does nothing and the
 * write starts over. {@link #lastWrittenBatch} reads {@code <prefix>:__batch}.
 *
 * <p><b>Layout</b> (see {@link RedisLayout}; row hashes by default): rows with keys are hashes
 * under {@code <prefix>:<key values joined by ':'>}; UPDATE and keyed APPEND rows replace the
 * row (DEL, then HSET of the non-NULL fields; HSET or HDEL of one field in the grouped layout),
 * deleted keys are DELeted (HDEL in the grouped layout). COMPLETE replaces the previous result: the hashes listed in the set
 * {@code <prefix>:__keys} (written by the previous COMPLETE batch) and the list {@code <prefix>}
 * are deleted and the new result written, in the same EXEC. Rows without keys (APPEND, or UPDATE
 * of a query without keys) are JSON objects RPUSHed onto the list {@code <prefix>}. Keys under the
 * prefix belong to the sink: a key of another type there makes EXEC fail that command, and
 * Redis does not roll back the others.
 */
public final class RedisSink implements StreamSink {
    private static final int RETRIES = 5;
    private static final int PUSH_CHUNK = 1000;
    private static final int TIMEOUT_MS = 30_000;

    private final String host;
    private final int port;
    private final String prefix;
    private final RedisLayout layout;
    private final String batchKey;
    private final String indexKey;
    private final JsonRows json = new JsonRows();
    private Jedis jedis;

    public RedisSink(String host, int port, String prefix) {
        this(host, port, prefix, RedisLayout.rowHashes());
    }

    public RedisSink(String host, int port, String prefix, RedisLayout layout) {
        if (prefix == null || prefix.isEmpty()) throw new IllegalArgumentException("a Redis sink needs a key prefix");
        this.host = host;
        this.port = port;
        this.prefix = prefix;
        this.layout = layout;
        this.batchKey = prefix + ":__batch";
        this.indexKey = prefix + ":__keys";
    }

    @Override
    public long lastWrittenBatch() {
        return call(() -> batchId(connection().get(batchKey)));
    }

    @Override
    public void write(ChangeBatch changes) {
        int[] keys = keyColumns(changes);
        call(() -> {
            Jedis j = connection();
            for (int attempt = 0; attempt < RETRIES; attempt++) {
                if (changes.mode() == OutputMode.COMPLETE) j.watch(batchKey, indexKey);
                else j.watch(batchKey);
                if (batchId(j.get(batchKey)) >= changes.batchId()) {
                    j.unwatch();
                    return null;
                }
                Set<String> previous = changes.mode() == OutputMode.COMPLETE ? j.smembers(indexKey) : Set.of();
                Transaction t = j.multi();
                if (changes.mode() == OutputMode.COMPLETE) {
                    List<String> gone = new ArrayList<>(previous);
                    gone.add(indexKey);
                    gone.add(prefix);
                    for (int i = 0; i < gone.size(); i += PUSH_CHUNK) t.del(gone.subList(i, Math.min(gone.size(), i + PUSH_CHUNK)).toArray(String[]::new));
                }
                if (keys.length == 0) push(t, changes.upserts());
                else upsert(t, changes, keys);
                delete(t, changes);
                t.set(batchKey, Long.toString(changes.batchId()));
                List<Object> results = t.exec();
                if (results == null) continue; // a WATCHed key changed: look again
                for (Object r : results) {
                    if (r instanceof Exception e) {
                        throw new KilnException(describe() + ": batch " + changes.batchId() + " was applied only in part: " + e.getMessage()
                                + " (is another program using keys under '" + prefix + ":'?)", e);
                    }
                }
                return null;
            }
            throw new KilnException(describe() + ": another client kept changing " + batchKey + " while batch " + changes.batchId() + " was written; "
                    + "is a second query writing with the prefix '" + prefix + "'?");
        });
    }

    private void push(Transaction t, List<Batch> batches) {
        List<String> rows = new ArrayList<>(PUSH_CHUNK);
        for (Batch b : batches) {
            for (int r = 0; r < b.rowCount(); r++) {
                rows.add(new String(json.row(b, r), StandardCharsets.UTF_8));
                if (rows.size() == PUSH_CHUNK) {
                    t.rpush(prefix, rows.toArray(String[]::new));
                    rows.clear();
                }
            }
        }
        if (!rows.isEmpty()) t.rpush(prefix, rows.toArray(String[]::new));
    }

    private void upsert(Transaction t, ChangeBatch changes, int[] keys) {
        Schema schema = changes.schema();
        int[] values = nonKey(schema.size(), keys);
        boolean complete = changes.mode() == OutputMode.COMPLETE;
        String[] names = schema.names().toArray(String[]::new);
        boolean fullRows = values.length > 0;
        for (int c : values) fullRows &= !schema.field(c).nullable();
        Map<String, String> fields = new HashMap<>();
        Set<String> written = complete ? new HashSet<>() : Set.of();
        for (Batch b : changes.upserts()) {
            for (int r = 0; r < b.rowCount(); r++) {
                switch (layout) {
                    case RedisLayout.RowHashes h -> {
                        String key = key(b, r, keys, 0, keys.length);
                        fields.clear();
                        for (int c : values) {
                            String v = RedisText.of(b.column(c), r);
                            if (v != null) fields.put(names[c], v);
                        }
                        // Redis has no empty hashes: a row with nothing but keys and NULLs needs a field.
                        if (fields.isEmpty()) fields.put("__row", "");
                        // DEL first, so that a field NULL now but not before goes (COMPLETE deleted all
                        // rows already); needless when no non-key column can be NULL: HSET sets every field.
                        if (!complete && !fullRows) t.del(key);
                        t.hset(key, fields);
                        if (complete) written.add(key);
                    }
                    case RedisLayout.GroupedHashes g -> {
                        int n = Math.min(g.hashKeys(), keys.length);
                        String key = key(b, r, keys, 0, n);
                        String field = n == keys.length ? "" : key(b, r, keys, n, keys.length).substring(prefix.length() + 1);
                        String v = values.length == 1 ? RedisText.of(b.column(values[0]), r) : new String(json.row(b, r, values), StandardCharsets.UTF_8);
                        if (v != null) t.hset(key, field, v);
                        else if (!complete) t.hdel(key, field);
                        if (complete) written.add(key);
                    }
                }
            }
        }
        if (complete && !written.isEmpty()) {
            List<String> all = new ArrayList<>(written);
            for (int i = 0; i < all.size(); i += PUSH_CHUNK) t.sadd(indexKey, all.subList(i, Math.min(all.size(), i + PUSH_CHUNK)).toArray(String[]::new));
        }
    }

    private void delete(Transaction t, ChangeBatch changes) {
        for (Batch b : changes.deletes()) {
            int n = b.columns().size();
            int[] all = new int[n];
            for (int c = 0; c < n; c++) all[c] = c;
            for (int r = 0; r < b.rowCount(); r++) {
                switch (layout) {
                    case RedisLayout.RowHashes h -> t.del(key(b, r, all, 0, n));
                    case RedisLayout.GroupedHashes g -> {
                        int k = Math.min(g.hashKeys(), n);
                        if (k == n) t.del(key(b, r, all, 0, n));
                        else t.hdel(key(b, r, all, 0, k), key(b, r, all, k, n).substring(prefix.length() + 1));
                    }
                }
            }
        }
    }

    /** {@code <prefix>:<value of keys[from]>:...:<value of keys[to - 1]>}; NULL is the empty text. */
    private String key(Batch b, int row, int[] keys, int from, int to) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = from; i < to; i++) {
            String v = RedisText.of(b.column(keys[i]), row);
            sb.append(':').append(v == null ? "" : v);
        }
        return sb.toString();
    }

    private int[] keyColumns(ChangeBatch changes) {
        if (!changes.keyColumns().isEmpty()) return changes.keyColumns().stream().mapToInt(Integer::intValue).toArray();
        List<String> names = layout.keyColumns();
        int[] keys = new int[names.size()];
        for (int i = 0; i < keys.length; i++) {
            String name = names.get(i);
            keys[i] = changes.schema().indexOf(name).orElseThrow(() -> new KilnException(describe() + ": key column '" + name + "' is not a column of the result "
                    + changes.schema().names()));
        }
        return keys;
    }

    private static int[] nonKey(int columns, int[] keys) {
        boolean[] isKey = new boolean[columns];
        for (int k : keys) isKey[k] = true;
        int[] out = new int[columns - keys.length];
        int i = 0;
        for (int c = 0; c < columns; c++) if (!isKey[c]) out[i++] = c;
        return out;
    }

    private long batchId(String text) {
        if (text == null) return -1;
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new KilnException(describe() + ": " + batchKey + " holds '" + text + "', not a batch id; is another program using the prefix '" + prefix + "'?");
        }
    }

    private Jedis connection() {
        if (jedis == null) jedis = new Jedis(host, port, TIMEOUT_MS);
        return jedis;
    }

    private interface RedisCall<T> {
        T run();
    }

    /** Runs a call; a connection that failed is dropped (the next call connects again) and the error says what to do. */
    private <T> T call(RedisCall<T> c) {
        try {
            return c.run();
        } catch (JedisConnectionException e) {
            dropConnection();
            throw new KilnException(describe() + ": lost the connection to Redis: " + e.getMessage() + "; the batch was applied whole or not at all, and writing it again is safe", e);
        } catch (JedisException e) {
            dropConnection();
            throw new KilnException(describe() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            dropConnection(); // a half-built MULTI must not stay open on the connection
            throw e;
        }
    }

    private void dropConnection() {
        if (jedis == null) return;
        try {
            jedis.close();
        } catch (RuntimeException ignored) {
            // already broken
        }
        jedis = null;
    }

    @Override
    public String describe() {
        return "redis[" + host + ":" + port + "/" + prefix + "]";
    }

    @Override
    public void close() {
        dropConnection();
    }
}
