package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * y[i0, …, ir] = x[map0[i0], …, mapr[ir]]: a copy where each output axis reads its input axis
 * through an index table worked out at compile time. Slice (start + i × step) and nearest-neighbour
 * Resize are both this, and Pad too: an entry of -1 reads {@code fill} (constant padding), edge
 * and reflect padding are maps that repeat or mirror indices. Parallel over output rows; a row
 * whose last-axis map is a run of consecutive indices between fills is one bulk copy, another is
 * gathered on the heap, and a row reading the same input row as the one before is a copy of it.
 */
public final class IndexMapCopy {
    private IndexMapCopy() {}

    public static void copy(TensorThreads threads, MemorySegment x, MemorySegment y, long[] xShape, int[][] maps) {
        copy(threads, x, y, xShape, maps, 0f);
    }

    public static void copy(TensorThreads threads, MemorySegment x, MemorySegment y, long[] xShape, int[][] maps, float fill) {
        int r = xShape.length;
        long[] xStrides = new long[r];
        for (int i = r - 1, s = 1; i >= 0; i--) {
            xStrides[i] = s;
            s *= (int) xShape[i];
        }
        int[] last = maps[r - 1];
        int inner = last.length;
        // the last axis as fills [0, lo), a consecutive run [lo, hi), fills [hi, inner): then the run is one copy
        int lo = 0, hi = inner;
        while (lo < inner && last[lo] < 0) lo++;
        while (hi > lo && last[hi - 1] < 0) hi--;
        boolean contiguous = true;
        for (int j = lo + 1; j < hi; j++) contiguous &= last[j] == last[lo] + j - lo;
        boolean bulk = contiguous;
        int runStart = lo, runEnd = hi;
        long rows = 1;
        for (int d = 0; d < r - 1; d++) rows *= maps[d].length;
        long total = rows;
        int xInner = (int) xShape[r - 1];
        // the input row is staged whole unless the row picks far fewer elements than it holds (a strided slice)
        boolean staged = xInner <= 4L * inner + 64;
        threads.forWork(total, (long) inner * TensorThreads.MEMORY_PASS, (r0, r1) -> {
            // a gathered row is built on the heap (its input row staged with one copy) and stored with one copy; an output
            // row that reads the same input row as the one before (a nearest upsampling's repeated rows) copies that one
            float[] in = bulk || !staged ? null : new float[xInner], out = bulk ? null : new float[inner];
            long previous = -1;
            for (long row = r0; row < r1; row++) {
                long rem = row, base = 0;
                boolean outside = false;
                for (int d = r - 2; d >= 0; d--) {
                    int len = maps[d].length, at = maps[d][(int) (rem % len)];
                    outside |= at < 0;
                    base += at * xStrides[d];
                    rem /= len;
                }
                long dst = row * inner;
                if (!outside && base == previous) {
                    MemorySegment.copy(y, (dst - inner) * Float.BYTES, y, dst * Float.BYTES, (long) inner * Float.BYTES);
                    continue;
                }
                previous = outside ? -1 : base;
                if (outside) {
                    y.asSlice(dst * Float.BYTES, (long) inner * Float.BYTES).fill((byte) 0);
                    if (fill != 0) for (int j = 0; j < inner; j++) y.setAtIndex(ValueLayout.JAVA_FLOAT, dst + j, fill);
                } else if (bulk) {
                    for (int j = 0; j < runStart; j++) y.setAtIndex(ValueLayout.JAVA_FLOAT, dst + j, fill);
                    if (runEnd > runStart) MemorySegment.copy(x, (base + last[runStart]) * Float.BYTES, y, (dst + runStart) * Float.BYTES, (long) (runEnd - runStart) * Float.BYTES);
                    for (int j = runEnd; j < inner; j++) y.setAtIndex(ValueLayout.JAVA_FLOAT, dst + j, fill);
                } else if (staged) {
                    MemorySegment.copy(x, ValueLayout.JAVA_FLOAT, base * Float.BYTES, in, 0, xInner);
                    for (int j = 0; j < inner; j++) out[j] = last[j] < 0 ? fill : in[last[j]];
                    MemorySegment.copy(out, 0, y, ValueLayout.JAVA_FLOAT, dst * Float.BYTES, inner);
                } else {
                    // a few elements picked from a long input row: read where they are
                    for (int j = 0; j < inner; j++) out[j] = last[j] < 0 ? fill : x.getAtIndex(ValueLayout.JAVA_FLOAT, base + last[j]);
                    MemorySegment.copy(out, 0, y, ValueLayout.JAVA_FLOAT, dst * Float.BYTES, inner);
                }
            }
        });
    }
}
