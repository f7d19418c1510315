package dev.kiln.runtime.hash;

import dev.kiln.runtime.memory.QueryMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A register-blocked Bloom filter over the full 64-bit key hashes of a hash-join build side:
 * each key sets three bits of one 64-bit word, so a probe costs one memory access into a filter
 * of about one byte per key — small enough for the L2 cache when the table itself is not. A
 * probe row whose key is certainly absent skips the bucket lookup in the (large, cache-missing)
 * table: sideways information passing from the build side to the probe. False positives (about
 * 3% at one byte per key) only cost the lookup that would have happened anyway.
 */
public final class BloomFilter {
    private final MemorySegment words;
    private final long mask;

    private BloomFilter(MemorySegment words, long wordCount) {
        this.words = words;
        this.mask = wordCount - 1;
    }

    /** A filter for {@code keys} keys (one byte per key, rounded up to a power of two of words). */
    static BloomFilter forKeys(QueryMemory mem, long keys) {
        long wordCount = Long.highestOneBit(Math.max(1, keys / 8 - 1)) << 1;
        return new BloomFilter(mem.allocate(wordCount * 8), wordCount);
    }

    /** Three bit positions from bits of the hash that neither the word choice nor the bucket choice uses. */
    private static long bits(long hash) {
        return (1L << (hash >>> 20)) | (1L << (hash >>> 26)) | (1L << (hash >>> 32));
    }

    private long offset(long hash) {
        return (hash & mask) << 3;
    }

    void add(long hash) {
        long at = offset(hash);
        words.set(ValueLayout.JAVA_LONG_UNALIGNED, at, words.get(ValueLayout.JAVA_LONG_UNALIGNED, at) | bits(hash));
    }

    /** False only if no key with this hash was added. */
    public boolean mightContain(long hash) {
        long b = bits(hash);
        return (words.get(ValueLayout.JAVA_LONG_UNALIGNED, offset(hash)) & b) == b;
    }

    void free(QueryMemory mem) {
        mem.free(words);
    }
}
