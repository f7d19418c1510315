package dev.kiln.codegen;

import dev.kiln.ir.KilnException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The threads that run a query's pipelines: {@code threads - 1} pooled daemon threads plus the
 * calling thread, which always takes part (so one thread means no pool at all and no hand-off).
 * Work is split morsel-driven: each worker pulls the next morsel when it is done with one, so a
 * slow or preempted thread delays nothing but its own morsel. One {@code Workers} serves one
 * session; queries of a session run one at a time.
 */
public final class Workers implements AutoCloseable, dev.kiln.runtime.sort.SortWorkers, dev.kiln.runtime.tensor.TensorThreads {
    private final int threads;
    private ExecutorService pool;
    private final List<Lane> lanes = new ArrayList<>();

    public Workers(int threads) {
        if (threads < 1) throw new KilnException("the number of threads must be at least 1, not " + threads);
        this.threads = threads;
        for (int i = 0; i < threads; i++) lanes.add(new Lane(this, i));
    }

    /**
     * One of these workers as single-threaded {@code TensorThreads}, for work split across the
     * workers at a coarser grain (inference batches side by side, each on its own runner): kernels
     * given a lane run on the thread that calls them. Lanes are the same objects for the life of
     * the workers, so what is cached per lane (compiled model runners) is found again.
     */
    public record Lane(Workers parent, int index) implements dev.kiln.runtime.tensor.TensorThreads {
        @Override
        public int threads() {
            return 1;
        }

        @Override
        public void forEach(int n, IntConsumer body) {
            for (int i = 0; i < n; i++) body.accept(i);
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return "lane " + index + " of " + parent.threads + " workers";
        }
    }

    /** The workers' lanes, one per thread. */
    public List<Lane> lanes() {
        return java.util.Collections.unmodifiableList(lanes);
    }

    public static Workers single() {
        return new Workers(1);
    }

    /** As many threads as the machine has cores. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body(0) … body(n-1)} at the same time, one per thread ({@code n ≤ threads}),
     * and returns when all have returned. If one fails, the first failure is rethrown after all
     * have stopped (bodies that share work should stop taking more once one has failed).
     */
    @Override
    public void forEach(int n, IntConsumer body) {
        if (n > threads) throw new IllegalArgumentException(n + " tasks for " + threads + " threads");
        if (n == 1) {
            body.accept(0);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(n - 1);
        for (int i = 1; i < n; i++) {
            int task = i;
            futures.add(pool().submit(() -> body.accept(task)));
        }
        Throwable first = null;
        try {
            body.accept(0);
        } catch (RuntimeException | Error e) {
            first = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) first = e.getCause();
                else if (first != e.getCause()) first.addSuppressed(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KilnException("query interrupted", e);
            }
        }
        if (first instanceof RuntimeException r) throw r;
        if (first instanceof Error err) throw err;
        if (first != null) throw new KilnException("a worker thread failed: " + first, first);
    }

    private synchronized ExecutorService pool() {
        if (pool == null) {
            AtomicInteger id = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "kiln-worker-" + id.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    @Override
    public synchronized void close() {
        if (pool != null) pool.shutdownNow();
        pool = null;
    }
}
