package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ONNX Gather of float32 data by int64 indices, and the int64 → float32 cast that attention masks
 * need. Gather sees the data as {@code outer × axisSize × inner} and copies one contiguous block of
 * {@code inner} floats per (outer, index) pair: an embedding lookup is one row copy per token.
 */
public final class Gather {
    private Gather() {}

    /**
     * y[o, i, :] = data[o, indices[i], :]; a negative index counts from the end. An index outside
     * the axis is an {@link IndexOutOfBoundsException} naming it and its position.
     */
    public static void rows(TensorThreads threads, MemorySegment data, MemorySegment indices, MemorySegment y,
                            long outer, long axisSize, long inner, long count) {
        threads.forWork(outer * count, inner * TensorThreads.MEMORY_PASS, (from, to) -> {
            for (long k = from; k < to; k++) {
                long o = k / count, i = k % count;
                long idx = indices.getAtIndex(ValueLayout.JAVA_LONG, i);
                if (idx < 0) idx += axisSize;
                if (idx < 0 || idx >= axisSize) {
                    throw new IndexOutOfBoundsException("index " + indices.getAtIndex(ValueLayout.JAVA_LONG, i) + " at position " + i
                            + " is outside the gathered axis of size " + axisSize);
                }
                MemorySegment.copy(data, (o * axisSize + idx) * inner * Float.BYTES, y, k * inner * Float.BYTES, inner * Float.BYTES);
            }
        });
    }

    /** y = (float) x over {@code n} int64 values. */
    public static void castLongToFloat(MemorySegment x, MemorySegment y, long n) {
        for (long i = 0; i < n; i++) y.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) x.getAtIndex(ValueLayout.JAVA_LONG, i));
    }
}
