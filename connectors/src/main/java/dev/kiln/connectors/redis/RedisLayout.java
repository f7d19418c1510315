package dev.kiln.connectors.redis;

import java.util.List;

/**
 * How {@link RedisSink} lays result rows out under its prefix. Both layouts key rows by the
 * batch's key columns (the GROUP BY keys), or by the {@code keyColumns} named here when the batch
 * names none (COMPLETE and APPEND batches carry no keys); rows with no keys at all go to a list.
 * Values are text: numbers as digits, DATE as {@code 2024-01-31}, TIMESTAMP as epoch milliseconds
 * (so that key parts hold no ':'), NULL as an absent field.
 */
public sealed interface RedisLayout {
    /** Key column names to use when a batch names none; empty: the batch's own. */
    List<String> keyColumns();

    /**
     * One hash per row, {@code <prefix>:<key 1>:<key 2>...}, with a field per non-key column
     * that is not NULL (a row with no such field, e.g. one with key columns only, is the single
     * field {@code __row} with the empty value, since Redis has no empty hashes).
     * The Yahoo Streaming Benchmark's (campaign_id, window_start) -> count becomes
     * {@code HGET <prefix>:<campaign_id>:<window_start> count}.
     */
    record RowHashes(List<String> keyColumns) implements RedisLayout {
        public RowHashes {
            keyColumns = List.copyOf(keyColumns);
        }
    }

    /**
     * One hash per value of the first {@code hashKeys} key columns, {@code <prefix>:<key 1>...},
     * whose fields are the remaining key columns joined by ':' and whose values are the one
     * non-key column (or a JSON object of the non-key columns when there are several). For the
     * benchmark, {@code grouped(1)} gives {@code HGET <prefix>:<campaign_id> <window_start>} -> count:
     * one hash per campaign with a field per window, as the original benchmark keeps them.
     */
    record GroupedHashes(int hashKeys, List<String> keyColumns) implements RedisLayout {
        public GroupedHashes {
            if (hashKeys < 1) throw new IllegalArgumentException("a grouped Redis layout needs at least one key column for the hash name");
            keyColumns = List.copyOf(keyColumns);
        }
    }

    /** The default: a hash per row, keyed by the batch's key columns. */
    static RedisLayout rowHashes(String... keyColumns) {
        return new RowHashes(List.of(keyColumns));
    }

    static RedisLayout grouped(int hashKeys, String... keyColumns) {
        return new GroupedHashes(hashKeys, List.of(keyColumns));
    }
}
