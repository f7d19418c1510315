package dev.kiln.runtime.state;

import dev.kiln.runtime.fn.Hashing;
import dev.kiln.runtime.memory.MemoryBudgetExceededException;
import dev.kiln.runtime.memory.QueryMemory;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The in-memory part of a {@link StateStore}: byte-string keys and values, all off-heap.
 *
 * <p>The index is open addressing with linear probing, 16-byte slots {@code [hash][ref]} (ref =
 * record offset + 1; 0 = empty, -1 = tombstone). Slots never move except in a rehash, so removing
 * while walking the index is safe. Records live in one append-only data segment: {@code [keyLen]
 * [valLen][valCap][flags]} (4 bytes each), the key, then {@code valCap} bytes of value room. A
 * value that fits its record's room is overwritten in place (the common case: fixed-size
 * accumulators); a larger one gets a new record and the old one becomes garbage. When the data
 * segment fills up, the live records are copied tightly into a new one — the same size if that
 * leaves half of it free, else twice as large — so garbage never exceeds what live data uses,
 * and the copying costs O(1) per byte written, amortized.
 *
 * <p>Change tracking for incremental checkpoints: a record changed since the last commit is
 * {@link #DIRTY} and its slot is in the dirty list (so a commit costs O(changes), not O(state)).
 * Removing a key that the last commit had ({@link #IN_BASE}) leaves its record in the index as
 * {@link #REMOVED} until the commit writes the removal; removing a key born since the last commit
 * simply deletes it.
 *
 * <p>Not thread-safe: one operator owns it.
 */
final class OffHeapTable {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    static final int HEADER = 16;
    static final int DIRTY = 1;
    static final int IN_BASE = 2;
    static final int REMOVED = 4;
    /** transient, while the dirty list is deduplicated */
    private static final int MARK = 8;
    private static final long EMPTY = 0;
    private static final long TOMBSTONE = -1;
    private static final int SLOT = 16;
    private static final long MIN_SLOTS = 64;
    private static final long MIN_DATA = 4096;

    /** Visits one record: {@code valLen} is -1 for a removal. */
    @FunctionalInterface
    interface RecordVisitor {
        void visit(MemorySegment seg, long keyOff, int keyLen, long valOff, int valLen) throws IOException;
    }

    private final QueryMemory mem;
    private MemorySegment index;
    private long slots;
    private int shift;
    private MemorySegment data;
    private long dataUsed;
    /** bytes of the records the index refers to (the rest of dataUsed is garbage) */
    private long liveBytes;
    private long size;
    private long removedPending;
    private long tombstones;
    /** slot numbers of dirty records (may hold stale or repeated slots until deduplicated) */
    private MemorySegment dirty;
    private long dirtyCount;
    private int iterating;

    OffHeapTable(QueryMemory mem) {
        this.mem = mem;
        allocateIndex(MIN_SLOTS);
        data = mem.allocate(MIN_DATA);
        dirty = mem.allocate(8 * 64);
    }

    long size() {
        return size;
    }

    // ---- reads ----

    /** The value of the key at {@code k[off, off+len)}, or null. */
    byte[] get(MemorySegment k, long off, int len) {
        long s = find(k, off, len, Hashing.hashBytes(k, off, len));
        if (s < 0) return null;
        long rec = ref(s);
        if ((flags(rec) & REMOVED) != 0) return null;
        return copy(rec + HEADER + keyLen(rec), valLen(rec));
    }

    /** Calls {@code v} with every live entry (removals pending for the next commit excluded). */
    void forEachLive(RecordVisitor v) throws IOException {
        iterating++;
        try {
            for (long s = 0; s < slots; s++) {
                long r = index.get(LONG, s * SLOT + 8);
                if (r == EMPTY || r == TOMBSTONE) continue;
                long rec = r - 1;
                if ((flags(rec) & REMOVED) != 0) continue;
                int kl = keyLen(rec);
                v.visit(data, rec + HEADER, kl, rec + HEADER + kl, valLen(rec));
            }
        } finally {
            iterating--;
        }
    }

    /** Each key changed since the last commit, once: with its value, or as a removal (valLen -1). */
    void forEachDirty(RecordVisitor v) throws IOException {
        dedupeDirty();
        for (long i = 0; i < dirtyCount; i++) {
            long rec = ref(dirty.get(LONG, i * 8));
            int kl = keyLen(rec);
            boolean removed = (flags(rec) & REMOVED) != 0;
            v.visit(data, rec + HEADER, kl, rec + HEADER + kl, removed ? -1 : valLen(rec));
        }
    }

    // ---- writes ----

    void put(MemorySegment k, long koff, int klen, MemorySegment v, long voff, int vlen) {
        checkNotIterating();
        reserveDirty();
        long hash = Hashing.hashBytes(k, koff, klen);
        long s = find(k, koff, klen, hash);
        if (s >= 0) {
            long rec = ref(s);
            if (vlen > valCap(rec)) {
                reserve(HEADER + (long) klen + vlen); // may compact: re-read the record's offset after it
                rec = ref(s);
                long fresh = append(k, koff, klen, v, voff, vlen, flags(rec));
                liveBytes -= recordBytes(rec);
                index.set(LONG, s * SLOT + 8, fresh + 1);
                rec = fresh;
            } else {
                MemorySegment.copy(v, voff, data, rec + HEADER + klen, vlen);
                data.set(INT, rec + 4, vlen);
            }
            int f = flags(rec);
            if ((f & REMOVED) != 0) {
                removedPending--;
                size++;
            }
            setFlags(rec, (f & IN_BASE) | DIRTY);
            if ((f & DIRTY) == 0) addDirty(s);
            return;
        }
        if (size + removedPending + tombstones + 1 > slots / 4 * 3) rehash(slotsFor(size + removedPending + 1));
        reserve(HEADER + (long) klen + vlen);
        long rec = append(k, koff, klen, v, voff, vlen, DIRTY);
        long mask = slots - 1;
        long at = hash >>> shift;
        while (true) {
            long r = index.get(LONG, at * SLOT + 8);
            if (r == EMPTY) break;
            if (r == TOMBSTONE) {
                tombstones--;
                break;
            }
            at = (at + 1) & mask;
        }
        index.set(LONG, at * SLOT, hash);
        index.set(LONG, at * SLOT + 8, rec + 1);
        size++;
        addDirty(at);
    }

    boolean remove(MemorySegment k, long off, int len) {
        checkNotIterating();
        long s = find(k, off, len, Hashing.hashBytes(k, off, len));
        if (s < 0 || (flags(ref(s)) & REMOVED) != 0) return false;
        reserveDirty();
        removeAt(s);
        return true;
    }

    /** Removes each entry whose key passes {@code test}; {@code removed} (may be null) sees it first. */
    long removeIf(java.util.function.Predicate<byte[]> test, java.util.function.BiConsumer<byte[], byte[]> removed) {
        checkNotIterating();
        long n = 0;
        for (long s = 0; s < slots; s++) {
            long r = index.get(LONG, s * SLOT + 8);
            if (r == EMPTY || r == TOMBSTONE || (flags(r - 1) & REMOVED) != 0) continue;
            long rec = r - 1;
            byte[] key = copy(rec + HEADER, keyLen(rec));
            iterating++; // the callbacks must not change the table
            try {
                if (!test.test(key)) continue;
                if (removed != null) removed.accept(key, copy(rec + HEADER + key.length, valLen(rec)));
            } finally {
                iterating--;
            }
            reserveDirty();
            removeAt(s); // slots do not move: the walk goes on safely
            n++;
        }
        return n;
    }

    private void removeAt(long s) {
        long rec = ref(s);
        int f = flags(rec);
        size--;
        if ((f & IN_BASE) != 0) { // the last commit has it: the next one must write the removal
            setFlags(rec, IN_BASE | REMOVED | DIRTY);
            data.set(INT, rec + 4, 0);
            removedPending++;
            if ((f & DIRTY) == 0) addDirty(s);
        } else {
            index.set(LONG, s * SLOT + 8, TOMBSTONE);
            tombstones++;
            liveBytes -= recordBytes(rec);
        }
    }

    /** After a commit wrote the dirty entries: they become the new base; pending removals go. */
    void committed() {
        dedupeDirty();
        for (long i = 0; i < dirtyCount; i++) {
            long s = dirty.get(LONG, i * 8);
            long rec = ref(s);
            if ((flags(rec) & REMOVED) != 0) {
                index.set(LONG, s * SLOT + 8, TOMBSTONE);
                tombstones++;
                removedPending--;
                liveBytes -= recordBytes(rec);
            } else {
                setFlags(rec, IN_BASE);
            }
        }
        dirtyCount = 0;
        // give memory back after mass removals (closed windows evicted); best effort: each step
        // allocates its smaller segment before it changes anything, so one over budget is skipped
        try {
            if (slots > MIN_SLOTS && (size * 8 < slots || tombstones > slots / 4)) rehash(slotsFor(size));
            if (data.byteSize() > MIN_DATA && liveBytes * 8 < data.byteSize()) compact(Math.max(MIN_DATA, ceilPow2(liveBytes * 2)));
            long dirtyBytes = Math.max(8 * 64, slots); // at most 1/16 of the index, kept between batches
            if (dirty.byteSize() > dirtyBytes) dirty = mem.reallocate(dirty, dirtyBytes);
        } catch (MemoryBudgetExceededException e) {
            // the larger segments stay; the next commit tries again
        }
    }

    // ---- index ----

    private long find(MemorySegment k, long off, int len, long hash) {
        long mask = slots - 1;
        for (long s = hash >>> shift; ; s = (s + 1) & mask) {
            long r = index.get(LONG, s * SLOT + 8);
            if (r == EMPTY) return -1;
            if (r != TOMBSTONE && index.get(LONG, s * SLOT) == hash) {
                long rec = r - 1;
                int kl = keyLen(rec);
                if (kl == len && MemorySegment.mismatch(data, rec + HEADER, rec + HEADER + kl, k, off, off + len) == -1) return s;
            }
        }
    }

    /** The smallest power of two from MIN_SLOTS that holds {@code n} entries at most half full. */
    private static long slotsFor(long n) {
        long s = MIN_SLOTS;
        while (s / 2 < n) s <<= 1;
        return s;
    }

    private void allocateIndex(long n) {
        index = mem.allocate(n * SLOT);
        slots = n;
        shift = 64 - Long.numberOfTrailingZeros(n);
    }

    /** Re-inserts every record (pending removals included) into {@code n} slots; tombstones go. */
    private void rehash(long n) {
        MemorySegment old = index;
        long oldSlots = slots;
        allocateIndex(n);
        tombstones = 0;
        dirtyCount = 0; // slot numbers change: rebuild the dirty list from the records' flags
        long mask = n - 1;
        for (long s = 0; s < oldSlots; s++) {
            long r = old.get(LONG, s * SLOT + 8);
            if (r == EMPTY || r == TOMBSTONE) continue;
            long hash = old.get(LONG, s * SLOT);
            long at = hash >>> shift;
            while (index.get(LONG, at * SLOT + 8) != EMPTY) at = (at + 1) & mask;
            index.set(LONG, at * SLOT, hash);
            index.set(LONG, at * SLOT + 8, r);
            if ((flags(r - 1) & DIRTY) != 0) addDirty(at);
        }
        mem.free(old);
    }

    /**
     * Makes room for one more dirty slot before a change begins, so that a failed allocation (over
     * budget) leaves the table unchanged rather than a dirty record missing from the list — which
     * would silently drop it from the next delta. A rehash keeps the room: it rebuilds the list
     * with each dirty record once, never more entries than it held.
     */
    private void reserveDirty() {
        if (dirtyCount * 8 < dirty.byteSize()) return;
        if (dirtyCount >= slots) dedupeDirty(); // put/remove cycles of the same keys repeat slots
        if (dirtyCount * 8 > dirty.byteSize() / 2) dirty = mem.reallocate(dirty, dirty.byteSize() * 2);
    }

    private void addDirty(long s) {
        dirty.set(LONG, dirtyCount++ * 8, s);
    }

    /** Leaves each slot that holds a dirty record exactly once in the dirty list (stale and repeated slots go). */
    private void dedupeDirty() {
        long j = 0;
        for (long i = 0; i < dirtyCount; i++) {
            long s = dirty.get(LONG, i * 8);
            long r = index.get(LONG, s * SLOT + 8);
            if (r == EMPTY || r == TOMBSTONE) continue; // a key born and removed since the last commit
            int f = flags(r - 1);
            if ((f & DIRTY) == 0 || (f & MARK) != 0) continue;
            setFlags(r - 1, f | MARK);
            dirty.set(LONG, j++ * 8, s);
        }
        for (long i = 0; i < j; i++) {
            long rec = ref(dirty.get(LONG, i * 8));
            setFlags(rec, flags(rec) & ~MARK);
        }
        dirtyCount = j;
    }

    // ---- records ----

    /** Makes room for {@code bytes} more record bytes, compacting (and growing) the data segment if needed. */
    private void reserve(long bytes) {
        long cap = data.byteSize();
        if (dataUsed + bytes <= cap) return;
        long need = liveBytes + bytes;
        compact(need * 2 <= cap ? cap : Math.max(cap * 2, ceilPow2(need * 2)));
    }

    /** Copies the live records tightly into a new data segment of {@code cap} bytes. */
    private void compact(long cap) {
        MemorySegment fresh = mem.allocate(cap);
        long at = 0;
        for (long s = 0; s < slots; s++) {
            long r = index.get(LONG, s * SLOT + 8);
            if (r == EMPTY || r == TOMBSTONE) continue;
            long rec = r - 1;
            int kl = keyLen(rec);
            int vl = valLen(rec);
            MemorySegment.copy(data, rec, fresh, at, HEADER + (long) kl + vl);
            fresh.set(INT, at + 8, vl);
            index.set(LONG, s * SLOT + 8, at + 1);
            at += HEADER + (long) kl + vl;
        }
        mem.free(data);
        data = fresh;
        dataUsed = at;
        liveBytes = at;
    }

    private long append(MemorySegment k, long koff, int klen, MemorySegment v, long voff, int vlen, int flags) {
        long rec = dataUsed;
        data.set(INT, rec, klen);
        data.set(INT, rec + 4, vlen);
        data.set(INT, rec + 8, vlen);
        data.set(INT, rec + 12, flags);
        MemorySegment.copy(k, koff, data, rec + HEADER, klen);
        MemorySegment.copy(v, voff, data, rec + HEADER + klen, vlen);
        long bytes = HEADER + (long) klen + vlen;
        dataUsed += bytes;
        liveBytes += bytes;
        return rec;
    }

    private long ref(long s) {
        return index.get(LONG, s * SLOT + 8) - 1;
    }

    private int keyLen(long rec) {
        return data.get(INT, rec);
    }

    private int valLen(long rec) {
        return data.get(INT, rec + 4);
    }

    private int valCap(long rec) {
        return data.get(INT, rec + 8);
    }

    private int flags(long rec) {
        return data.get(INT, rec + 12);
    }

    private void setFlags(long rec, int f) {
        data.set(INT, rec + 12, f);
    }

    private long recordBytes(long rec) {
        return HEADER + (long) keyLen(rec) + valCap(rec);
    }

    private byte[] copy(long off, int len) {
        byte[] out = new byte[len];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, off, out, 0, len);
        return out;
    }

    private static long ceilPow2(long n) {
        return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }

    private void checkNotIterating() {
        if (iterating > 0) {
            throw new IllegalStateException("a state store cannot be changed from inside forEach or a removeIf callback; "
                    + "collect the changes and apply them after the walk, or remove entries with removeIf");
        }
    }
}
