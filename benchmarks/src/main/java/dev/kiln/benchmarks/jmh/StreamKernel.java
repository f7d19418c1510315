package dev.kiln.benchmarks.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The single-core stream bandwidth: one thread sums the longs of an off-heap segment far larger
 * than the caches ({@code mb} MiB, 512 by default), front to back. Four independent sums keep the
 * adds off the critical path, so memory, not the core, is the limit. The segment holds
 * 0, 1, 2, … (written in the set-up, which also makes every page resident), so the sum is known.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StreamKernel {
    @Param("512")
    public int mb;

    private Arena arena;
    private MemorySegment segment;

    @Setup
    public void setup() {
        prepare((long) mb << 20);
    }

    /** Allocates and fills {@code bytes} (a multiple of 32). */
    public void prepare(long bytes) {
        if (bytes <= 0 || bytes % 32 != 0) throw new IllegalArgumentException("the stream segment must be a positive multiple of 32 bytes, not " + bytes);
        arena = Arena.ofShared();
        segment = arena.allocate(bytes, 64);
        for (long i = 0, n = bytes / 8; i < n; i++) segment.setAtIndex(ValueLayout.JAVA_LONG, i, i);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    public long bytes() {
        return segment.byteSize();
    }

    @Benchmark
    public long sum() {
        MemorySegment s = segment;
        long s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (long off = 0, end = s.byteSize(); off < end; off += 32) {
            s0 += s.get(ValueLayout.JAVA_LONG, off);
            s1 += s.get(ValueLayout.JAVA_LONG, off + 8);
            s2 += s.get(ValueLayout.JAVA_LONG, off + 16);
            s3 += s.get(ValueLayout.JAVA_LONG, off + 24);
        }
        return s0 + s1 + s2 + s3;
    }
}
