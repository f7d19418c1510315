package dev.kiln.runtime.hash;

import dev.kiln.runtime.memory.QueryMemory;
import java.lang.foreign.MemorySegment;

/** Append-only off-heap bytes for the strings of hash-table keys and payloads. */
public final class StringHeap {
    private final QueryMemory mem;
    private MemorySegment segment;
    private long used;

    public StringHeap(QueryMemory mem) {
        this.mem = mem;
        this.segment = mem.allocate(4096);
    }

    /** Copies the bytes in and returns their offset; {@link #segment} may move. */
    public long append(MemorySegment src, long off, int len) {
        if (used + len > segment.byteSize()) segment = mem.reallocate(segment, Math.max(segment.byteSize() * 2, used + len));
        MemorySegment.copy(src, off, segment, used, len);
        long at = used;
        used += len;
        return at;
    }

    /**
     * Appends all bytes of {@code other} and returns the offset where they start here (add it
     * to the offsets that pointed into {@code other}).
     */
    public long appendAll(StringHeap other) {
        return appendAll(other.segment, other.used);
    }

    /** Appends the first {@code bytes} bytes of {@code src}; returns where they start here. */
    public long appendAll(MemorySegment src, long bytes) {
        long at = used;
        if (bytes == 0) return at;
        if (used + bytes > segment.byteSize()) segment = mem.reallocate(segment, Math.max(segment.byteSize() * 2, used + bytes));
        MemorySegment.copy(src, 0, segment, used, bytes);
        used += bytes;
        return at;
    }

    public long used() {
        return used;
    }

    /** Gives the bytes back to the query; the heap is unusable afterwards. */
    public void free() {
        if (segment == null) return;
        mem.free(segment);
        segment = null;
    }

    public MemorySegment segment() {
        return segment;
    }

    public void reset() {
        used = 0;
    }
}
