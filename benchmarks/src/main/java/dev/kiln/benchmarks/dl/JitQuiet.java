package dev.kiln.benchmarks.dl;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * The end of a warm-up: the JIT at rest. On a two-core machine a compiler thread still working
 * (a program's kernels, compiled after thousands of calls) takes one of the two cores a 2-thread
 * timed run needs, and did so for seconds after the fixed warm-up in a process that had compiled
 * other models first (minilm at batch 1 on 2 threads: 0.39x of ONNX Runtime after a 2-second
 * warm-up there, 0.79x after 8 seconds or alone in a process). So after its fixed warm-up each
 * side keeps running, half a second at a time, until a half second in which the JVM's compilers
 * worked less than {@link #QUIET_MS}, or for {@link #MAX_SECONDS} at most. Both peers warm up
 * this way; ONNX Runtime's calls compile next to nothing, so its warm-up ends at once.
 */
final class JitQuiet {
    private JitQuiet() {}

    /** Compilation time (all compiler threads) per half second below which the JIT counts as at rest. */
    static final long QUIET_MS = 10;
    /** The longest this adds to a warm-up. */
    static final double MAX_SECONDS = 20;

    interface Run {
        void run() throws Exception;
    }

    /** Runs {@code run} half a second at a time until the JIT is at rest (or {@link #MAX_SECONDS} have passed). */
    static void await(Run run) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return;
        long deadline = System.nanoTime() + (long) (MAX_SECONDS * 1e9);
        long before = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            do run.run(); while (System.nanoTime() - t0 < 500_000_000L);
            long now = jit.getTotalCompilationTime();
            if (now - before < QUIET_MS) return;
            before = now;
        }
    }
}
