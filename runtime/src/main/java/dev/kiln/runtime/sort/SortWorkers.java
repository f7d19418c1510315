package dev.kiln.runtime.sort;

import java.util.function.IntConsumer;

/**
 * The query's worker threads as the sorter sees them (codegen-cpu's {@code Workers} provides
 * them): {@link #forEach} runs one body per thread at the same time and returns when all have
 * returned, rethrowing the first failure.
 */
public interface SortWorkers {
    int threads();

    /** Runs {@code body(0) … body(n-1)} at once, {@code n ≤ threads()}. */
    void forEach(int n, IntConsumer body);

    /** One thread: every sort runs serially. */
    SortWorkers SERIAL = new SortWorkers() {
        public int threads() {
            return 1;
        }

        public void forEach(int n, IntConsumer body) {
            for (int i = 0; i < n; i++) body.accept(i);
        }
    };
}
