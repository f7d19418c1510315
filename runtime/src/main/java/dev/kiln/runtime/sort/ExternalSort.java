package dev.kiln.runtime.sort;

import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.fn.Strings;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.spill.BatchSpill;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.VectorBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * ORDER BY over more rows than the budget can sort at once: the input is cut into runs of
 * consecutive batches small enough to sort in memory ({@link Sorter}), each sorted run is spilled
 * ({@link BatchSpill}: written to disk and mapped back outside the budget), and the runs are
 * merged through a heap of run cursors, comparing rows by the sort keys with the same order as
 * {@link SortKeys} (NULLs first or last per key, strings as unsigned UTF-8 bytes, doubles with
 * -0.0 equal to 0.0 and NaN greatest). Ties keep input order: runs are consecutive input ranges
 * and a tie goes to the earlier run. The merged output is built in batches and spilled as it
 * grows when the budget is tight.
 */
final class ExternalSort {
    private ExternalSort() {}

    static List<Batch> sort(List<Batch> input, Schema schema, List<SortKey> keys, long offset, long limit, long rowsPerRun, QueryMemory mem) {
        long keep = limit < 0 ? -1 : offset + limit; // each run needs no more than the rows kept in all
        List<List<Batch>> runs = new ArrayList<>();
        List<Batch> chunk = new ArrayList<>();
        long rows = 0;
        for (Batch b : input) {
            if (!chunk.isEmpty() && rows + b.rowCount() > rowsPerRun) {
                runs.add(sortRun(chunk, schema, keys, keep, mem));
                chunk = new ArrayList<>();
                rows = 0;
            }
            chunk.add(b);
            rows += b.rowCount();
        }
        if (!chunk.isEmpty()) runs.add(sortRun(chunk, schema, keys, keep, mem));
        return merge(runs, schema, keys, offset, limit, mem);
    }

    private static List<Batch> sortRun(List<Batch> chunk, Schema schema, List<SortKey> keys, long keep, QueryMemory mem) {
        return BatchSpill.offload(Sorter.sortInMemory(chunk, schema, keys, 0, keep, mem), mem);
    }

    /** A position in one sorted run. */
    private static final class Cursor {
        final int run;
        final List<Batch> batches;
        int batch;
        int row;

        Cursor(int run, List<Batch> batches) {
            this.run = run;
            this.batches = batches;
        }

        Batch current() {
            return batches.get(batch);
        }

        boolean advance() {
            if (++row < batches.get(batch).rowCount()) return true;
            row = 0;
            while (++batch < batches.size()) {
                if (batches.get(batch).rowCount() > 0) return true;
            }
            return false;
        }
    }

    /** Merges sorted runs (in input order: a tie goes to the earlier run), then applies offset and limit. */
    static List<Batch> merge(List<List<Batch>> runs, Schema schema, List<SortKey> keys, long offset, long limit, QueryMemory mem) {
        PriorityQueue<Cursor> heap = new PriorityQueue<>((a, b) -> {
            int c = compare(a.current(), a.row, b.current(), b.row, keys);
            return c != 0 ? c : Integer.compare(a.run, b.run);
        });
        for (int r = 0; r < runs.size(); r++) {
            Cursor c = new Cursor(r, runs.get(r));
            while (c.batch < c.batches.size() && c.current().rowCount() == 0) c.batch++;
            if (c.batch < c.batches.size()) heap.add(c);
        }
        List<Batch> out = new ArrayList<>();
        VectorBuilder[] builders = null;
        int pending = 0;
        long skip = Math.max(0, offset);
        long left = limit < 0 ? Long.MAX_VALUE : limit;
        while (!heap.isEmpty() && left > 0) {
            Cursor c = heap.poll();
            if (skip > 0) {
                skip--;
            } else {
                if (builders == null) builders = builders(schema, mem);
                Batch b = c.current();
                for (int col = 0; col < builders.length; col++) copy(b.column(col), c.row, builders[col]);
                left--;
                if (++pending == Table.MORSEL_ROWS) {
                    out.add(cut(schema, builders, pending, mem));
                    builders = null;
                    pending = 0;
                }
            }
            if (c.advance()) heap.add(c);
        }
        if (pending > 0) out.add(cut(schema, builders, pending, mem));
        return out;
    }

    private static VectorBuilder[] builders(Schema schema, QueryMemory mem) {
        VectorBuilder[] b = new VectorBuilder[schema.size()];
        for (int i = 0; i < b.length; i++) b[i] = new VectorBuilder(schema.field(i).type(), mem, 1024);
        return b;
    }

    private static Batch cut(Schema schema, VectorBuilder[] builders, int rows, QueryMemory mem) {
        List<ColumnVector> cols = new ArrayList<>(builders.length);
        for (VectorBuilder b : builders) cols.add(b.build());
        Batch batch = new Batch(schema, cols, rows);
        return BatchSpill.overThreshold(mem) ? BatchSpill.offload(batch, mem) : batch;
    }

    private static void copy(ColumnVector v, int row, VectorBuilder to) {
        if (v.isNull(row)) {
            to.appendNull();
            return;
        }
        switch (v.type().physical()) {
            case BOOL -> to.appendBoolean(v.getBoolean(row));
            case I8 -> to.appendInt(v.getByte(row));
            case I16 -> to.appendInt(v.getShort(row));
            case I32 -> to.appendInt(v.getInt(row));
            case I64 -> to.appendLong(v.getLong(row));
            case F64 -> to.appendDouble(v.getDouble(row));
            case VARCHAR -> to.appendString(v.heap(), v.stringOffset(row), v.stringLength(row));
            case TENSOR -> to.appendCell(v.heap(), v.stringOffset(row), v.stringLength(row));
            default -> throw new IllegalStateException("cannot copy a " + v.type().sql() + " value");
        }
    }

    /** Row order by the sort keys, as {@link SortKeys} orders normalized keys. */
    static int compare(Batch a, int ra, Batch b, int rb, List<SortKey> keys) {
        for (SortKey k : keys) {
            ColumnVector x = a.column(k.column());
            ColumnVector y = b.column(k.column());
            boolean nx = x.isNull(ra);
            boolean ny = y.isNull(rb);
            if (nx || ny) {
                if (nx && ny) continue;
                return nx == k.nullsFirst() ? -1 : 1;
            }
            int c = switch (x.type().physical()) {
                case BOOL -> Boolean.compare(x.getBoolean(ra), y.getBoolean(rb));
                case I8 -> Byte.compare(x.getByte(ra), y.getByte(rb));
                case I16 -> Short.compare(x.getShort(ra), y.getShort(rb));
                case I32 -> Integer.compare(x.getInt(ra), y.getInt(rb));
                case I64 -> Long.compare(x.getLong(ra), y.getLong(rb));
                case F64 -> Long.compare(SortKeys.sortableDouble(x.getDouble(ra)), SortKeys.sortableDouble(y.getDouble(rb)));
                case VARCHAR -> Strings.compare(x.heap(), x.stringOffset(ra), x.stringLength(ra), y.heap(), y.stringOffset(rb), y.stringLength(rb));
                default -> throw new IllegalStateException("cannot ORDER BY a " + x.type().sql() + " column");
            };
            if (c != 0) return k.ascending() ? c : -c;
        }
        return 0;
    }
}
