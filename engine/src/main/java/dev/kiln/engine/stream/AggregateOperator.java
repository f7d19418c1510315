package dev.kiln.engine.stream;

import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.stream.AggregateState;
import dev.kiln.ir.stream.StateAgg;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.runtime.stream.RowCodec;
import dev.kiln.runtime.vector.Batch;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs an {@link AggregateState}: adds each batch's pre-aggregated partial rows (and the multiset
 * changes of MIN/MAX/DISTINCT aggregates) to one state entry per group and emits the change of
 * the result. Only groups that changed are touched, one state read and write each: the per-row
 * work was done by the compiled pre-aggregation.
 *
 * <p>A group's state value: its row count, the running partial sums (in their SQL types), then
 * per multiset aggregate the sorted (value, count) pairs. Groups of a windowed aggregation are
 * dropped once the watermark closes them; in {@code emitOnClose} mode (APPEND output) a group's
 * row is emitted only then, once, and late rows for closed groups are dropped and counted.
 */
final class AggregateOperator {
    private static final byte[] GLOBAL_KEY = {0};

    private final AggregateState node;
    private final KeyedState state;
    private final boolean emitOnClose;
    private final int keys;
    private final RowCodec keyCodec;
    private final List<DataType> partialTypes;
    private final List<DataType> multisetTypes = new ArrayList<>();
    /** the watermark at the last eviction */
    private long evictedAt = Long.MIN_VALUE;
    /**
     * The groups of a windowed aggregation by the event time at which the watermark closes them
     * (window key + span), so that each batch's eviction visits only the groups it closes instead
     * of scanning the state (the continuous trigger moves the watermark with nearly every tiny batch).
     */
    private final java.util.TreeMap<Long, java.util.Set<Bytes>> byClose = new java.util.TreeMap<>();
    long lateRows;

    /** how long a window stays open after the watermark passed its end (late rows still update it) */
    private final long latenessMicros;

    AggregateOperator(AggregateState node, KeyedState state, boolean emitOnClose, long latenessMicros) {
        this.node = node;
        this.latenessMicros = latenessMicros;
        this.state = state;
        this.emitOnClose = emitOnClose;
        this.keys = node.keyCount();
        List<Field> pf = node.partials().schema().fields();
        this.keyCodec = new RowCodec(pf.subList(0, keys).stream().map(Field::type).toList());
        this.partialTypes = pf.subList(keys, pf.size() - 1).stream().map(Field::type).toList();
        for (StateAgg a : node.aggs()) {
            if (a.kind() == StateAgg.Kind.MULTISET) {
                List<Field> mf = node.multisets().get(a.multiset() - 1).schema().fields();
                multisetTypes.add(mf.get(keys).type());
            }
        }
        if (emitOnClose && node.window().isEmpty()) throw new IllegalArgumentException("emit on close needs a window key");
        if (node.window().isPresent()) {
            state.forEach((k, v) -> {
                Object[] key = keyCodec.decode(k);
                index(k, closeTime(key, new Group(key, v).result()), true);
            });
        }
    }

    /**
     * When the watermark closes a group: its window key + span, or for a session, its last row's
     * time (the MAX aggregate in its result row) + gap; Long.MAX_VALUE for never (a NULL key).
     */
    private long closeTime(Object[] key, Object[] result) {
        var w = node.window().get();
        Object t = w.session() ? (result == null ? null : result[keys + w.endAggregate().getAsInt()]) : key[w.key()];
        if (t == null) return Long.MAX_VALUE;
        return RowCodec.micros((LocalDateTime) t) + w.span();
    }

    /** Adds or removes a group in the index of closing times. */
    private void index(byte[] k, long close, boolean add) {
        if (close == Long.MAX_VALUE) return;
        if (add) {
            byClose.computeIfAbsent(close, c -> new java.util.HashSet<>()).add(new Bytes(k));
        } else {
            var set = byClose.get(close);
            if (set != null && set.remove(new Bytes(k)) && set.isEmpty()) byClose.remove(close);
        }
    }

