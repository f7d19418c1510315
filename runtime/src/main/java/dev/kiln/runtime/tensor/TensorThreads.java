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

    @FunctionalInterface
    interface RangeBody {
        void run(long from, long to);
    }
}
