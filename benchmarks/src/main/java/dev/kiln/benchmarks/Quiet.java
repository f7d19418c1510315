package dev.kiln.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the systems from timing each other. Before a system's timed runs start, waits until
 * this JVM (Kiln and DuckDB, and their JIT compiler and GC threads) and the Spark peer's JVM
 * together use almost no CPU: on a two-core machine the JIT compiling the last system's code or
 * its garbage collector still running would otherwise slow whichever system runs next. The wait
 * is bounded; how long it took is added up and reported with the results.
 */
final class Quiet {
    /** The window over which CPU use is measured. */
    static final Duration WINDOW = Duration.ofMillis(250);
    /** CPU time (all threads of both processes) below which a window counts as idle: 10% of one core. */
    static final Duration IDLE = WINDOW.dividedBy(10);
    /** The longest wait: a process that never settles is not waited for any longer. */
    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private final List<ProcessHandle> processes = new ArrayList<>();
    private long waitedNanos;
    private int gaveUp;

    Quiet(Optional<ProcessHandle> peer) {
        processes.add(ProcessHandle.current());
        peer.ifPresent(processes::add);
    }

    /** Waits until one window passes with the processes idle, or {@link #MAX_WAIT} has passed. */
    void await() {
        long start = System.nanoTime();
        long deadline = start + MAX_WAIT.toNanos();
        long before = cpuNanos();
        if (before < 0) return; // this platform does not report CPU time: nothing to wait on
        while (true) {
            sleep(WINDOW);
            long now = cpuNanos();
            if (now - before <= IDLE.toNanos()) break;
            if (System.nanoTime() >= deadline) {
                gaveUp++;
                break;
            }
            before = now;
        }
        waitedNanos += System.nanoTime() - start;
    }

    /** What the waits came to, for the report. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "waited %.1f s in all for the processes to go idle before timed runs%s", waitedNanos / 1e9,
                gaveUp == 0 ? "" : " (" + gaveUp + " time(s) still busy after " + MAX_WAIT.toSeconds() + " s, timed anyway)");
    }

    /** Total CPU time of the processes, or -1 where it is not known. */
    private long cpuNanos() {
        long sum = 0;
        for (ProcessHandle p : processes) {
            Optional<Duration> cpu = p.info().totalCpuDuration();
            if (cpu.isEmpty()) return -1;
            sum += cpu.get().toNanos();
        }
        return sum;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the machine to go idle", e);
        }
    }
}
