package dev.kiln.runtime.fn;

import dev.kiln.runtime.memory.QueryMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Off-heap bytes for strings computed per row (UPPER, LOWER, CONCAT, CAST to VARCHAR) so that
 * generated code can treat them like any other (segment, offset, length) view. Each pipeline
 * owns one and {@link #reset}s it between batches (after the batch's outputs are copied out).
 * The segment may move on a put: re-read {@link #segment} after every put. The length of the
 * string just put is {@code used() - offset}.
 */
public final class ScratchHeap {
    private final QueryMemory mem;
    private MemorySegment segment;
    private long used;

    public ScratchHeap(QueryMemory mem) {
        this.mem = mem;
        this.segment = mem.allocate(4096);
    }

    public MemorySegment segment() {
        return segment;
    }

    public long used() {
        return used;
    }

    public void reset() {
        used = 0;
    }

    private long reserve(long n) {
        if (used + n > segment.byteSize()) segment = mem.reallocate(segment, Math.max(segment.byteSize() * 2, used + n));
        long at = used;
        used += n;
        return at;
    }

    public long put(byte[] utf8) {
        long at = reserve(utf8.length);
        MemorySegment.copy(utf8, 0, segment, ValueLayout.JAVA_BYTE, at, utf8.length);
        return at;
    }

    public long put(String s) {
        return put(s.getBytes(StandardCharsets.UTF_8));
    }

    public long put(MemorySegment src, long off, int len) {
        long at = reserve(len);
        MemorySegment.copy(src, off, segment, at, len);
        return at;
    }

    /** a || b; returns the offset, the length is aLen + bLen. */
    public long putConcat(MemorySegment a, long aOff, int aLen, MemorySegment b, long bOff, int bLen) {
        long at = reserve((long) aLen + bLen);
        MemorySegment.copy(a, aOff, segment, at, aLen);
        MemorySegment.copy(b, bOff, segment, at + aLen, bLen);
        return at;
    }

    /** UPPER: ASCII bytes are mapped in place; text with other characters goes through Java's full case mapping. */
    public long putUpper(MemorySegment src, long off, int len) {
        return putCase(src, off, len, true);
    }

    public long putLower(MemorySegment src, long off, int len) {
        return putCase(src, off, len, false);
    }

    private long putCase(MemorySegment src, long off, int len, boolean upper) {
        for (long p = off; p < off + len; p++) {
            if (src.get(ValueLayout.JAVA_BYTE, p) < 0) {
                String s = Strings.toJavaString(src, off, len);
                return put(upper ? s.toUpperCase(Locale.ROOT) : s.toLowerCase(Locale.ROOT));
            }
        }
        long at = reserve(len);
        for (int i = 0; i < len; i++) {
            byte b = src.get(ValueLayout.JAVA_BYTE, off + i);
            if (upper ? b >= 'a' && b <= 'z' : b >= 'A' && b <= 'Z') b ^= 0x20;
            segment.set(ValueLayout.JAVA_BYTE, at + i, b);
        }
        return at;
    }
}
