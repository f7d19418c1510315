package dev.kiln.connectors.kafka;

import dev.kiln.runtime.vector.Batch;

/**
 * Turns result rows into Kafka record keys and values for {@link KafkaSink}. Called on the sink's
 * thread only; an encoder may reuse scratch space but must return a new array each time (the
 * producer keeps it until the record is sent).
 */
public interface RecordEncoder {
    /** The record key of row {@code row}: the values of {@code keyColumns} (indexes into the batch's columns). */
    byte[] key(Batch batch, int row, int[] keyColumns);

    /** The record value of row {@code row}: the whole row. */
    byte[] value(Batch batch, int row);
}
