package dev.kiln.runtime.spill;

import dev.kiln.ir.KilnException;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves materialized batches (a pipeline's collected rows, a sort's input and output) out of the
 * query's memory budget: each batch's column segments are written to a file of the query's spill
 * directory and mapped back read-only, and the in-memory segments are freed. The mapped batch reads
 * like any other; its pages belong to the operating system's page cache, which can drop them
 * under memory pressure and read them again, so the query keeps running within its budget.
 * Mappings live until the query's memory closes (with the spill directory).
 */
public final class BatchSpill {
    private BatchSpill() {}

    /** The fraction of the budget in use above which materialized batches go to disk. */
    public static final double THRESHOLD = 0.5;

    /** Should materialized batches leave memory now? */
    public static boolean overThreshold(QueryMemory mem) {
        return mem.budget() != Long.MAX_VALUE && mem.used() > mem.budget() * THRESHOLD;
    }

    /** {@code batches}, each spilled if it holds memory of this query; the others as they are. */
    public static List<Batch> offload(List<Batch> batches, QueryMemory mem) {
        List<Batch> out = new ArrayList<>(batches.size());
        for (Batch b : batches) out.add(offload(b, mem));
        return out;
    }

    /** The batch over a mapped spill file, its query-owned segments freed; unchanged if it owns none. */
    public static Batch offload(Batch b, QueryMemory mem) {
        List<MemorySegment> owned = new ArrayList<>();
        for (ColumnVector c : b.columns()) {
            for (MemorySegment s : List.of(c.values(), c.heap(), c.validity())) {
                if (mem.owns(s)) owned.add(s);
            }
        }
        if (owned.isEmpty() || b.rowCount() == 0) return b;
        SpillSpace space = mem.spill();
        Path file = space.newFile("batch");
        long total = 0;
        for (ColumnVector c : b.columns()) total += align(c.values().byteSize()) + align(c.heap().byteSize()) + align(c.validity().byteSize());
        MemorySegment mapped;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long pos = 0;
            for (ColumnVector c : b.columns()) {
                for (MemorySegment s : List.of(c.values(), c.heap(), c.validity())) {
                    write(ch, s, pos);
                    pos += align(s.byteSize());
                }
            }
            mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.max(total, 8), space.mappings());
        } catch (IOException e) {
            throw new KilnException("cannot spill " + b.rowCount() + " rows to " + file + ": " + e.getMessage()
                    + "; free disk space under -Dkiln.spill.dir or raise the memory budget (--memory)", e);
        }
        space.wrote(total);
        List<ColumnVector> cols = new ArrayList<>(b.columns().size());
        long pos = 0;
        for (ColumnVector c : b.columns()) {
            MemorySegment values = slice(mapped, pos, c.values());
            pos += align(c.values().byteSize());
            MemorySegment heap = slice(mapped, pos, c.heap());
            pos += align(c.heap().byteSize());
            MemorySegment validity = slice(mapped, pos, c.validity());
            pos += align(c.validity().byteSize());
            cols.add(new ColumnVector(c.type(), c.size(), values, heap, validity));
        }
        for (MemorySegment s : owned) mem.free(s);
        return new Batch(b.schema(), cols, b.rowCount());
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** The mapped bytes standing for {@code original}: an empty (NULL) segment stays NULL. */
    private static MemorySegment slice(MemorySegment mapped, long pos, MemorySegment original) {
        if (original.byteSize() == 0) return original.address() == 0 ? MemorySegment.NULL : mapped.asSlice(pos, 0);
        return mapped.asSlice(pos, original.byteSize());
    }

    private static void write(FileChannel ch, MemorySegment s, long pos) throws IOException {
        if (s.byteSize() == 0) return;
        ByteBuffer bb = s.asByteBuffer();
        while (bb.hasRemaining()) pos += ch.write(bb, pos);
    }
}
