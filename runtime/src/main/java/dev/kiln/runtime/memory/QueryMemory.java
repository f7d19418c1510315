package dev.kiln.runtime.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * Off-heap memory of one query (or of a session's tables), with a byte budget. Every allocation
 * is its own shared arena: growable buffers free their old space as soon as they move, segments
 * can be read from any thread, and {@link #close} releases whatever is left. Allocations are few
 * and large (buffers grow by doubling), so an arena per allocation costs nothing measurable.
 */
public final class QueryMemory implements AutoCloseable {
    private final long budget;
    private final Map<Long, Arena> arenas = new java.util.HashMap<>();
    private final Map<Long, Long> sizes = new java.util.HashMap<>();
    private long used;
    private long peak;
    private boolean closed;

    public QueryMemory(long budgetBytes) {
        if (budgetBytes <= 0) throw new IllegalArgumentException("memory budget must be positive");
        this.budget = budgetBytes;
    }

    /** Zeroed, 8-byte aligned, counted against the budget. */
    public synchronized MemorySegment allocate(long bytes) {
        if (closed) throw new IllegalStateException("query memory is closed");
        long size = Math.max(bytes, 8);
        if (used + size > budget) throw new MemoryBudgetExceededException(size, used, budget);
        Arena arena = Arena.ofShared();
        MemorySegment seg = arena.allocate(size, 8);
        arenas.put(seg.address(), arena);
        sizes.put(seg.address(), size);
        used += size;
        peak = Math.max(peak, used);
        return seg.asSlice(0, bytes);
    }

    /** A larger (or smaller) copy of {@code old}; the old segment is freed. */
    public MemorySegment reallocate(MemorySegment old, long newBytes) {
        MemorySegment fresh = allocate(newBytes);
        MemorySegment.copy(old, 0, fresh, 0, Math.min(old.byteSize(), newBytes));
        free(old);
        return fresh;
    }

    public synchronized void free(MemorySegment seg) {
        Arena arena = arenas.remove(seg.address());
        if (arena == null) throw new IllegalArgumentException("segment was not allocated by this QueryMemory (or freed twice)");
        used -= sizes.remove(seg.address());
        arena.close();
    }

    public synchronized long used() {
        return used;
    }

    public synchronized long peak() {
        return peak;
    }

    public long budget() {
        return budget;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Arena a : arenas.values()) a.close();
        arenas.clear();
        sizes.clear();
        used = 0;
    }

}
