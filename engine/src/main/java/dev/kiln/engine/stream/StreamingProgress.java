package dev.kiln.engine.stream;

import java.util.Locale;

/**
 * What one micro-batch did.
 *
 * @param inputRows     rows read from the sources (bad records not counted)
 * @param outputRows    rows written to the sink (upserts and deletes)
 * @param durationNanos the batch's wall time, from reading to the commit
 * @param stateRows     entries kept by all stateful operators after the batch
 * @param watermark     the batch's watermark in microseconds since the epoch, Long.MIN_VALUE when none
 * @param lateRows      rows dropped (since the start) because the watermark had closed their window
 * @param badRecords    records the sources could not read, in this batch
 * @param endOffsets    each source's offset after this batch
 * @param sinkWrittenAt when the sink's write of this batch returned, in {@link System#nanoTime()} terms
 * @param phaseNanos    where the batch's time went: reading (and parsing) the sources, running the
 *                      incremental plan, writing the sink, committing state and logs
 */
public record StreamingProgress(long batchId, long inputRows, long outputRows, long durationNanos, long stateRows, long watermark,
                                long lateRows, long badRecords, java.util.Map<String, String> endOffsets, long sinkWrittenAt, Phases phaseNanos) {
    public record Phases(long read, long run, long sink, long commit) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "read %.1f ms, run %.1f ms, sink %.1f ms, commit %.1f ms", read / 1e6, run / 1e6, sink / 1e6, commit / 1e6);
        }
    }

    public StreamingProgress {
        endOffsets = java.util.Map.copyOf(endOffsets);
    }

    public double inputRowsPerSecond() {
        return durationNanos == 0 ? 0 : inputRows * 1e9 / durationNanos;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "batch %d: %d rows in, %d out, %.1f ms (%.0f rows/s), state %d rows, watermark %s%s%s",
                batchId, inputRows, outputRows, durationNanos / 1e6, inputRowsPerSecond(), stateRows,
                watermark == Long.MIN_VALUE ? "none" : dev.kiln.runtime.stream.RowCodec.fromMicros(watermark),
                lateRows > 0 ? ", " + lateRows + " late rows dropped" : "", badRecords > 0 ? ", " + badRecords + " bad records" : "");
    }
}
