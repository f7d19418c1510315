package dev.kiln.engine.stream;

/** What a streaming query does with records its source cannot read (bad JSON, a wrong type). */
public enum BadRecordPolicy {
    /** The query fails, naming the first bad record; nothing of the batch is written. */
    FAIL,
    /**
     * The bad records of each batch are written, exactly once, to {@code dead-letter/<batch>.txt}
     * in the checkpoint directory (where, reason, text), counted in the progress, and the good
     * rows go on.
     */
    DEAD_LETTER
}