    /** One group's state while a batch works on it. */
    private final class Group {
        final Object[] key;
        long rows;
        final Object[] partials = new Object[partialTypes.size()];
        final List<TreeMap<Object, Long>> sets = new ArrayList<>();
        final Object[] before;

        /** no state entry existed for it */
        final boolean isNew;

        Group(Object[] key, byte[] value) {
            this.key = key;
            this.isNew = value == null;
            for (int i = 0; i < multisetTypes.size(); i++) sets.add(new TreeMap<>());
            if (value != null) decode(value);
            this.before = value == null ? null : result();
        }

        void decode(byte[] value) {
            ByteBuffer in = ByteBuffer.wrap(value);
            rows = in.getLong();
            for (int i = 0; i < partials.length; i++) partials[i] = RowCodec.read(in, partialTypes.get(i));
            for (int s = 0; s < sets.size(); s++) {
                int n = in.getInt();
                for (int i = 0; i < n; i++) {
                    Object v = RowCodec.read(in, multisetTypes.get(s));
                    sets.get(s).put(v, in.getLong());
                }
            }
        }

        byte[] encode() {
            RowCodec.Out out = new RowCodec.Out();
            out.writeLong(rows);
            for (int i = 0; i < partials.length; i++) RowCodec.write(out, partialTypes.get(i), partials[i]);
            for (int s = 0; s < sets.size(); s++) {
                out.writeInt(sets.get(s).size());
                for (Map.Entry<Object, Long> e : sets.get(s).entrySet()) {
                    RowCodec.write(out, multisetTypes.get(s), e.getKey());
                    out.writeLong(e.getValue());
                }
            }
            return out.toByteArray();
        }

        /** The result row of this group (keys then aggregates), or null when it has no row. */
        Object[] result() {
            if (keys > 0 && rows == 0) return null;
            Object[] row = new Object[keys + node.aggs().size()];
            System.arraycopy(key, 0, row, 0, keys);
            int set = 0;
            for (int i = 0; i < node.aggs().size(); i++) {
                StateAgg a = node.aggs().get(i);
                DataType t = a.call().type();
                row[keys + i] = switch (a.kind()) {
                    case COUNT_ROWS -> rows;
                    case COUNT -> count(a);
                    case SUM -> count(a) == 0 ? null : Values.convert(partials[a.sum() - keys], t);
                    case AVG -> count(a) == 0 ? null : Values.toDouble(partials[a.sum() - keys]) / count(a);
                    case MULTISET -> fromSet(a, sets.get(set++), t);
                };
            }
            return row;
        }

        private long count(StateAgg a) {
            Object c = partials[a.count() - keys];
            return c == null ? 0 : (Long) c;
        }
    }

    private static Object fromSet(StateAgg a, TreeMap<Object, Long> set, DataType t) {
        AggFunc f = a.call().func();
        if (f == AggFunc.COUNT) return (long) set.size();
        if (set.isEmpty()) return null;
        return switch (f) {
            case MIN, ANY_VALUE -> set.firstKey();
            case MAX -> set.lastKey();
            case SUM -> Values.convert(Values.sum(set.keySet()), t);
            case AVG -> Values.toDouble(Values.sum(set.keySet())) / set.size();
            default -> throw new IllegalStateException(f + " over a multiset");
        };
    }

