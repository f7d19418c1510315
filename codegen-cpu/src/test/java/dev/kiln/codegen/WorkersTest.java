package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The worker team's hand-offs: every body runs exactly once per call, on distinct threads, over
 * many calls in a row (spinning threads and parked ones); failures come back to the caller;
 * a call from inside a body, or after close, runs in line; an interrupted caller waits for the
 * bodies and then says so.
 */
class WorkersTest {
    @Test
    void everyBodyRunsOncePerCallOnItsOwnThread() throws Exception {
        try (Workers w = new Workers(3)) {
            int calls = 20_000;
            AtomicIntegerArray runs = new AtomicIntegerArray(3);
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            for (int c = 0; c < calls; c++) {
                int n = 2 + c % 2;
                Thread[] by = new Thread[n];
                w.forEach(n, i -> {
                    runs.incrementAndGet(i);
                    by[i] = Thread.currentThread();
                });
                assertEquals(n, java.util.Arrays.stream(by).distinct().count(), "call " + c + " ran two bodies on one thread");
                seen.addAll(java.util.List.of(by));
                // now and then let the team park, so that hand-offs wake parked threads too
                if (c % 5000 == 4999) Thread.sleep(5);
            }
            assertArrayEquals(new int[] {calls, calls, calls / 2}, new int[] {runs.get(0), runs.get(1), runs.get(2)});
            assertEquals(3, seen.size());
            assertTrue(seen.contains(Thread.currentThread()), "the caller runs body 0");
        }
    }

    @Test
    void failuresReachTheCallerAfterEveryBodyStopped() {
        try (Workers w = new Workers(2)) {
            AtomicIntegerArray done = new AtomicIntegerArray(2);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.forEach(2, i -> {
                done.set(i, 1);
                if (i == 1) throw new IllegalStateException("body 1 failed");
            }));
            assertEquals("body 1 failed", e.getMessage());
            assertEquals(1, done.get(0));
            e = assertThrows(IllegalStateException.class, () -> w.forEach(2, i -> {
                throw new IllegalStateException("body " + i);
            }));
            assertEquals(1, e.getSuppressed().length, "the second failure is kept as suppressed");
            // the team still works after failures
            AtomicIntegerArray runs = new AtomicIntegerArray(2);
            w.forEach(2, runs::incrementAndGet);
            assertArrayEquals(new int[] {1, 1}, new int[] {runs.get(0), runs.get(1)});
        }
    }

    @Test
    void nestedCallsAndCallsAfterCloseRunInLine() {
        Workers w = new Workers(2);
        AtomicIntegerArray inner = new AtomicIntegerArray(2);
        w.forEach(2, i -> w.forEach(2, inner::incrementAndGet));
        assertArrayEquals(new int[] {2, 2}, new int[] {inner.get(0), inner.get(1)});
        w.close();
        Thread[] by = new Thread[2];
        w.forEach(2, i -> by[i] = Thread.currentThread());
        assertEquals(Thread.currentThread(), by[0]);
        assertEquals(Thread.currentThread(), by[1]);
    }

    @Test
    void anInterruptedCallerWaitsForTheBodiesThenSaysSo() {
        try (Workers w = new Workers(2)) {
            AtomicIntegerArray finished = new AtomicIntegerArray(2);
            KilnException e = assertThrows(KilnException.class, () -> w.forEach(2, i -> {
                if (i == 0) {
                    Thread.currentThread().interrupt();
                } else {
                    long until = System.nanoTime() + 20_000_000;
                    while (System.nanoTime() < until) Thread.onSpinWait();
                }
                finished.set(i, 1);
            }));
            assertEquals("query interrupted", e.getMessage());
            assertEquals(1, finished.get(1), "body 1 had finished when the call returned");
            assertTrue(Thread.interrupted(), "the interrupt is kept");
        }
    }
}
