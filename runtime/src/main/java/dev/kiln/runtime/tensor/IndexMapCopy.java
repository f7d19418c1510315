package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * y[i0, …, ir] = x[map0[i0], …, mapr[ir]]: a copy where each output axis reads its input axis
 * through an index table worked out at compile time. Slice (start + i × step) and nearest-neighbour
 * Resize are both this. Parallel over output rows; a row whose last-axis map is a run of
 * consecutive indices is one bulk copy.
 */
public final class IndexMapCopy {
    private IndexMapCopy() {}

    public static void copy(TensorThreads threads, MemorySegment x, MemorySegment y, long[] xShape, int[][] maps) {
        int r = xShape.length;
        long[] xStrides = new long[r];
        for (int i = r - 1, s = 1; i >= 0; i--) {
            xStrides[i] = s;
            s *= (int) xShape[i];
        }
        int[] last = maps[r - 1];
        int inner = last.length;
        boolean contiguous = true;
        for (int j = 1; j < inner; j++) contiguous &= last[j] == last[0] + j;
        boolean bulk = contiguous;
        long rows = 1;
        for (int d = 0; d < r - 1; d++) rows *= maps[d].length;
        long total = rows;
        threads.forRanges(total, 64, (r0, r1) -> {
            for (long row = r0; row < r1; row++) {
                long rem = row, base = 0;
                for (int d = r - 2; d >= 0; d--) {
                    int len = maps[d].length;
                    base += maps[d][(int) (rem % len)] * xStrides[d];
                    rem /= len;
                }
                long dst = row * inner;
                if (bulk) {
                    if (inner > 0) MemorySegment.copy(x, (base + last[0]) * Float.BYTES, y, dst * Float.BYTES, (long) inner * Float.BYTES);
                } else {
                    for (int j = 0; j < inner; j++) y.setAtIndex(ValueLayout.JAVA_FLOAT, dst + j, x.getAtIndex(ValueLayout.JAVA_FLOAT, base + last[j]));
                }
            }
        });
    }
}
