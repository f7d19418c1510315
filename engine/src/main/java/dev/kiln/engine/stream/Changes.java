package dev.kiln.engine.stream;

import dev.kiln.ir.stream.IncrementalPlan;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.ChangeBatch;
import dev.kiln.runtime.stream.OutputMode;
import dev.kiln.runtime.stream.RowCodec;
import dev.kiln.runtime.stream.ZSets;
import dev.kiln.runtime.vector.Batch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the change of a query's result (a Z-set) into what its sink gets in the query's output
 * mode: APPEND the inserted rows; UPDATE the new rows of changed keys and the keys whose row is
 * gone; COMPLETE the whole result, which this keeps integrated in its own durable state.
 */
final class Changes {
    private final OutputMode mode;
    private final IncrementalPlan plan;
    private final Schema schema;
    private final KeyedState result;
    private final RowCodec codec;

    /** @param result the integrated result's state (COMPLETE mode only, else null) */
    Changes(OutputMode mode, IncrementalPlan plan, KeyedState result) {
        this.mode = mode;
        this.plan = plan;
        Schema rows = plan.root().rowSchema();
        List<Field> named = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) named.add(rows.field(i).withName(plan.columnNames().get(i)));
        this.schema = new Schema(named);
        this.result = result;
        this.codec = new RowCodec(rows.fields().stream().map(Field::type).toList());
    }

    Schema schema() {
        return schema;
    }

    ChangeBatch convert(long batchId, List<Batch> change, QueryMemory mem) {
        int width = schema.size();
        if (mode != OutputMode.COMPLETE && !keyed() && onlyInserts(change)) {
            // a result that only grows, each row once (as a linear plan over streams yields it): the
            // batches go to the sink as they are, without their weight column - no row is boxed
            List<Batch> rows = new ArrayList<>(change.size());
            for (Batch b : change) rows.add(new Batch(schema, b.columns().subList(0, width), b.rowCount()));
            return new ChangeBatch(batchId, mode, schema, List.of(), rows, List.of(), false);
        }
        List<Object[]> rows = consolidate(ZSets.rows(change), width);
        List<Object[]> upserts = new ArrayList<>();
        List<Object[]> deletes = new ArrayList<>();
        List<Integer> keys = plan.keyColumns();
        switch (mode) {
            case APPEND -> {
                for (Object[] r : rows) {
                    long w = (Long) r[width];
                    if (w < 0) throw new IllegalStateException("a retraction in APPEND mode: " + Arrays.toString(r));
                    for (long i = 0; i < w; i++) upserts.add(Arrays.copyOf(r, width));
                }
            }
            case UPDATE -> {
                if (!keyed()) {
                    for (Object[] r : rows) for (long i = 0; i < (Long) r[width]; i++) upserts.add(Arrays.copyOf(r, width));
                } else {
                    // per key: its new row if it has one, else it is deleted
                    Map<List<Object>, Object[]> latest = new LinkedHashMap<>();
                    for (Object[] r : rows) {
                        List<Object> k = keys.stream().map(i -> r[i]).toList();
                        long w = (Long) r[width];
                        if (w > 0) latest.put(k, Arrays.copyOf(r, width));
                        else latest.putIfAbsent(k, null);
                    }
                    latest.forEach((k, r) -> {
                        if (r != null) upserts.add(r);
                        else deletes.add(k.toArray());
                    });
                }
            }
            case COMPLETE -> {
                for (Object[] r : rows) {
                    long w = (Long) r[width];
                    byte[] key = codec.encode(r, 0, width);
                    byte[] old = result.get(key);
                    long n = (old == null ? 0 : ByteBuffer.wrap(old).getLong()) + w;
                    if (n == 0) result.remove(key);
                    else result.put(key, ByteBuffer.allocate(8).putLong(n).array());
                }
                List<Object[]> all = new ArrayList<>();
                result.forEach((k, v) -> {
                    Object[] r = codec.decode(k);
                    for (long i = 0, n = ByteBuffer.wrap(v).getLong(); i < n; i++) all.add(r);
                });
                all.sort(ROWS);
                upserts.addAll(all);
            }
        }
        Schema keySchema = schema.select(mode == OutputMode.UPDATE ? keys : List.of());
        return new ChangeBatch(batchId, mode, schema, mode == OutputMode.UPDATE ? keys : List.of(), ZSets.build(schema, upserts, mem),
                ZSets.build(keySchema, deletes, mem), mode == OutputMode.UPDATE && keyed());
    }

    /**
     * Does UPDATE replace and delete rows by key: for an aggregation's result (the empty key for a
     * global aggregate) and any result that loses rows (a LEFT join's, keyed by the whole row)?
     */
    private boolean keyed() {
        return IncrementalPlan.retracts(plan.root());
    }

    /** Is every weight +1? (read straight from the weight vectors) */
    private static boolean onlyInserts(List<Batch> change) {
        for (Batch b : change) {
            var w = b.column(b.columns().size() - 1);
            if (w.hasNulls()) return false;
            for (int r = 0; r < b.rowCount(); r++) if (w.getLong(r) != 1) return false;
        }
        return true;
    }

    /**
     * The Z-set with one row per distinct row, its weights summed, and no row of weight 0: a
     * change may hold a row several times (the delta joins each give a part of its weight).
     */
    static List<Object[]> consolidate(List<Object[]> rows, int width) {
        Map<List<Object>, Long> sums = new LinkedHashMap<>();
        for (Object[] r : rows) sums.merge(Arrays.asList(r).subList(0, width), (Long) r[width], Long::sum);
        List<Object[]> out = new ArrayList<>();
        sums.forEach((row, w) -> {
            if (w == 0) return;
            Object[] r = Arrays.copyOf(row.toArray(), width + 1);
            r[width] = w;
            out.add(r);
        });
        return out;
    }

    /** Rows in a fixed order (COMPLETE output is deterministic). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final java.util.Comparator<Object[]> ROWS = (a, b) -> {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) continue;
            if (a[i] == null) return -1;
            if (b[i] == null) return 1;
            int c = ((Comparable) a[i]).compareTo(b[i]);
            if (c != 0) return c;
        }
        return 0;
    };
}
