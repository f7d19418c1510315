package dev.kiln.runtime.stream;

/** What a streaming query writes to its sink after each batch (the rules of Spark Structured Streaming). */
public enum OutputMode {
    /** Only rows that will never change again: new rows of a query without aggregation, or windows closed by the watermark. */
    APPEND,
    /** The rows that changed in this batch (new values of their keys); a key whose row disappeared is deleted. */
    UPDATE,
    /** The whole result after every batch; only for queries with an aggregation. */
    COMPLETE
}
