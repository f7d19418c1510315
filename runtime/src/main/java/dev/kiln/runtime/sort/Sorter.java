package dev.kiln.runtime.sort;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import java.util.Arrays;
import java.util.List;

/**
 * ORDER BY / OFFSET / LIMIT over materialized batches. Keys are normalized once per row
 * ({@link SortKeys}); then a single narrow key (BOOLEAN, integers up to INTEGER, DATE) is packed
 * with its row index into a long and sorted by {@code Arrays.sort}; other full sorts run a merge
 * sort on row indices; a limit that keeps few rows (offset + limit &le; n / 8) runs a bounded
 * heap instead (top-N). All orders are stable: ties keep input order. Strings compare as unsigned
 * UTF-8 bytes (code-point order); doubles with -0.0 equal to 0.0 and NaN greatest. The selected
 * rows are re-gathered into new batches.
 */
public final class Sorter {
    private Sorter() {}

    public static List<Batch> sort(List<Batch> input, Schema schema, List<SortKey> keys, long offset, long limit, QueryMemory mem) {
        int[] starts = new int[input.size() + 1];
        long total = 0;
        for (int b = 0; b < input.size(); b++) {
            starts[b] = (int) total;
            total += input.get(b).rowCount();
            if (total > Integer.MAX_VALUE - 8) {
                throw new KilnException("ORDER BY over more than " + (Integer.MAX_VALUE - 8) + " rows is not supported yet (sorting does not spill)");
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
