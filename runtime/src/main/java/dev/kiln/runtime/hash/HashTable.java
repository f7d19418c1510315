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
    /** for a frozen table ({@link #frozenCopy}): where each hash partition's entries start, and the end */
    private long[] partitionStarts;
    private long flushAt = Long.MAX_VALUE;
    private java.util.function.Consumer<HashTable> flusher;
    private long capacity;
    private long size;
    /** bucket heads as entry offset + 1 (0 = empty, so fresh memory is an empty directory) */
    private MemorySegment directory;
    private int bits;
    private BloomFilter filter;
    private long spillLimit = Long.MAX_VALUE;
    private java.util.function.Consumer<HashTable> spiller;
    private boolean partial;
    private boolean firstPass = true;
    private int acceptLo;
    private int acceptHi = 1;
    private int acceptParts = 1;

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

    /** A frozen table: exactly {@code n} entries (sorted by partition), their strings, no directory. */
    private HashTable(QueryMemory mem, int entryBytes, MemorySegment entries, long n, StringHeap strings, long[] partitionStarts) {
        this.mem = mem;
        this.entryBytes = entryBytes;
        this.strings = strings;
        this.entries = entries;
        this.capacity = n;
        this.size = n;
        this.partitionStarts = partitionStarts;
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
        if (filter != null && !filter.mightContain(hash)) return -1;
        return directory.get(ValueLayout.JAVA_LONG_UNALIGNED, bucket(hash)) - 1;
    }

    /** Tables smaller than this fit the caches well enough that a filter in front only adds work. */
    public static final long FILTER_MIN_ENTRIES = 1 << 16;

    /**
     * For a finished join-build table: a Bloom filter over the keys' hashes that {@link #head}
     * consults first, so probes of absent keys mostly skip the bucket directory. Only for tables
     * of at least {@link #FILTER_MIN_ENTRIES}; the table must not change afterwards.
     */
    public void buildFilter() {
        if (size < FILTER_MIN_ENTRIES || filter != null) return;
        BloomFilter f = BloomFilter.forKeys(mem, size);
        for (long i = 0; i < size; i++) f.add(entries.get(ValueLayout.JAVA_LONG_UNALIGNED, i * entryBytes));
        filter = f;
    }

    public long next(long entry) {
        return entries.get(ValueLayout.JAVA_LONG_UNALIGNED, entry + 8);
    }

    /** Appends a zeroed entry with this hash at the head of its bucket; returns its offset. */
    public long insert(long hash) {
        if (size >= flushAt) {
            flusher.accept(this);
            clear();
        }
        if (spiller != null && size > 0) {
            long growth = growthBytes();
            if (growth > 0 && heldBytes() + growth > spillLimit) {
                spiller.accept(this);
                clear();
            }
        }
        if (size == capacity) {
            if (partitionStarts != null) throw new IllegalStateException("a frozen table cannot grow");
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

    /** Bytes the next insert allocates (0 unless the entries or the directory must grow). */
    private long growthBytes() {
        long g = 0;
        if (size == capacity) g += capacity * 2 * entryBytes;
        if ((size + 1) * 2 > (1L << bits)) g += (1L << (bits + 1)) * 8;
        return g;
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
        appendRun(other.entries, other.size, other.strings.segment(), other.strings.used(), stringSlots);
        other.free();
    }

    /**
     * Appends {@code n} entries laid out as this table's (the first {@code n * entryBytes} bytes
     * of {@code runEntries}) whose string slots point into {@code runHeap}: the entries are
     * copied in one block, the heap bytes appended to this table's heap, the string slots
     * relocated, and the entries linked into their buckets.
     */
    public void appendRun(MemorySegment runEntries, long n, MemorySegment runHeap, long heapBytes, int[] stringSlots) {
        if (n == 0) return;
        if (size + n > capacity) {
            while (size + n > capacity) capacity *= 2;
            entries = mem.reallocate(entries, capacity * entryBytes);
        }
        long base = size * entryBytes;
        MemorySegment.copy(runEntries, 0, entries, base, n * entryBytes);
        if (stringSlots.length > 0 && heapBytes > 0) {
            long delta = strings.appendAll(runHeap, heapBytes);
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

    /** The hash partitions a frozen table is sorted by (those of the disk spill, so both can be merged range by range). */
    public static final int FROZEN_PARTITIONS = 64;

    /**
     * Keeps the table small for the caches: before an insert that would take it past
     * {@code entries} entries, {@code flusher} receives the full table (all its entries complete,
     * none referenced by a half-processed row) and the table is emptied afterwards. Thread-local pre-aggregation uses
     * this: each worker's table stays cache-resident, the flusher keeps a {@link #frozenCopy}
     * (or spills the entries), and the runs are combined partition by partition at the end.
     */
    public void flushOver(long entries, java.util.function.Consumer<HashTable> flusher) {
        if (entries < 1) throw new IllegalArgumentException("flush threshold must be positive");
        this.flushAt = entries;
        this.flusher = flusher;
    }

    /**
     * A copy of this table's entries, reordered by {@linkplain #partition hash partition} of
     * {@code parts} (stable within a partition), with its own copy of the strings (at the same
     * offsets) and no bucket directory: it cannot be probed or grown, only read, range by range
     * ({@link #partitionStart}). This table is left unchanged.
     */
    public HashTable frozenCopy(int parts) {
        if (parts < 1) throw new IllegalArgumentException("need at least one partition");
        long[] starts = new long[parts + 1];
        int[] partOf = new int[Math.toIntExact(size)];
        for (int i = 0; i < size; i++) {
            int p = partition(entries.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) i * entryBytes), parts);
            partOf[i] = p;
            starts[p + 1]++;
        }
        for (int p = 0; p < parts; p++) starts[p + 1] += starts[p];
        long[] fill = starts.clone();
        MemorySegment sorted = mem.allocate(Math.max(1, size) * entryBytes);
        for (int i = 0; i < size; i++) {
            MemorySegment.copy(entries, (long) i * entryBytes, sorted, fill[partOf[i]]++ * entryBytes, entryBytes);
        }
        StringHeap heap = new StringHeap(mem);
        heap.appendAll(strings);
        return new HashTable(mem, entryBytes, sorted, size, heap, starts);
    }

    /** For a frozen table: the index of the first entry of partition {@code p} (the size for {@code p} = parts). */
    public long partitionStart(int p) {
        if (partitionStarts == null) throw new IllegalStateException("not a frozen table");
        return partitionStarts[p];
    }

    /** The number of partitions a frozen table is sorted by (0 for a live table). */
    public int partitions() {
        return partitionStarts == null ? 0 : partitionStarts.length - 1;
    }

    /**
     * Lets the table move its entries out when it would grow past {@code limitBytes}: before an
     * insert that needs more memory, {@code spiller} receives the full table (all its entries
     * complete, none referenced by a half-processed row) and the table is emptied afterwards.
     */
    public void spillOver(long limitBytes, java.util.function.Consumer<HashTable> spiller) {
        this.spillLimit = limitBytes;
        this.spiller = spiller;
    }

    /** Off-heap bytes this table holds (entries, bucket directory, strings). */
    public long heldBytes() {
        return entries.byteSize() + (directory == null ? 0 : directory.byteSize()) + strings.segment().byteSize();
    }

    /** Empties the table, keeping its memory for reuse. */
    public void clear() {
        if (partitionStarts != null) throw new IllegalStateException("a frozen table cannot be reused");
        entries.asSlice(0, size * entryBytes).fill((byte) 0); // insert() hands out zeroed entries
        size = 0;
        directory.fill((byte) 0);
        strings.reset();
    }

    /**
     * Restricts probes to the hash partitions {@code [lo, hi)} of {@code parts} (a spilled
     * build side loaded one range of partitions at a time); {@code firstPass} says whether rows
     * that belong to no partition (NULL keys: unmatched in every pass) are handled in this pass.
     */
    public void acceptOnly(int lo, int hi, int parts, boolean firstPass) {
        this.acceptLo = lo;
        this.acceptHi = hi;
        this.acceptParts = parts;
        this.partial = true;
        this.firstPass = firstPass;
    }

    /** Does a probe row with this key hash belong to the partitions loaded now? */
    public boolean accepts(long hash) {
        if (!partial) return true;
        int p = partition(hash, acceptParts);
        return p >= acceptLo && p < acceptHi;
    }

    /** Should probe rows with a NULL key (which match nothing) be handled now? */
    public boolean firstPass() {
        return firstPass;
    }

    /** Gives this table's memory back to the query early (the table is unusable afterwards). */
    public void free() {
        if (entries == null) return;
        mem.free(entries);
        if (directory != null) mem.free(directory);
        if (filter != null) filter.free(mem);
        filter = null;
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
