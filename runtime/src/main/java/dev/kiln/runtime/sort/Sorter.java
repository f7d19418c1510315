package dev.kiln.runtime.sort;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ORDER BY / OFFSET / LIMIT over materialized batches. Keys are normalized once per row
 * ({@link SortKeys}); then a single narrow key (BOOLEAN, integers up to INTEGER, DATE) is packed
 * with its row index into a long and sorted by {@code Arrays.sort}; other full sorts run a merge
 * sort on row indices; a limit that keeps few rows (offset + limit &le; n / 8) runs a bounded
 * heap instead (top-N). All orders are stable: ties keep input order. Strings compare as unsigned
 * UTF-8 bytes (code-point order); doubles with -0.0 equal to 0.0 and NaN greatest. The selected
 * rows are re-gathered into new batches. When the sort keys of all rows would not fit half of what
 * is left of the budget, the sort runs externally ({@link ExternalSort}: sorted runs spilled to
 * disk, then merged).
 */
public final class Sorter {
    private Sorter() {}

    public static List<Batch> sort(List<Batch> input, Schema schema, List<SortKey> keys, long offset, long limit, QueryMemory mem) {
        return sort(input, schema, keys, offset, limit, mem, SortWorkers.SERIAL);
    }

    /** Inputs below this many rows sort on one thread: splitting and merging would cost more than they save. */
    public static final long PARALLEL_MIN_ROWS = 2L * Table.MORSEL_ROWS;

    /**
     * As {@link #sort(List, Schema, List, long, long, QueryMemory)}, on {@code workers}: an
     * in-memory sort of at least {@link #PARALLEL_MIN_ROWS} rows is cut into one run of
     * consecutive batches per thread, the runs are sorted (or their top rows selected) at the same
     * time, and the sorted runs are merged; ties go to the earlier run, so the order is exactly
     * the serial sort's.
     */
    public static List<Batch> sort(List<Batch> input, Schema schema, List<SortKey> keys, long offset, long limit, QueryMemory mem, SortWorkers workers) {
        long n = rows(input);
        long room = mem.budget() == Long.MAX_VALUE ? Long.MAX_VALUE : mem.budget() - mem.used();
        long perRow = 9L * keys.size() + 4 + 12;
        if (!keys.isEmpty() && (n * perRow > room / 2 || n > Integer.MAX_VALUE - 8)) {
            // the keys of all rows do not fit the budget (or an int index): sort runs that do, spill them, merge
            long rowsPerRun = Math.max(Table.MORSEL_ROWS, Math.min(Integer.MAX_VALUE - 8, room / 4 / perRow));
            return ExternalSort.sort(input, schema, keys, offset, limit, rowsPerRun, mem);
        }
        if (n >= PARALLEL_MIN_ROWS) return inParallel(input, n, schema, keys, offset, limit, mem, workers);
        return sortInMemory(input, schema, keys, offset, limit, mem);
    }

    private static long rows(List<Batch> input) {
        long n = 0;
        for (Batch b : input) n += b.rowCount();
        return n;
    }

    /**
     * The in-memory sort split over {@code workers} whatever the input's size (one run per thread,
     * at most one per batch): each run sorted or its top rows selected at the same time, then the
     * runs merged. Serial when there are no keys, one batch or one thread.
     */
    public static List<Batch> sortInParallel(List<Batch> input, Schema schema, List<SortKey> keys, long offset, long limit, QueryMemory mem,
                                             SortWorkers workers) {
        return inParallel(input, rows(input), schema, keys, offset, limit, mem, workers);
    }

    private static List<Batch> inParallel(List<Batch> input, long n, Schema schema, List<SortKey> keys, long offset, long limit, QueryMemory mem,
                                          SortWorkers workers) {
        int runs = Math.min(workers.threads(), input.size());
        if (keys.isEmpty() || runs < 2) return sortInMemory(input, schema, keys, offset, limit, mem);
        // consecutive batches, about n / runs rows each
        List<List<Batch>> chunks = new ArrayList<>();
        List<Batch> chunk = new ArrayList<>();
        long rows = 0;
        long target = (n + runs - 1) / runs;
        for (Batch b : input) {
            chunk.add(b);
            rows += b.rowCount();
            if (rows >= target && chunks.size() < runs - 1) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                rows = 0;
            }
        }
        if (!chunk.isEmpty()) chunks.add(chunk);
        long keep = limit < 0 ? -1 : offset + limit; // no run needs more than the rows kept in all
        @SuppressWarnings("unchecked")
        List<Batch>[] sorted = new List[chunks.size()];
        workers.forEach(chunks.size(), i -> sorted[i] = sortInMemory(chunks.get(i), schema, keys, 0, keep, mem));
        return ExternalSort.merge(List.of(sorted), schema, keys, offset, limit, mem);
    }

    /**
     * The external sort, with sorted runs of at most {@code rowsPerRun} rows spilled to disk and
     * merged ({@link #sort} chooses it when the keys would not fit the budget).
     */
    public static List<Batch> sortExternally(List<Batch> input, Schema schema, List<SortKey> keys, long offset, long limit, long rowsPerRun, QueryMemory mem) {
        if (rowsPerRun < 1) throw new IllegalArgumentException("runs need at least one row");
        return ExternalSort.sort(input, schema, keys, offset, limit, rowsPerRun, mem);
    }

    /** The in-memory sort of all rows at once (key arrays on the heap, counted against the budget). */
    static List<Batch> sortInMemory(List<Batch> input, Schema schema, List<SortKey> keys, long offset, long limit, QueryMemory mem) {
        int[] starts = new int[input.size() + 1];
        long total = 0;
        for (int b = 0; b < input.size(); b++) {
            starts[b] = (int) total;
            total += input.get(b).rowCount();
            if (total > Integer.MAX_VALUE - 8) {
                throw new KilnException("an in-memory sort run over more than " + (Integer.MAX_VALUE - 8) + " rows");
            }
        }
        int n = (int) total;
        starts[input.size()] = n;
        int from = (int) Math.min(Math.max(offset, 0), n);
        int to = limit < 0 ? n : (int) Math.min(n, from + limit);
        if (from >= to) return List.of();
        if (keys.isEmpty()) {
            int[] rows = new int[to - from];
            for (int i = 0; i < rows.length; i++) rows[i] = from + i;
            return Gather.gather(input, schema, starts, rows, 0, rows.length, mem);
        }
        long heapBytes = SortKeys.footprint(n, keys) + 12L * n;
        mem.reserve(heapBytes);
        try {
            SortKeys sk = new SortKeys(input, keys, n, starts);
            int[] order;
            if (to <= n / 8) {
                order = RowOrder.topN(sk, to);
            } else if (keys.size() == 1 && narrow(schema, keys.getFirst())) {
                long[] packed = sk.packSingleNarrowKey();
                Arrays.sort(packed);
                order = new int[n];
                for (int i = 0; i < n; i++) order[i] = (int) (packed[i] & 0x7FFF_FFFFL);
            } else {
                order = RowOrder.sortAll(sk);
            }
            return Gather.gather(input, schema, starts, order, from, to, mem);
        } finally {
            mem.release(heapBytes);
        }
    }

    private static boolean narrow(Schema schema, SortKey key) {
        PhysicalKind k = schema.field(key.column()).type().physical();
        return k == PhysicalKind.BOOL || k == PhysicalKind.I8 || k == PhysicalKind.I16 || k == PhysicalKind.I32;
    }
}
