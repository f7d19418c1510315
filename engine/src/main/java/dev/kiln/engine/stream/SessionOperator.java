package dev.kiln.engine.stream;

import dev.kiln.ir.stream.SessionState;
import dev.kiln.ir.type.Field;
import dev.kiln.runtime.stream.RowCodec;
import dev.kiln.runtime.stream.ZSets;
import dev.kiln.runtime.vector.Batch;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a {@link SessionState}. The durable state holds every row of the open sessions with its
 * multiplicity (key: the encoded row); in memory they are indexed per partition key by event
 * time. For each key a batch touches, the sessions are computed before and after the batch's
 * rows are added, and the output is the difference: the new rows with their session's start,
 * plus, for rows whose session start moved (a row before a session's first one, or one bridging
 * two sessions), the row with its old start taken back and with its new start inserted. Work per
 * batch is proportional to the open rows of the keys it touches.
 *
 * <p>A session closes once the watermark (less the allowed lateness) reaches its last row's time
 * plus the gap: its rows are dropped. A new row behind that watermark is late: dropped, counted.
 * Rows with a NULL time have a NULL start and need no state.
 */
final class SessionOperator {
    private final SessionState node;
    private final KeyedState state;
    private final RowCodec rows;
    private final long gap;
    private final long latenessMicros;
    /** per partition key, the open rows by event time: encoded row -> multiplicity */
    private final Map<GroupKey, TreeMap<Long, Map<Bytes, Long>>> open = new HashMap<>();
    /** partition keys by the time their first (oldest) session closes: eviction visits only those */
    private final TreeMap<Long, java.util.Set<GroupKey>> byClose = new TreeMap<>();
    private final Map<GroupKey, Long> closeOf = new HashMap<>();
    long lateRows;

    SessionOperator(SessionState node, KeyedState state, long latenessMicros) {
        this.node = node;
        this.state = state;
        this.gap = node.gapMicros();
        this.latenessMicros = latenessMicros;
        this.rows = new RowCodec(node.input().rowSchema().fields().stream().map(Field::type).toList());
        state.forEach((k, v) -> {
            Object[] row = rows.decode(k);
            open.computeIfAbsent(keyOf(row), x -> new TreeMap<>()).computeIfAbsent(time(row), x -> new HashMap<>())
                    .put(new Bytes(k), ByteBuffer.wrap(v).getLong());
        });
        for (GroupKey key : open.keySet()) reindex(key);
    }

    /** A row's change: the row, its event time, its weight. */
    private record Change(Object[] row, byte[] encoded, long time, long weight) {}

    /** Adds one batch's changes; returns the change of (row, session start) as rows ending with their weight. */
    List<Object[]> apply(List<Batch> input, long batchWatermark) {
        long watermark = batchWatermark == Long.MIN_VALUE ? Long.MIN_VALUE : batchWatermark - latenessMicros;
        evict(watermark);
        List<Object[]> out = new ArrayList<>();
        Map<GroupKey, List<Change>> byKey = new LinkedHashMap<>();
        for (Batch b : input) {
            int width = b.columns().size() - 1;
            for (int r = 0; r < b.rowCount(); r++) {
                long w = ZSets.weight(b, r);
                if (w == 0) continue;
                Object[] row = new Object[width];
                for (int c = 0; c < width; c++) row[c] = b.column(c).getObject(r);
                if (row[node.time()] == null) {
                    out.add(withStart(row, null, w));
                    continue;
                }
                byKey.computeIfAbsent(keyOf(row), k -> new ArrayList<>()).add(new Change(row, rows.encode(row), time(row), w));
            }
        }
        for (Map.Entry<GroupKey, List<Change>> e : byKey.entrySet()) update(e.getKey(), e.getValue(), watermark, out);
        return out;
    }

