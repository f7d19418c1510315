package dev.kiln.runtime.sort;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.runtime.fn.Strings;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The sort keys of all input rows, normalized once so that a comparison is mostly a
 * {@code long} compare: every fixed-width key becomes an order-preserving signed long (doubles
 * with -0.0 = 0.0 and NaN greatest; DESC as bitwise NOT, which reverses the order), a VARCHAR key
 * its first 8 bytes big-endian (ties then compare the full UTF-8 bytes, unsigned). NULLs sit in
 * a separate flag array and sort first or last as the key says, in either direction. Rows are
 * global indices 0..n-1 over the input batches in order; ties are broken by index, which makes
 * every sort that uses {@link #compare} stable.
 */
final class SortKeys {
    final int n;
    private final int keyCount;
    private final long[][] norm;
    /** per key: null flags, or null when the key column has no NULLs */
    private final boolean[][] isNull;
    private final boolean[] nullsFirst;
    private final boolean[] descending;
    /** per key: the input column of a VARCHAR key (null for fixed-width keys) */
    private final ColumnVector[][] strings;
    /** batch of each row, when some key is VARCHAR */
    private final int[] batchOf;
    private final int[] starts;

    SortKeys(List<Batch> input, List<SortKey> keys, int n, int[] starts) {
        this.n = n;
        this.starts = starts;
        this.keyCount = keys.size();
        norm = new long[keyCount][];
        isNull = new boolean[keyCount][];
        nullsFirst = new boolean[keyCount];
        descending = new boolean[keyCount];
        strings = new ColumnVector[keyCount][];
        boolean anyString = false;
        for (int k = 0; k < keyCount; k++) {
            SortKey key = keys.get(k);
            nullsFirst[k] = key.nullsFirst();
            descending[k] = !key.ascending();
            norm[k] = new long[n];
            boolean nulls = false;
            for (Batch b : input) nulls |= b.column(key.column()).hasNulls();
            if (nulls) isNull[k] = new boolean[n];
            if (input.isEmpty()) continue;
            PhysicalKind kind = input.getFirst().column(key.column()).type().physical();
            if (kind == PhysicalKind.VARCHAR) {
                anyString = true;
                strings[k] = new ColumnVector[input.size()];
                for (int b = 0; b < input.size(); b++) strings[k][b] = input.get(b).column(key.column());
            }
            for (int b = 0; b < input.size(); b++) {
                ColumnVector v = input.get(b).column(key.column());
                normalize(v, kind, norm[k], isNull[k], starts[b], descending[k]);
            }
        }
        if (anyString) {
            batchOf = new int[n];
            for (int b = 0; b + 1 < starts.length; b++) java.util.Arrays.fill(batchOf, starts[b], starts[b + 1], b);
        } else {
            batchOf = null;
        }
    }

    /** Heap bytes this object holds (for the memory budget). */
    static long footprint(int n, List<SortKey> keys) {
        return (long) n * (9L * keys.size() + 4);
    }

    private static void normalize(ColumnVector v, PhysicalKind kind, long[] out, boolean[] nulls, int base, boolean desc) {
        MemorySegment s = v.values();
        int size = v.size();
        for (int i = 0; i < size; i++) {
            long x = switch (kind) {
                case BOOL, I8 -> s.get(ValueLayout.JAVA_BYTE, i);
                case I16 -> s.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i);
                case I32 -> s.get(ValueLayout.JAVA_INT_UNALIGNED, 4L * i);
                case I64 -> s.get(ValueLayout.JAVA_LONG_UNALIGNED, 8L * i);
                case F64 -> sortableDouble(s.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, 8L * i));
                case VARCHAR -> prefix(v.heap(), s.get(ValueLayout.JAVA_INT_UNALIGNED, 4L * i), s.get(ValueLayout.JAVA_INT_UNALIGNED, 4L * i + 4));
                default -> throw new KilnException("cannot ORDER BY a " + v.type().sql() + " column");
            };
            out[base + i] = desc ? ~x : x;
        }
        if (nulls != null && v.hasNulls()) {
            for (int i = 0; i < size; i++) nulls[base + i] = v.isNull(i);
        }
    }

    /** Signed-long order equals SQL double order: -0.0 = 0.0, NaN above +Infinity. */
    static long sortableDouble(double d) {
        if (d == 0.0) return 0;
        long bits = Double.isNaN(d) ? 0x7ff8000000000000L : Double.doubleToRawLongBits(d);
        return bits < 0 ? bits ^ Long.MAX_VALUE : bits;
    }

    /** First 8 bytes big-endian, zero padded, shifted so that signed order is unsigned byte order. */
    private static long prefix(MemorySegment heap, int from, int to) {
        long p = 0;
        int len = Math.min(8, to - from);
        for (int i = 0; i < len; i++) p |= (heap.get(ValueLayout.JAVA_BYTE, from + i) & 0xFFL) << (56 - 8 * i);
        return p ^ Long.MIN_VALUE;
    }

    int compare(int i, int j) {
        for (int k = 0; k < keyCount; k++) {
            boolean[] nl = isNull[k];
            if (nl != null && (nl[i] | nl[j])) {
                if (nl[i] && nl[j]) continue;
                return nl[i] == nullsFirst[k] ? -1 : 1;
            }
            long a = norm[k][i];
            long b = norm[k][j];
            if (a != b) return a < b ? -1 : 1;
            if (strings[k] != null) {
                int c = compareStrings(strings[k], i, j);
                if (c != 0) return descending[k] ? -c : c;
            }
        }
        return Integer.compare(i, j);
    }

    private int compareStrings(ColumnVector[] cols, int i, int j) {
        ColumnVector a = cols[batchOf[i]];
        ColumnVector b = cols[batchOf[j]];
        int ri = i - starts[batchOf[i]];
        int rj = j - starts[batchOf[j]];
        int ai = a.stringOffset(ri);
        int bj = b.stringOffset(rj);
        return Strings.compare(a.heap(), ai, a.stringOffset(ri + 1) - ai, b.heap(), bj, b.stringOffset(rj + 1) - bj);
    }

    /**
     * For a single key of at most 32 bits, the key, its NULL flag and the row index packed into one
     * long whose signed order is the full sort order, so that {@code Arrays.sort(long[])} sorts.
     */
    long[] packSingleNarrowKey() {
        long[] packed = new long[n];
        long[] v = norm[0];
        boolean[] nl = isNull[0];
        for (int i = 0; i < n; i++) {
            long key33; // 0 .. 2^32 inclusive: 33 bits, then 31 bits of index
            if (nl != null && nl[i]) {
                key33 = nullsFirst[0] ? 0 : 1L << 32;
            } else {
                long u = (int) v[i] - (long) Integer.MIN_VALUE; // 0 .. 2^32 - 1
                key33 = nullsFirst[0] ? u + 1 : u;
            }
            packed[i] = ((key33 << 31) | i) ^ Long.MIN_VALUE; // unsigned order → signed order
        }
        return packed;
    }
}
