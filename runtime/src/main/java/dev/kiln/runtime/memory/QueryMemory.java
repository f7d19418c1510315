package dev.kiln.runtime.memory;

import dev.kiln.ir.KilnException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.Map;

/**
 * Off-heap memory of one query (or of a session's tables), with a byte budget. Segments can be
 * read from any thread; each can be freed on its own (growable buffers free their old space as
 * soon as they move); {@link #close} releases whatever is left.
 *
 * <p>Why libc calloc/free through the FFM Linker and not one {@code Arena.ofShared()} per
 * allocation: closing a shared arena is a handshake with every Java thread (measured ~25 µs),
 * and a query makes thousands of buffers (one per column per 64K-row batch, plus growth), so the
 * handshakes would cost more than the work. Here every segment is scoped to one shared arena per
 * QueryMemory, closed once by {@link #close}: after that, any stale access fails with an
 * exception. The price: a segment used after its own {@link #free} (a generated-code bug such as
 * not re-reading {@code HashTable.entries()} after an insert) reads freed memory silently. To
 * catch such bugs, run with {@code -Dkiln.memory.checked=true} (the runtime's own tests do):
 * every allocation then gets its own shared arena, so a use after free throws.
 */
public final class QueryMemory implements AutoCloseable {
    private static final boolean CHECKED_BY_DEFAULT = Boolean.getBoolean("kiln.memory.checked");
    private static final MethodHandle CALLOC;
    private static final MethodHandle FREE;
    private static final MethodHandle REALLOC;