    /**
     * Adds one batch's changes and returns the change of the result, as rows ending with their weight.
     *
     * @param batchWatermark the batch's watermark in microseconds (Long.MIN_VALUE: none yet)
     */
    List<Object[]> apply(List<Batch> partials, List<List<Batch>> multisets, long batchWatermark) {
        // with an allowed lateness, a window closes that much after the watermark passes its end
        long watermark = batchWatermark == Long.MIN_VALUE ? Long.MIN_VALUE : batchWatermark - latenessMicros;
        Map<GroupKey, Group> touched = new LinkedHashMap<>();
        if (keys == 0) group(touched, new Object[0]);
        for (Batch b : partials) {
            int width = b.columns().size();
            if (width != keys + partialTypes.size() + 1) throw new IllegalStateException("partial rows of width " + width + ", not " + (keys + partialTypes.size() + 1));
            for (int r = 0; r < b.rowCount(); r++) {
                long w = weight(b, r);
                Object[] key = keyOf(b, r);
                if (closed(key, watermark)) {
                    lateRows += Math.abs(w);
                    continue;
                }
                Group g = group(touched, key);
                g.rows += w;
                for (int i = 0; i < partialTypes.size(); i++) g.partials[i] = Values.add(g.partials[i], b.column(keys + i).getObject(r), partialTypes.get(i));
            }
        }
        for (int s = 0; s < multisets.size(); s++) {
            for (Batch b : multisets.get(s)) {
                for (int r = 0; r < b.rowCount(); r++) {
                    long w = weight(b, r);
                    Object[] key = keyOf(b, r);
                    if (w == 0 || closed(key, watermark)) continue; // late rows were counted with the partials
                    TreeMap<Object, Long> set = group(touched, key).sets.get(s);
                    set.merge(b.column(keys).getObject(r), w, (x, y) -> x + y == 0 ? null : x + y);
                }
            }
        }
        List<Object[]> out = new ArrayList<>();
        for (Group g : touched.values()) {
            Object[] after = g.result();
            if (!emitOnClose && !Arrays.equals(g.before, after)) {
                if (g.before != null) out.add(withWeight(g.before, -1));
                if (after != null) out.add(withWeight(after, 1));
            }
            byte[] k = keys == 0 ? GLOBAL_KEY : keyCodec.encode(g.key);
            boolean gone = keys > 0 && g.rows == 0;
            if (node.window().isPresent()) {
                // a session's closing time moves with its last row; a fixed window's never does
                long was = g.isNew ? Long.MAX_VALUE : closeTime(g.key, g.before);
                long now = gone ? Long.MAX_VALUE : closeTime(g.key, after);
                if (was != now || g.isNew || gone) {
                    index(k, was, false);
                    index(k, now, true);
                }
            }
            if (gone) {
                state.remove(k);
            } else {
                state.put(k, g.encode());
            }
        }
        if (node.window().isPresent() && watermark > evictedAt) {
            evict(watermark, out);
            evictedAt = watermark;
        }
        return out;
    }

    /** Drops the groups the watermark closed; in emit-on-close mode emits their final rows first. */
    private void evict(long watermark, List<Object[]> out) {
        var closedTimes = byClose.headMap(watermark, true);
        if (closedTimes.isEmpty()) return;
        List<Object[]> finals = new ArrayList<>();
        for (var keysClosing : closedTimes.values()) {
            for (Bytes k : keysClosing) {
                byte[] v = state.get(k.b());
                if (v == null) continue;
                if (emitOnClose) {
                    Object[] row = new Group(keyCodec.decode(k.b()), v).result();
                    if (row != null) finals.add(withWeight(row, 1));
                }
                state.remove(k.b());
            }
        }
        closedTimes.clear();
        finals.sort(java.util.Comparator.comparing(r -> Arrays.deepToString(r))); // a deterministic order for sinks and tests
        out.addAll(finals);
    }

    private boolean closed(Object[] key, long watermark) {
        // a session's late rows were dropped by the session state below, which knows its sessions
        if (node.window().isEmpty() || node.window().get().session() || watermark == Long.MIN_VALUE) return false;
        Object k = key[node.window().get().key()];
        if (k == null) return false;
        return RowCodec.micros((LocalDateTime) k) + node.window().get().span() <= watermark;
    }

    private Group group(Map<GroupKey, Group> touched, Object[] key) {
        return touched.computeIfAbsent(new GroupKey(key), k -> new Group(key, state.get(keys == 0 ? GLOBAL_KEY : keyCodec.encode(key))));
    }

    private Object[] keyOf(Batch b, int r) {
        Object[] key = new Object[keys];
        for (int i = 0; i < keys; i++) key[i] = b.column(i).getObject(r);
        return key;
    }

    private static long weight(Batch b, int r) {
        return dev.kiln.runtime.stream.ZSets.weight(b, r);
    }

    private static Object[] withWeight(Object[] row, long w) {
        Object[] out = Arrays.copyOf(row, row.length + 1);
        out[row.length] = w;
        return out;
    }

    long stateRows() {
        return state.size();
    }
}
