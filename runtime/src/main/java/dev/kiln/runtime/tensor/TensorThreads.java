package dev.kiln.runtime.tensor;

import java.util.function.IntConsumer;

/**
 * The worker threads tensor kernels split their work over (codegen-cpu's {@code Workers}
 * provides them): {@link #forEach} runs one body per thread at once and returns when all have.
 */
public interface TensorThreads {
    int threads();

    /** Runs {@code body(0) … body(n-1)} at once, {@code n ≤ threads()}. */
    void forEach(int n, IntConsumer body);

    TensorThreads SERIAL = new TensorThreads() {
        public int threads() { return 1; }

        public void forEach(int n, IntConsumer body) {
            for (int i = 0; i < n; i++) body.accept(i);
        }
    };

    /** Splits [0, n) into {@code parts} near-equal ranges and runs {@code body(from, to)} on each in parallel. */
    default void forRanges(long n, int grain, RangeBody body) {
        int parts = (int) Math.max(1, Math.min(threads(), n / Math.max(1, grain)));
        if (parts == 1) {
            body.run(0, n);
            return;
        }
        forEach(parts, p -> body.run(n * p / parts, n * (p + 1) / parts));
    }

    /**
     * The work, in multiply-adds, below which splitting a kernel over threads costs more than it
     * saves: a hand-off to a pooled worker and back takes tens of microseconds on a loaded VM, about
     * what a million multiply-adds take (a batch-1 convolution of a small CNN is far less).
     */
    long MIN_PARALLEL_WORK = 1 << 20;

    /**
     * The work of visiting one element in a memory-bound pass (a copy, an elementwise step), in
     * multiply-adds of a GEMM, which runs some sixteen of them per cycle: such a pass splits from
     * 64k elements on.
     */
    long MEMORY_PASS = 16;

    /** {@link #forRanges} with ranges of at least {@link #MIN_PARALLEL_WORK} work, {@code workPerItem} (in multiply-adds) per item. */
    default void forWork(long n, long workPerItem, RangeBody body) {
        long grain = Math.max(1, MIN_PARALLEL_WORK / Math.max(1, workPerItem));
        forRanges(n, (int) Math.min(Integer.MAX_VALUE, grain), body);
    }

    @FunctionalInterface
    interface RangeBody {
        void run(long from, long to);
    }
}