    static {
        Linker linker = Linker.nativeLinker();
        CALLOC = linker.downcallHandle(linker.defaultLookup().find("calloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        FREE = linker.downcallHandle(linker.defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        REALLOC = linker.downcallHandle(linker.defaultLookup().find("realloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    private final long budget;
    private final boolean checked;
    /** the lifetime of every segment handed out (fast mode) */
    private final Arena scope = Arena.ofShared();
    /** address → size of each live allocation */
    private final Map<Long, Long> sizes = new HashMap<>();
    /** address → its own arena (checked mode only) */
    private final Map<Long, Arena> arenas = new HashMap<>();
    private long used;
    private long peak;
    private boolean closed;
    private dev.kiln.runtime.spill.SpillSpace spill;

    /** @param budgetBytes the most bytes allocated at once; {@code Long.MAX_VALUE} for no limit */
    public QueryMemory(long budgetBytes) {
        this(budgetBytes, CHECKED_BY_DEFAULT);
    }

    /** @param checked one arena per allocation, so that a use after {@link #free} throws (slow; for tests) */
    public QueryMemory(long budgetBytes, boolean checked) {
        if (budgetBytes <= 0) throw new IllegalArgumentException("memory budget must be positive");
        this.budget = budgetBytes;
        this.checked = checked;
    }

    /** Zeroed, 8-byte aligned (malloc aligns to 16), counted against the budget. */
    public synchronized MemorySegment allocate(long bytes) {
        if (closed) throw new IllegalStateException("query memory is closed");
        if (bytes < 0) throw new IllegalArgumentException("negative allocation size " + bytes);
        long size = Math.max(bytes, 8);
        if (size > budget - used) throw new MemoryBudgetExceededException(size, used, budget);
        MemorySegment seg;
        if (checked) {
            Arena arena = Arena.ofShared();
            seg = arena.allocate(size, 8);
            arenas.put(seg.address(), arena);
        } else {
            MemorySegment raw;
            try {
                raw = (MemorySegment) CALLOC.invokeExact(1L, size);
            } catch (Throwable t) {
                throw new IllegalStateException("calloc failed", t);
            }
            if (raw.address() == 0) {
                throw new KilnException(String.format("out of native memory allocating %.1f MB (%.1f MB in use by this query)", size / 1e6, used / 1e6));
            }
            seg = raw.reinterpret(size, scope, null);
        }
        sizes.put(seg.address(), size);
        used += size;
        peak = Math.max(peak, used);
        return seg.asSlice(0, bytes);
    }

    /** A larger (or smaller) copy of {@code old}, zeroed past the copied bytes; the old segment is freed. */
    public MemorySegment reallocate(MemorySegment old, long newBytes) {
        if (!checked) return resize(old, newBytes);
        MemorySegment fresh = allocate(newBytes);
        MemorySegment.copy(old, 0, fresh, 0, Math.min(old.byteSize(), newBytes));
        free(old);
        return fresh;
    }

    /**
     * {@link #reallocate} in fast mode, by libc realloc: a large block is remapped rather than
     * copied (and its old pages are not unmapped, then faulted in again), which is what a buffer
     * growing by doublings - a column of images - spent most of its appending in.
     */
    private synchronized MemorySegment resize(MemorySegment old, long newBytes) {
        if (closed) throw new IllegalStateException("query memory is closed");
        if (newBytes < 0) throw new IllegalArgumentException("negative allocation size " + newBytes);
        Long oldSize = sizes.get(old.address());
        if (oldSize == null) throw new IllegalArgumentException("segment was not allocated by this QueryMemory (or freed twice)");
        long size = Math.max(newBytes, 8);
        if (size - oldSize > budget - used) throw new MemoryBudgetExceededException(size - oldSize, used, budget);
        MemorySegment raw;
        try {
            raw = (MemorySegment) REALLOC.invokeExact(MemorySegment.ofAddress(old.address()), size);
        } catch (Throwable t) {
            throw new IllegalStateException("realloc failed", t);
        }
        if (raw.address() == 0) {
            // the old block is untouched and still this query's
            throw new KilnException(String.format("out of native memory growing a buffer to %.1f MB (%.1f MB in use by this query)", size / 1e6, used / 1e6));
        }
        sizes.remove(old.address());
        sizes.put(raw.address(), size);
        used += size - oldSize;
        peak = Math.max(peak, used);
        MemorySegment seg = raw.reinterpret(size, scope, null);
        if (size > oldSize) seg.asSlice(oldSize, size - oldSize).fill((byte) 0); // zeroed past the kept bytes, as allocate's are
        return seg.asSlice(0, newBytes);
    }

    /** Is {@code seg} the start of a live allocation of this query (so {@link #free} may take it)? */
    public synchronized boolean owns(MemorySegment seg) {
        return !closed && seg.byteSize() > 0 && sizes.containsKey(seg.address());
    }

    public synchronized void free(MemorySegment seg) {
        Long size = sizes.remove(seg.address());
        if (size == null || closed) throw new IllegalArgumentException("segment was not allocated by this QueryMemory (or freed twice)");
        used -= size;
        if (checked) {
            arenas.remove(seg.address()).close();
        } else {
            freeNative(seg.address());
        }
    }

    private static void freeNative(long address) {
        try {
            FREE.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }

    /**
     * Counts {@code bytes} of on-heap working memory (e.g. the sorter's key arrays) against the
     * budget without allocating; give it back with {@link #release(long)}.
     */
    public synchronized void reserve(long bytes) {
        if (bytes > budget - used) throw new MemoryBudgetExceededException(bytes, used, budget);
        used += bytes;
        peak = Math.max(peak, used);
    }

    public synchronized void release(long bytes) {
        used -= bytes;
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

    /** This query's spill directory (created on first use, deleted by {@link #close}). */
    public synchronized dev.kiln.runtime.spill.SpillSpace spill() {
        if (closed) throw new IllegalStateException("query memory is closed");
        if (spill == null) spill = new dev.kiln.runtime.spill.SpillSpace();
        return spill;
    }

    /** Bytes this query has written to its spill directory. */
    public synchronized long spilledBytes() {
        return spill == null ? 0 : spill.bytesWritten();
    }

    /**
     * Frees every live allocation and deletes the spill files, as {@link #close} does (bytes held
     * through {@link #reserve} stay counted until released), but stays open for the next unit of
     * work: what a continuous query does after each tiny batch, since a close ends the shared
     * arena, which is a handshake with every Java thread (the VM thread stops each one, and the
     * caller waits for it: at thousands of tiny batches a second that wait and the context
     * switches dominated the tail latency). Segments handed out before are then stale: in the
     * default mode a use reads freed memory, as after {@link #free}; with {@code checked} it
     * throws.
     */
    public synchronized void releaseAll() {
        if (closed) throw new IllegalStateException("query memory is closed");
        try {
            if (spill != null) spill.close();
        } finally {
            spill = null;
            freeAll();
        }
    }

    /** Frees every live allocation; what {@link #reserve} holds stays counted. */
    private void freeAll() {
        if (checked) {
            for (Arena a : arenas.values()) a.close();
            arenas.clear();
        } else {
            for (long address : sizes.keySet()) freeNative(address);
        }
        for (long size : sizes.values()) used -= size;
        sizes.clear();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            if (spill != null) spill.close(); // deletes the spill files
        } finally {
            scope.close(); // from now on every segment of this query is inaccessible
            freeAll();
            used = 0;
        }
    }
}
