package dev.kiln.runtime.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The off-heap memory of one compiled tensor program: its weights, its activation buffers and
 * its scratch, owned by one shared {@link Arena} and freed together by {@link #close()}. Every
 * segment is 64-byte aligned (a cache line, and an AVX-512 vector). With
 * {@code -Dkiln.memory.checked=true} each allocation gets its own arena, as in the runtime's
 * {@code QueryMemory}, so a use after close throws at the access rather than reading freed memory.
 * {@link #openCount()} counts the memories not yet closed, which is how tests check for leaks.
 */
public final class TensorMemory implements AutoCloseable {
    public static final long ALIGNMENT = 64;
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static final boolean CHECKED = Boolean.getBoolean("kiln.memory.checked");

    private final Arena arena;
    private final List<Arena> checkedArenas = new ArrayList<>();
    private long bytes;
    private boolean closed;

    public TensorMemory() {
        arena = Arena.ofShared();
        OPEN.incrementAndGet();
    }

    /** Zeroed floats, 64-byte aligned. */
    public synchronized MemorySegment allocateFloats(long count) {
        return allocate(count * Float.BYTES);
    }

    public synchronized MemorySegment allocate(long byteSize) {
        if (closed) throw new IllegalStateException("tensor memory already closed");
        long size = Math.max(ALIGNMENT, byteSize);
        bytes += size;
        if (CHECKED) {
            Arena own = Arena.ofShared();
            checkedArenas.add(own);
            return own.allocate(size, ALIGNMENT);
        }
        return arena.allocate(size, ALIGNMENT);
    }

    /** Bytes allocated so far. */
    public synchronized long bytes() {
        return bytes;
    }

    /** A copy of {@code values} in fresh aligned memory. */
    public MemorySegment copyOf(float[] values) {
        MemorySegment s = allocateFloats(values.length);
        MemorySegment.copy(values, 0, s, ValueLayout.JAVA_FLOAT, 0, values.length);
        return s;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Arena a : checkedArenas) a.close();
        arena.close();
        OPEN.decrementAndGet();
    }

    /** Tensor memories opened and not yet closed in this JVM. */
    public static int openCount() {
        return OPEN.get();
    }
}
