package dev.kiln.codegen;

import dev.kiln.ir.KilnException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The threads that run a query's pipelines and tensor kernels: a team of {@code threads - 1}
 * daemon threads plus the calling thread, which always takes part (so one thread means no team at
 * all and no hand-off). A hand-off publishes one job; each team thread spins for it for a short
 * while ({@link #SPIN_NANOS}) after its last one and parks after that, so the kernels of a tensor
 * program, handed over microseconds apart, reach running threads, while an idle session's threads
 * sleep. Pipelines split their work morsel-driven: each worker pulls the next morsel when it is
 * done with one, so a slow or preempted thread delays nothing but its own morsel. One
 * {@code Workers} serves one session; queries of a session run one at a time.
 */
public final class Workers implements AutoCloseable, dev.kiln.runtime.sort.SortWorkers, dev.kiln.runtime.tensor.TensorThreads {
    /**
     * How long an idle team thread (and a caller waiting for the team) spins before it parks: a
     * tensor program hands its kernels over one after another, microseconds apart, and a parked
     * thread takes tens of microseconds to wake (a futex and a reschedule, more on a loaded VM) -
     * longer than a small kernel's whole run.
     */
    static final long SPIN_NANOS = 50_000;

    private final int threads;
    private final List<Lane> lanes = new ArrayList<>();
    private Member[] team;
    private volatile boolean closed;
    /** the current hand-off; team thread i runs body(i) of each job it has not seen yet, when i < n */
    private volatile Job job = new Job(null, 0);
    /** a hand-off is in progress: another caller, or a body calling forEach, runs its bodies in line */
    private final AtomicBoolean busy = new AtomicBoolean();

    /** One hand-off: its bodies, how many, the team threads still running theirs, and their failures. */
    private static final class Job {
        final IntConsumer body;
        final int n;
        final AtomicInteger running;
        final Throwable[] failures;
        volatile Thread waiter;

        Job(IntConsumer body, int n) {
            this.body = body;
            this.n = n;
            this.running = new AtomicInteger(Math.max(0, n - 1));
            this.failures = new Throwable[Math.max(1, n)];
        }
    }

    /** A team thread and whether it is parked (so a hand-off knows to wake it). */
    private final class Member implements Runnable {
        final int index;
        final Thread thread;
        volatile boolean parked;
        private Job seen;

        Member(int index, Job current) {
            this.index = index;
            this.seen = current;
            this.thread = new Thread(this, "kiln-worker-" + index);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                Job j = next();
                if (j == null) return;
                seen = j;
                if (index >= j.n) continue;
                try {
                    j.body.accept(index);
                } catch (Throwable t) {
                    j.failures[index] = t;
                } finally {
                    if (j.running.decrementAndGet() == 0) {
                        Thread w = j.waiter;
                        if (w != null) LockSupport.unpark(w);
                    }
                }
            }
        }

        /** The next job, spinning for it a while and then parked; null once the workers are closed. */
        private Job next() {
            long since = System.nanoTime();
            for (int spins = 0; ; spins++) {
                Job j = job;
                if (j != seen) return j;
                if (closed) return null;
                if ((spins & 255) != 255 || System.nanoTime() - since < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (job == seen && !closed) LockSupport.park(this);
                parked = false;
                since = System.nanoTime();
            }
        }
    }

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
     * have stopped (bodies that share work should stop taking more once one has failed). A call
     * made while another hand-off is in progress (from a body, or from a second thread) runs its
     * bodies one after another on the calling thread, as does every call once the workers are closed.
     */
    @Override
    public void forEach(int n, IntConsumer body) {
        if (n > threads) throw new IllegalArgumentException(n + " tasks for " + threads + " threads");
        if (n == 1) {
            body.accept(0);
            return;
        }
        if (closed || !busy.compareAndSet(false, true)) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        try {
            handOff(n, body);
        } finally {
            busy.set(false);
        }
    }

    private void handOff(int n, IntConsumer body) {
        Member[] members = team();
        Job j = new Job(body, n);
        job = j;
        for (int i = 1; i < n; i++) {
            Member m = members[i - 1];
            if (m.parked) LockSupport.unpark(m.thread);
        }
        try {
            body.accept(0);
        } catch (Throwable t) {
            j.failures[0] = t;
        }
        boolean interrupted = await(j);
        Throwable first = null;
        for (Throwable t : j.failures) {
            if (t == null) continue;
            if (first == null) first = t;
            else if (first != t) first.addSuppressed(t);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (first == null) throw new KilnException("query interrupted");
        }
        if (first instanceof RuntimeException r) throw r;
        if (first instanceof Error err) throw err;
        if (first != null) throw new KilnException("a worker thread failed: " + first, first);
    }

    /** Waits (spinning a while, then parked) until every team thread has finished its body of {@code j}; whether the caller was interrupted meanwhile. */
    private static boolean await(Job j) {
        boolean interrupted = false;
        long since = System.nanoTime();
        for (int spins = 0; j.running.get() != 0; spins++) {
            if ((spins & 255) != 255 || System.nanoTime() - since < SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            j.waiter = Thread.currentThread();
            if (j.running.get() != 0) LockSupport.parkNanos(j, 1_000_000);
            if (Thread.interrupted()) interrupted = true; // the bodies run on: wait for them, then say so
        }
        return interrupted;
    }

    private synchronized Member[] team() {
        if (team == null) {
            Member[] t = new Member[threads - 1];
            for (int i = 0; i < t.length; i++) t[i] = new Member(i + 1, job);
            for (Member m : t) m.thread.start();
            team = t;
        }
        return team;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (team != null) {
            for (Member m : team) LockSupport.unpark(m.thread);
        }
        team = null;
    }
}
