package dev.kiln.runtime.fn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** 64-bit hashes with well-mixed high bits (the hash table indexes buckets by the top bits). */
public final class Hashing {
    private Hashing() {}

    public static final long NULL_HASH = 0x5bd1e9955bd1e995L;
    private static final long M = 0x9E3779B97F4A7C15L;

    /** Stafford's mix13 finalizer over the value plus a constant (so 0 does not hash to 0). */
    public static long hashLong(long v) {
        long z = v + M;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static long hashInt(int v) {
        return hashLong(v);
    }

    /** Equal SQL doubles hash equally: -0.0 as 0.0, every NaN alike. */
    public static long hashDouble(double d) {
        if (d == 0.0) d = 0.0;
        return hashLong(Double.isNaN(d) ? 0x7ff8000000000000L : Double.doubleToRawLongBits(d));
    }

    public static long hashBytes(MemorySegment seg, long off, int len) {
        if (len <= 8) return hashLong(Strings.word(seg, off, len) ^ ((long) len << 56) * M);
        long h = len * M;
        long p = off;
        long end = off + len;
        while (p + 8 <= end) {
            h = Long.rotateLeft(h ^ hashLong(seg.get(ValueLayout.JAVA_LONG_UNALIGNED, p)), 27) * 5 + 0x52dce729;
            p += 8;
        }
        if (p < end) h ^= Strings.word(seg, p, (int) (end - p)) * M;
        return hashLong(h);
    }

    public static long combine(long h, long next) {
        return hashLong(h * 31 + next);
    }
}
