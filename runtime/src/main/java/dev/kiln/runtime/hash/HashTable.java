package dev.kiln.runtime.hash;

import dev.kiln.runtime.memory.QueryMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A bucket-chained hash table of fixed-size entries, all in one growable segment so generated
 * code addresses an entry by its byte offset (which never changes; the segment may move, so
 * re-read {@link #entries} after {@link #insert}). Each entry starts with the full hash and the
 * offset of the next entry of its bucket; the generated code owns the rest of the layout
 * (keys, payload, aggregate states) and does the key comparisons itself.
 */
public final class HashTable {
    /** [0,8) hash, [8,16) next entry offset in the bucket, -1 at the end. */
    public static final int HEADER = 16;

    private final QueryMemory mem;
    private final int entryBytes;
    private final StringHeap strings;
    private MemorySegment entries;
    private long capacity;
    private long size;
    /** bucket heads as entry offset + 1 (0 = empty, so fresh memory is an empty directory) */
    private MemorySegment directory;
    private int bits;

    public HashTable(QueryMemory mem, int entryBytes, long expectedEntries) {
        if (entryBytes < HEADER || entryBytes % 8 != 0) throw new IllegalArgumentException("entry size must be a multiple of 8 and at least " + HEADER);
        this.mem = mem;
        this.entryBytes = entryBytes;
        this.strings = new StringHeap(mem);
        // an estimate can be far off: start at most at 4M entries and let doubling do the rest
        this.capacity = Math.max(16, Math.min(expectedEntries, 1L << 22));
        this.entries = mem.allocate(capacity * entryBytes);
        this.bits = Math.max(4, 64 - Long.numberOfLeadingZeros(capacity * 2 - 1));
        this.directory = mem.allocate((1L << bits) * 8);
    }

    public MemorySegment entries() {
        return entries;
    }

    public StringHeap strings() {
        return strings;
    }

    public long size() {
        return size;
    }

    public int entryBytes() {
        return entryBytes;
    }

    private long bucket(long hash) {
        return (hash >>> (64 - bits)) << 3;
    }

    public long head(long hash) {
        return directory.get(ValueLayout.JAVA_LONG_UNALIGNED, bucket(hash)) - 1;
    }

    public long next(long entry) {
        return entries.get(ValueLayout.JAVA_LONG_UNALIGNED, entry + 8);
    }

    /** Appends a zeroed entry with this hash at the head of its bucket; returns its offset. */
    public long insert(long hash) {
        if (size == capacity) {
            capacity *= 2;
            entries = mem.reallocate(entries, capacity * entryBytes);
        }
        long e = size * entryBytes;
        size++;
        entries.set(ValueLayout.JAVA_LONG_UNALIGNED, e, hash);
        if (size * 2 > (1L << bits)) {
            grow();
        } else {
            link(e, hash);
        }
        return e;
    }

    private void link(long e, long hash) {
        long b = bucket(hash);
        entries.set(ValueLayout.JAVA_LONG_UNALIGNED, e + 8, directory.get(ValueLayout.JAVA_LONG_UNALIGNED, b) - 1);
        directory.set(ValueLayout.JAVA_LONG_UNALIGNED, b, e + 1);
    }

    /**
     * The partition (0 ≤ p < parts) of a hash, for splitting work between threads. It uses the
     * low bits, so the entries of one partition still spread over a whole bucket directory
     * (which is indexed by the top bits).
     */
    public static int partition(long hash, int parts) {
        return (int) (((hash & 0xFFFF_FFFFL) * parts) >>> 32);
    }

    /**
     * Moves every entry of {@code other} (same entry layout) into this table and frees
     * {@code other}: the entries are copied in one block, the strings they reference are
     * appended to this table's heap, and the string slots (byte offsets within an entry of a
     * heap offset; the length follows it) are relocated. Parallel hash-join builds fill one
     * table per thread and absorb them into the first.
     */
    public void absorb(HashTable other, int[] stringSlots) {
        if (other.entryBytes != entryBytes) throw new IllegalArgumentException("cannot absorb a table with another entry layout");
        long n = other.size;
        if (n > 0) {
            if (size + n > capacity) {
                while (size + n > capacity) capacity *= 2;
                entries = mem.reallocate(entries, capacity * entryBytes);
            }
            long base = size * entryBytes;
            MemorySegment.copy(other.entries, 0, entries, base, n * entryBytes);
            if (stringSlots.length > 0) {
                long delta = strings.appendAll(other.strings);
                if (delta != 0) {
                    for (long e = base, end = base + n * entryBytes; e < end; e += entryBytes) {
                        for (int slot : stringSlots) {
                            entries.set(ValueLayout.JAVA_LONG_UNALIGNED, e + slot, entries.get(ValueLayout.JAVA_LONG_UNALIGNED, e + slot) + delta);
                        }
                    }
                }
            }
            long first = size;
            size += n;
            if (size * 2 > (1L << bits)) {
                while (size * 2 > (1L << bits)) bits++;
                bits--; // grow() adds the last one
                grow();
            } else {
                for (long i = first; i < size; i++) {
                    long e = i * entryBytes;
                    link(e, entries.get(ValueLayout.JAVA_LONG_UNALIGNED, e));
                }
            }
        }
        other.free();
    }

    /** Gives this table's memory back to the query early (the table is unusable afterwards). */
    public void free() {
        if (entries == null) return;
        mem.free(entries);
        mem.free(directory);
        strings.free();
        entries = null;
        directory = null;
    }

    /** Doubles the directory and relinks every entry (entry offsets stay). */
    private void grow() {
        mem.free(directory);
        bits++;
        directory = mem.allocate((1L << bits) * 8);
        for (long i = 0; i < size; i++) {
            long e = i * entryBytes;
            link(e, entries.get(ValueLayout.JAVA_LONG_UNALIGNED, e));
        }
    }
}
