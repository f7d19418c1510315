package dev.kiln.runtime.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.fn.Hashing;
import org.junit.jupiter.api.Test;

class HyperLogLogTest {
    /** Three standard errors of p = 14 (1.04 / sqrt(16384) = 0.81%): a bound a correct sketch meets on these fixed inputs. */
    static final double BOUND = 3 * 1.04 / Math.sqrt(1 << 14);

    @Test
    void estimatesKnownDistinctCountsWithinThreeStandardErrors() {
        for (long n : new long[] {1_000, 10_000, 50_000, 200_000, 1_000_000, 3_000_000}) {
            HyperLogLog h = new HyperLogLog();
            for (int rep = 0; rep < 2; rep++) {
                for (long i = 0; i < n; i++) h.add(Hashing.hashLong(i * 7919 + 13)); // every value twice: duplicates must not count
            }
            double err = Math.abs(h.estimate() - n) / n;
            assertTrue(err < BOUND, "n=" + n + " estimate " + h.estimate() + " error " + err);
        }
    }

    @Test
    void smallCountsAreNearlyExactByLinearCounting() {
        for (int n : new int[] {0, 1, 2, 10, 100}) {
            HyperLogLog h = new HyperLogLog();
            for (int i = 0; i < n; i++) h.add(Hashing.hashLong(i));
            assertEquals(n, h.estimate(), Math.max(0.5, n * 0.01), "n=" + n);
        }
    }

    @Test
    void mergingIsTheSketchOfTheUnion() {
        HyperLogLog a = new HyperLogLog();
        HyperLogLog b = new HyperLogLog();
        HyperLogLog both = new HyperLogLog();
        for (long i = 0; i < 60_000; i++) {
            (i < 40_000 ? a : b).add(Hashing.hashLong(i));
            both.add(Hashing.hashLong(i));
        }
        for (long i = 20_000; i < 40_000; i++) b.add(Hashing.hashLong(i)); // overlap
        a.merge(b);
        assertEquals(both.estimate(), a.estimate(), 1e-9);
        assertTrue(Math.abs(a.estimate() - 60_000) / 60_000 < BOUND);
    }
}
