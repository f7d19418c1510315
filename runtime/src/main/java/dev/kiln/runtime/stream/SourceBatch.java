package dev.kiln.runtime.stream;

import dev.kiln.runtime.vector.Batch;
import java.util.List;

/** What a source read for one range of offsets: the good rows as batches, and the bad records. */
public record SourceBatch(List<Batch> batches, List<BadRecord> badRecords) {
    public SourceBatch {
        batches = List.copyOf(batches);
        badRecords = List.copyOf(badRecords);
    }

    public long rowCount() {
        long n = 0;
        for (Batch b : batches) n += b.rowCount();
        return n;
    }
}
