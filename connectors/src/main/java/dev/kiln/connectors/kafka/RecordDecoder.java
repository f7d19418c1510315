package dev.kiln.connectors.kafka;

/**
 * Turns one Kafka record value into one row. The source calls {@link #decode} for every record
 * in offset order on one thread, with a {@link RowSink} whose columns are all unset; the decoder
 * sets the columns it finds (unset ones become NULL) and returns, or throws
 * {@link BadRecordException} and the row is dropped and reported. A decoder may keep scratch
 * state between calls but must not keep {@code value}: the array can be reused.
 *
 * <p>The bytes come straight from the consumer's record (no copy), and strings may be handed to
 * the sink as slices of them ({@link RowSink#setString(int, byte[], int, int)}), so a decoder
 * need not make an object per field.
 */
@FunctionalInterface
public interface RecordDecoder {
    /** Decodes {@code value[offset, offset + length)} into the columns of {@code out}. */
    void decode(byte[] value, int offset, int length, RowSink out);
}
