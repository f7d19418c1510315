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

    /** Data up to {@code end} is committed and will not be read again (a source may release it). */
    default void commit(SourceOffset end) {}

    /** A one-line description for progress reports and errors, e.g. {@code kafka[ysb-events]}. */
    String describe();

    @Override
    default void close() {}
}
