package dev.kiln.connectors.ysb;

/**
 * SplitMix64 (Steele, Lea and Flood, 2014) read at any position: draw k of the stream seeded by
 * s is {@code mix(s + (k + 1) * golden)}, so event i's draws cost the same whatever i is.
 */
final class SplitMix {
    private SplitMix() {}

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    static long draw(long seed, long k) {
        long z = seed + (k + 1) * GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
