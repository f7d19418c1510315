package dev.kiln.runtime.sort;

import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.fn.Strings;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.BatchCollector;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.VectorBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * ORDER BY / OFFSET / LIMIT over materialized batches: sorts row references (batch, row) with a
 * comparator built per key and column type, stable; a bounded heap keeps only offset + limit
 * rows when a limit is given. Strings compare as unsigned UTF-8 bytes (code-point order);
 * doubles with -0.0 equal to 0.0 and NaN greatest.
 */
public final class Sorter {
    private Sorter() {}

    public static List<Batch> sort(List<Batch> input, Schema schema, List<SortKey> keys, long offset, long limit, QueryMemory mem) {
        List<long[]> refs = new ArrayList<>();
        Comparator<long[]> cmp = comparator(input, keys);
        long keep = limit < 0 ? Long.MAX_VALUE : offset + limit;
        List<long[]> ordered;
        if (!keys.isEmpty() && keep < 100_000) {
            // top-N: a max-heap of the best `keep` rows; ties broken by input position (stable)
            Comparator<long[]> stable = cmp.thenComparingLong(r -> r[0]).thenComparingLong(r -> r[1]);
            PriorityQueue<long[]> heap = new PriorityQueue<>(stable.reversed());
            for (int b = 0; b < input.size(); b++) {
                for (int i = 0; i < input.get(b).rowCount(); i++) {
                    long[] r = {b, i};
                    if (heap.size() < keep) {
                        heap.add(r);
                    } else if (keep > 0 && stable.compare(r, heap.peek()) < 0) {
                        heap.poll();
                        heap.add(r);
                    }
                }
            }
            ordered = new ArrayList<>(heap);
            ordered.sort(stable);
        } else {
            for (int b = 0; b < input.size(); b++) {
                for (int i = 0; i < input.get(b).rowCount(); i++) refs.add(new long[] {b, i});
            }
            if (!keys.isEmpty()) refs.sort(cmp); // List.sort is a stable merge sort
            ordered = refs;
        }
        BatchCollector out = new BatchCollector(schema, mem);
        long from = Math.min(offset, ordered.size());
        long to = Math.min(ordered.size(), limit < 0 ? ordered.size() : from + limit);
        for (long k = from; k < to; k++) {
            long[] r = ordered.get((int) k);
            Batch b = input.get((int) r[0]);
            int row = (int) r[1];
            for (int c = 0; c < schema.size(); c++) copy(b.column(c), row, out.builder(c));
            out.rowAppended();
        }
        return out.finish();
    }

    private static void copy(ColumnVector v, int row, VectorBuilder to) {
        if (v.isNull(row)) {
            to.appendNull();
            return;
        }
        switch (v.type().physical()) {
            case BOOL -> to.appendBoolean(v.getBoolean(row));
            case I8 -> to.appendLong(v.getByte(row));
            case I16 -> to.appendLong(v.getShort(row));
            case I32 -> to.appendInt(v.getInt(row));
            case I64 -> to.appendLong(v.getLong(row));
            case F64 -> to.appendDouble(v.getDouble(row));
            case VARCHAR -> to.appendString(v.heap(), v.stringOffset(row), v.stringLength(row));
            default -> throw new IllegalStateException("cannot sort " + v.type().sql());
        }
    }

    private static Comparator<long[]> comparator(List<Batch> input, List<SortKey> keys) {
        Comparator<long[]> all = (a, b) -> 0;
        for (SortKey k : keys) {
            Comparator<long[]> one = (a, b) -> {
                ColumnVector va = input.get((int) a[0]).column(k.column());
                ColumnVector vb = input.get((int) b[0]).column(k.column());
                int ra = (int) a[1];
                int rb = (int) b[1];
                boolean na = va.isNull(ra);
                boolean nb = vb.isNull(rb);
                if (na || nb) {
                    if (na && nb) return 0;
                    return na == k.nullsFirst() ? -1 : 1;
                }
                int c = compareValues(va, ra, vb, rb);
                return k.ascending() ? c : -c;
            };
            all = all.thenComparing(one);
        }
        return all;
    }

    static int compareValues(ColumnVector a, int ra, ColumnVector b, int rb) {
        DataType t = a.type();
        return switch (t.physical()) {
            case BOOL -> Boolean.compare(a.getBoolean(ra), b.getBoolean(rb));
            case I8 -> Byte.compare(a.getByte(ra), b.getByte(rb));
            case I16 -> Short.compare(a.getShort(ra), b.getShort(rb));
            case I32 -> Integer.compare(a.getInt(ra), b.getInt(rb));
            case I64 -> Long.compare(a.getLong(ra), b.getLong(rb));
            case F64 -> {
                double x = a.getDouble(ra);
                double y = b.getDouble(rb);
                yield x == y ? 0 : Double.compare(x, y); // -0.0 == 0.0; NaN sorts last as Double.compare does
            }
            case VARCHAR -> Strings.compare(a.heap(), a.stringOffset(ra), a.stringLength(ra), b.heap(), b.stringOffset(rb), b.stringLength(rb));
            default -> throw new IllegalStateException("cannot sort " + t.sql());
        };
    }

}
