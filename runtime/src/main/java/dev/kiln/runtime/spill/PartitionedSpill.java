package dev.kiln.runtime.spill;

import dev.kiln.ir.KilnException;
import dev.kiln.runtime.hash.HashTable;
import dev.kiln.runtime.memory.QueryMemory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries of hash tables that outgrew their memory, on local disk, split by hash into
 * {@link #PARTITIONS} files. Each {@link #write} appends runs — {@code [n][heap bytes][n
 * entries][their strings]} — to the partition files, so a partition can later be loaded alone
 * into a table (for a pass of a partitioned hash join, or a partition of an aggregation's final
 * merge) in a fraction of the memory of the whole. Thread-safe: all workers of a pipeline share
 * one spill.
 */
public final class PartitionedSpill implements AutoCloseable {
    /** Fine partitions: passes and merge tasks take contiguous ranges of them, sized to the memory. */
    public static final int PARTITIONS = HashTable.FROZEN_PARTITIONS;
    private static final int STAGING = 1 << 22;

    private final SpillSpace space;
    private final String name;
    private final int entryBytes;
    private final int[] stringSlots;
    private final FileChannel[] files = new FileChannel[PARTITIONS];
    private final long[] fileBytes = new long[PARTITIONS];
    private final long[] entryCounts = new long[PARTITIONS];
    /** positions of the runs in each partition file */
    private final List<List<Long>> runs = new ArrayList<>();
    /** staging buffer for one run (outside the query budget: it is what lets an over-budget query go on) */
    private MemorySegment staging;
    private final Arena stagingArena = Arena.ofShared();

    public PartitionedSpill(SpillSpace space, String name, int entryBytes, int[] stringSlots) {
        this.space = space;
        this.name = name;
        this.entryBytes = entryBytes;
        this.stringSlots = stringSlots.clone();
        for (int p = 0; p < PARTITIONS; p++) runs.add(new ArrayList<>());
        space.register(this);
    }

