package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Transpose and concatenation of float32 tensors: copies, parallel over the outer index. */
public final class DataMovement {
    private DataMovement() {}

    /**
     * y = x with its axes permuted: y's axis i is x's axis {@code perm[i]}. The innermost output
     * axis is copied in a loop with x's stride for it, so the common attention transposes (swap of
     * two middle axes) copy whole contiguous rows.
     */
    public static void transpose(TensorThreads threads, MemorySegment x, MemorySegment y, long[] xShape, int[] perm) {
        int r = xShape.length;
        long[] xStrides = new long[r];
        for (int i = r - 1, s = 1; i >= 0; i--) {
            xStrides[i] = s;
            s *= (int) xShape[i];
        }
        long[] yShape = new long[r], srcStride = new long[r];
        for (int i = 0; i < r; i++) {
            yShape[i] = xShape[perm[i]];
            srcStride[i] = xStrides[perm[i]];
        }
        int inner = r == 0 ? 1 : (int) yShape[r - 1];
        long innerStride = r == 0 ? 1 : srcStride[r - 1];
        long outer = 1;
        for (int i = 0; i < r - 1; i++) outer *= yShape[i];
        long total = outer;
        threads.forWork(total, inner * TensorThreads.MEMORY_PASS, (o0, o1) -> {
            for (long o = o0; o < o1; o++) {
                long rem = o, src = 0;
                for (int i = r - 2; i >= 0; i--) {
                    src += (rem % yShape[i]) * srcStride[i];
                    rem /= yShape[i];
                }
                long dst = o * inner;
                if (innerStride == 1) {
                    MemorySegment.copy(x, src * Float.BYTES, y, dst * Float.BYTES, (long) inner * Float.BYTES);
                } else {
                    for (int j = 0; j < inner; j++) {
                        y.setAtIndex(ValueLayout.JAVA_FLOAT, dst + j, x.getAtIndex(ValueLayout.JAVA_FLOAT, src + j * innerStride));
                    }
                }
            }
        });
    }

    /**
     * Concatenation along an axis: each part is {@code outer} blocks of {@code blocks[i]} floats,
     * the output {@code outer} blocks of their sum.
     */
    public static void concat(MemorySegment[] parts, long[] blocks, MemorySegment y, long outer) {
        long total = 0;
        for (long b : blocks) total += b;
        for (long o = 0; o < outer; o++) {
            long at = o * total;
            for (int i = 0; i < parts.length; i++) {
                MemorySegment.copy(parts[i], o * blocks[i] * Float.BYTES, y, at * Float.BYTES, blocks[i] * Float.BYTES);
                at += blocks[i];
            }
        }
    }
}
