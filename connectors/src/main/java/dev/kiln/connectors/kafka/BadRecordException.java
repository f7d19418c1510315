package dev.kiln.connectors.kafka;

/**
 * Thrown by a {@link RecordDecoder} for a record that is not a row (bad syntax, a wrong type, a
 * missing NOT NULL field). The source catches it, drops the half-set row and reports a
 * {@link dev.kiln.runtime.stream.BadRecord} with the record's topic-partition@offset and this
 * message as the reason. No stack trace: bad records can be many, and the where says enough.
 */
public final class BadRecordException extends RuntimeException {
    public BadRecordException(String reason) {
        super(reason, null, false, false);
    }
}
