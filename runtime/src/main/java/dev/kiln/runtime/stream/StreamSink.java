package dev.kiln.runtime.stream;

/**
 * Where a streaming query writes. Exactly-once output rests on this contract: after a crash the
 * engine may call {@link #write} again for the last batch id it wrote (or one it never finished),
 * with exactly the same changes; the sink must end up as if the batch had been written once
 * (idempotent writes fenced by the batch id, or a transaction committed together with the id).
 */
public interface StreamSink extends AutoCloseable {
    /**
     * The highest batch id whose write completed in the sink, if the sink can tell (a
     * transactional or fenced sink records it with the data); the engine then skips batches up to
     * it on recovery. -1 when none or unknown.
     */
    default long lastWrittenBatch() {
        return -1;
    }

    /** Writes one batch's changes; must be idempotent per batch id (see the class comment). */
    void write(ChangeBatch changes);

    /** A one-line description for progress reports and errors, e.g. {@code redis[127.0.0.1:6379]}. */
    String describe();

    @Override
    default void close() {}
}