    /** Appends every entry of {@code t} (same layout) to its partition's file; {@code t} is left unchanged. */
    public synchronized void write(HashTable t) {
        long n = t.size();
        if (n == 0) return;
        if (n > Integer.MAX_VALUE) throw new KilnException("cannot spill a hash table of " + n + " entries at once");
        MemorySegment ents = t.entries();
        MemorySegment heap = t.strings().segment();
        // counting sort of entry indexes by partition: one pass over the table, then one per partition's own entries
        int[] partOf = new int[(int) n];
        int[] start = new int[PARTITIONS + 1];
        for (int i = 0; i < n; i++) {
            int p = HashTable.partition(ents.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) i * entryBytes), PARTITIONS);
            partOf[i] = p;
            start[p + 1]++;
        }
        for (int p = 0; p < PARTITIONS; p++) start[p + 1] += start[p];
        int[] order = new int[(int) n];
        int[] fill = start.clone();
        for (int i = 0; i < n; i++) order[fill[partOf[i]]++] = i;
        for (int p = 0; p < PARTITIONS; p++) {
            int i = start[p];
            while (i < start[p + 1]) i = writeRun(p, ents, heap, order, i, start[p + 1]);
        }
    }

    /** Writes entries order[from..] of partition p, as many as fit the staging buffer (at least one); returns where it stopped. */
    private int writeRun(int p, MemorySegment ents, MemorySegment heap, int[] order, int from, int to) {
        long entryArea = 0;
        long heapArea = 0;
        int end = from;
        while (end < to) {
            long strings = stringBytes(ents, (long) order[end] * entryBytes);
            if (end > from && 16 + entryArea + entryBytes + heapArea + strings > STAGING) break;
            entryArea += entryBytes;
            heapArea += strings;
            end++;
        }
        long runBytes = 16 + entryArea + heapArea;
        MemorySegment buf = staging(runBytes);
        buf.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, end - from);
        buf.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, heapArea);
        long at = 16;
        long heapAt = 0;
        long heapBase = 16 + entryArea;
        for (int k = from; k < end; k++) {
            long e = (long) order[k] * entryBytes;
            MemorySegment.copy(ents, e, buf, at, entryBytes);
            for (int slot : stringSlots) {
                long off = ents.get(ValueLayout.JAVA_LONG_UNALIGNED, e + slot);
                long len = ents.get(ValueLayout.JAVA_LONG_UNALIGNED, e + slot + 8);
                MemorySegment.copy(heap, off, buf, heapBase + heapAt, len);
                buf.set(ValueLayout.JAVA_LONG_UNALIGNED, at + slot, heapAt);
                heapAt += len;
            }
            at += entryBytes;
        }
        append(p, buf.asSlice(0, runBytes));
        entryCounts[p] += end - from;
        return end;
    }

    private long stringBytes(MemorySegment ents, long e) {
        long total = 0;
        for (int slot : stringSlots) total += ents.get(ValueLayout.JAVA_LONG_UNALIGNED, e + slot + 8);
        return total;
    }

    private MemorySegment staging(long bytes) {
        if (staging == null || staging.byteSize() < bytes) staging = stagingArena.allocate(Math.max(STAGING, bytes), 8);
        return staging;
    }

    private void append(int p, MemorySegment run) {
        try {
            if (files[p] == null) {
                Path f = space.newFile(name + "-p" + p);
                files[p] = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            runs.get(p).add(fileBytes[p]);
            ByteBuffer bb = run.asByteBuffer();
            long pos = fileBytes[p];
            while (bb.hasRemaining()) pos += files[p].write(bb, pos);
            fileBytes[p] = pos;
            space.wrote(run.byteSize());
        } catch (IOException e) {
            throw new KilnException("cannot write spill data for " + name + ": " + e.getMessage()
                    + "; free disk space under -Dkiln.spill.dir or raise the memory budget (--memory)", e);
        }
    }

    /** Bytes on disk of partitions {@code [lo, hi)}: about what loading them takes. */
    public synchronized long bytes(int lo, int hi) {
        long b = 0;
        for (int p = lo; p < hi; p++) b += fileBytes[p];
        return b;
    }

    public synchronized long entries(int lo, int hi) {
        long n = 0;
        for (int p = lo; p < hi; p++) n += entryCounts[p];
        return n;
    }

    /**
     * Consecutive partition ranges, each as large as fits {@code bytesPerRange} (a single
     * partition always forms a range, however large), covering all partitions.
     */
    public synchronized List<int[]> ranges(long bytesPerRange) {
        List<int[]> out = new ArrayList<>();
        int lo = 0;
        long acc = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            if (p > lo && acc + fileBytes[p] > bytesPerRange) {
                out.add(new int[] {lo, p});
                lo = p;
                acc = 0;
            }
            acc += fileBytes[p];
        }
        out.add(new int[] {lo, PARTITIONS});
        return out;
    }

    /** Loads partitions {@code [lo, hi)} into a new hash table allocated from {@code mem}. */
    public HashTable load(int lo, int hi, QueryMemory mem) {
        HashTable t = new HashTable(mem, entryBytes, Math.max(16, entries(lo, hi)));
        for (int p = lo; p < hi; p++) {
            List<Long> positions;
            synchronized (this) {
                positions = List.copyOf(runs.get(p));
            }
            for (long pos : positions) loadRun(p, pos, t, mem);
        }
        return t;
    }

    private void loadRun(int p, long pos, HashTable into, QueryMemory mem) {
        try {
            ByteBuffer header = ByteBuffer.allocate(16).order(java.nio.ByteOrder.nativeOrder());
            readFully(p, header, pos);
            long n = header.getLong(0);
            long heapBytes = header.getLong(8);
            MemorySegment run = mem.allocate(n * entryBytes + heapBytes);
            try {
                readFully(p, run.asByteBuffer(), pos + 16);
                into.appendRun(run, n, run.asSlice(n * entryBytes), heapBytes, stringSlots);
            } finally {
                mem.free(run);
            }
        } catch (IOException e) {
            throw new KilnException("cannot read spill data of " + name + " back: " + e.getMessage(), e);
        }
    }

    private void readFully(int p, ByteBuffer bb, long pos) throws IOException {
        while (bb.hasRemaining()) {
            int r = files[p].read(bb, pos);
            if (r < 0) throw new IOException("spill file of partition " + p + " ends early");
            pos += r;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        IOException first = null;
        for (FileChannel f : files) {
            if (f == null) continue;
            try {
                f.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        stagingArena.close();
        if (first != null) throw first;
    }
}
