package dev.kiln.runtime.window;

import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.sort.SortWorkers;
import dev.kiln.runtime.sort.Sorter;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.VectorBuilder;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Batch session windows ({@link dev.kiln.ir.rel.SessionWindow}): sorts the rows by (keys, time)
 * with the query's sorter (in parallel, spilling when over budget), then one pass gives every row
 * its session's start - a new session begins at a new key or where the time moved on by at least
 * the gap. Rows with a NULL time get a NULL start. The rows come out in (keys, time) order.
 */
public final class SessionAssigner {
    private SessionAssigner() {}

    public static List<Batch> assign(List<Batch> input, Schema schema, List<Integer> keys, int time, long gapMicros, String name,
                                     QueryMemory mem, SortWorkers workers) {
        List<SortKey> order = new ArrayList<>();
        for (int k : keys) order.add(new SortKey(k, true, true));
        order.add(new SortKey(time, true, true));
        List<Batch> sorted = Sorter.sort(input, schema, order, 0, -1, mem, workers);
        List<Field> fields = new ArrayList<>(schema.fields());
        fields.add(new Field(name, DataType.TIMESTAMP, schema.field(time).nullable()));
        Schema out = new Schema(fields);
        List<Batch> result = new ArrayList<>(sorted.size());
        Batch prevBatch = null;
        int prevRow = -1;
        long start = 0;
        long previous = 0;
        for (Batch b : sorted) {
            VectorBuilder starts = new VectorBuilder(DataType.TIMESTAMP, mem, Math.max(1, b.rowCount()));
            ColumnVector t = b.column(time);
            for (int r = 0; r < b.rowCount(); r++) {
                if (t.isNull(r)) {
                    starts.appendNull();
                    continue; // NULL times sort first within a key: they neither start nor break a session
                }
                long ts = t.getLong(r);
                boolean sameKey = prevBatch != null && sameKey(prevBatch, prevRow, b, r, keys);
                if (!sameKey || ts - previous >= gapMicros) start = ts;
                starts.appendLong(start);
                previous = ts;
                prevBatch = b;
                prevRow = r;
            }
            List<ColumnVector> cols = new ArrayList<>(b.columns());
            cols.add(starts.build());
            result.add(new Batch(out, cols, b.rowCount()));
        }
        return result;
    }

    private static boolean sameKey(Batch a, int ra, Batch b, int rb, List<Integer> keys) {
        for (int k : keys) if (!same(a.column(k), ra, b.column(k), rb)) return false;
        return true;
    }

    /** Equal values (two NULLs are the same key, as in GROUP BY). */
    static boolean same(ColumnVector a, int ra, ColumnVector b, int rb) {
        boolean na = a.isNull(ra);
        boolean nb = b.isNull(rb);
        if (na || nb) return na && nb;
        PhysicalKind kind = a.type().physical();
        return switch (kind) {
            case BOOL, I8 -> a.getByte(ra) == b.getByte(rb);
            case I16 -> a.getShort(ra) == b.getShort(rb);
            case I32 -> a.getInt(ra) == b.getInt(rb);
            case I64 -> a.getLong(ra) == b.getLong(rb);
            case F64 -> Double.compare(a.getDouble(ra), b.getDouble(rb)) == 0;
            case VARCHAR -> {
                int la = a.stringLength(ra);
                if (la != b.stringLength(rb)) yield false;
                long oa = a.stringOffset(ra);
                long ob = b.stringOffset(rb);
                yield MemorySegment.mismatch(a.heap(), oa, oa + la, b.heap(), ob, ob + la) < 0;
            }
            case STRUCT, TENSOR -> throw new UnsupportedOperationException(a.type().sql() + " session keys are not supported");
        };
    }
}
