package dev.kiln.runtime.stream;

import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import java.util.Optional;

/**
 * An unbounded, replayable source of rows. Positions are {@link SourceOffset}s: opaque to the
 * engine, written to the checkpoint's offsets log before a batch runs, so that after a crash the
 * same range can be read again and yields exactly the same rows (what exactly-once rests on).
 */
public interface StreamSource extends AutoCloseable {
    /** The row type of every batch this source yields. */
    Schema schema();

    /**
     * The position after the newest data available now; empty when the source has no data yet.
     * It never moves back, not even across a restart of the process (the engine reads from its
     * last committed offset up to this one).
     */
    Optional<SourceOffset> latest();

    /**
     * The newest offset, but at most {@code maxRows} rows past {@code start} (a batch-size cap, as
     * Spark's maxOffsetsPerTrigger). Sources that cannot count rows ignore the cap.
     */
    default Optional<SourceOffset> latest(Optional<SourceOffset> start, long maxRows) {
        return latest();
    }

    /**
     * The rows after {@code start} (exclusive; empty = from the very beginning) up to {@code end}
     * (inclusive), in source order. Records that cannot be read (bad JSON, a wrong type) are
     * returned as {@link BadRecord}s, never dropped silently; the query's policy decides what
     * happens to them.
     */
    SourceBatch read(Optional<SourceOffset> start, SourceOffset end, QueryMemory mem);

    /**
     * As {@link #read(Optional, SourceOffset, QueryMemory)}, yielding only {@code columns} (indexes
     * into {@link #schema()}, in that order): a source that can skip the other columns (not decode
     * them at all) overrides this; the default reads everything and drops the rest. Values of
     * skipped columns are not checked, so a bad value in a column no query reads is no bad record.
     */
    default SourceBatch read(Optional<SourceOffset> start, SourceOffset end, QueryMemory mem, java.util.List<Integer> columns) {
        SourceBatch all = read(start, end, mem);
        if (columns.size() == schema().size() && java.util.stream.IntStream.range(0, columns.size()).allMatch(i -> columns.get(i) == i)) return all;
        Schema s = schema().select(columns);
        java.util.List<dev.kiln.runtime.vector.Batch> out = new java.util.ArrayList<>();
        for (dev.kiln.runtime.vector.Batch b : all.batches()) {
            out.add(new dev.kiln.runtime.vector.Batch(s, columns.stream().map(b::column).toList(), b.rowCount()));
        }
        return new SourceBatch(out, all.badRecords());
    }

    /** Data up to {@code end} is committed and will not be read again (a source may release it). */
    default void commit(SourceOffset end) {}

    /** A one-line description for progress reports and errors, e.g. {@code kafka[ysb-events]}. */
    String describe();

    @Override
    default void close() {}
}