    private void update(GroupKey key, List<Change> changes, long watermark, List<Object[]> out) {
        TreeMap<Long, Map<Bytes, Long>> times = open.computeIfAbsent(key, k -> new TreeMap<>());
        Map<Bytes, Long> before = starts(times);
        Map<Bytes, Long> countBefore = counts(times);
        for (Change c : changes) {
            Map<Bytes, Long> at = times.get(c.time());
            Bytes row = new Bytes(c.encoded());
            long had = at == null ? 0 : at.getOrDefault(row, 0L);
            // late by its time alone: a copy of a row still open (same values, same time) is as late as any other row
            if (c.weight() > 0 && late(c.time(), watermark)) {
                lateRows += c.weight();
                continue;
            }
            if (had + c.weight() < 0) {
                // taking back more than was kept: the rest went with a closed session or was late
                lateRows += -(had + c.weight());
            }
            long now = Math.max(0, had + c.weight());
            if (now == had) continue;
            if (now == 0) {
                at.remove(row);
                if (at.isEmpty()) times.remove(c.time());
                state.remove(c.encoded());
            } else {
                times.computeIfAbsent(c.time(), t -> new HashMap<>()).put(row, now);
                state.put(c.encoded(), ByteBuffer.allocate(8).putLong(0, now).array());
            }
        }
        Map<Bytes, Long> after = starts(times);
        Map<Bytes, Long> countAfter = counts(times);
        // the change of the multiset of (row, start): what was, taken back; what is, inserted - where they differ
        java.util.Set<Bytes> all = new java.util.HashSet<>(countBefore.keySet());
        all.addAll(countAfter.keySet());
        for (Bytes row : all) {
            long n0 = countBefore.getOrDefault(row, 0L);
            long n1 = countAfter.getOrDefault(row, 0L);
            Long s0 = before.get(row);
            Long s1 = after.get(row);
            if (n0 == n1 && java.util.Objects.equals(s0, s1)) continue;
            Object[] decoded = rows.decode(row.b());
            if (s0 != null && s0.equals(s1)) {
                out.add(withStart(decoded, RowCodec.fromMicros(s0), n1 - n0));
                continue;
            }
            if (n0 > 0) out.add(withStart(decoded, RowCodec.fromMicros(s0), -n0));
            if (n1 > 0) out.add(withStart(decoded, RowCodec.fromMicros(s1), n1));
        }
        if (times.isEmpty()) open.remove(key);
        reindex(key);
    }

    /**
     * A new row is late when it is behind the closing watermark, as in Spark: then it could
     * belong to a session already closed and dropped (every closed session ended at or before
     * that watermark), so taking it could split what was final. A row at or after it cannot reach
     * a closed session.
     */
    private static boolean late(long t, long watermark) {
        return watermark != Long.MIN_VALUE && t < watermark;
    }

    /** Each open row's session start: rows in time order, a new session where the time moves on by the gap or more. */
    private Map<Bytes, Long> starts(TreeMap<Long, Map<Bytes, Long>> times) {
        Map<Bytes, Long> out = new HashMap<>();
        long start = 0;
        long previous = 0;
        boolean first = true;
        for (Map.Entry<Long, Map<Bytes, Long>> e : times.entrySet()) {
            long t = e.getKey();
            if (first || t - previous >= gap) start = t;
            first = false;
            previous = t;
            for (Bytes row : e.getValue().keySet()) out.put(row, start);
        }
        return out;
    }

    private static Map<Bytes, Long> counts(TreeMap<Long, Map<Bytes, Long>> times) {
        Map<Bytes, Long> out = new HashMap<>();
        for (Map<Bytes, Long> at : times.values()) out.putAll(at);
        return out;
    }

    /** Drops the sessions the watermark closed: for each key due, its oldest sessions while closed. */
    private void evict(long watermark) {
        if (watermark == Long.MIN_VALUE) return;
        var due = byClose.headMap(watermark, true);
        if (due.isEmpty()) return;
        List<GroupKey> keys = new ArrayList<>();
        for (var set : due.values()) keys.addAll(set);
        for (GroupKey key : keys) {
            TreeMap<Long, Map<Bytes, Long>> times = open.get(key);
            while (times != null && !times.isEmpty() && firstSessionEnd(times) + gap <= watermark) {
                long end = firstSessionEnd(times);
                var closed = times.headMap(end, true);
                for (Map<Bytes, Long> at : closed.values()) for (Bytes row : at.keySet()) state.remove(row.b());
                closed.clear();
            }
            if (times != null && times.isEmpty()) open.remove(key);
            reindex(key);
        }
    }

    /** The time of the last row of the oldest session. */
    private long firstSessionEnd(TreeMap<Long, Map<Bytes, Long>> times) {
        long last = times.firstKey();
        for (Long t : times.tailMap(last, false).keySet()) {
            if (t - last >= gap) break;
            last = t;
        }
        return last;
    }

    /** Files the key under the closing time of its oldest session (or removes it when it has no rows). */
    private void reindex(GroupKey key) {
        Long was = closeOf.remove(key);
        if (was != null) {
            var set = byClose.get(was);
            if (set != null && set.remove(key) && set.isEmpty()) byClose.remove(was);
        }
        TreeMap<Long, Map<Bytes, Long>> times = open.get(key);
        if (times == null || times.isEmpty()) return;
        long close = firstSessionEnd(times) + gap;
        closeOf.put(key, close);
        byClose.computeIfAbsent(close, c -> new java.util.HashSet<>()).add(key);
    }

    private GroupKey keyOf(Object[] row) {
        Object[] k = new Object[node.keys().size()];
        for (int i = 0; i < k.length; i++) k[i] = row[node.keys().get(i)];
        return new GroupKey(k);
    }

    private long time(Object[] row) {
        return RowCodec.micros((LocalDateTime) row[node.time()]);
    }

    private static Object[] withStart(Object[] row, LocalDateTime start, long w) {
        Object[] out = java.util.Arrays.copyOf(row, row.length + 2);
        out[row.length] = start;
        out[row.length + 1] = w;
        return out;
    }

    long stateRows() {
        return state.size();
    }
}
