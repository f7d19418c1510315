package dev.kiln.connectors.kafka;

import dev.kiln.connectors.JsonRows;
import dev.kiln.runtime.vector.Batch;

/**
 * The default encoder: one flat JSON object per row, column names as keys
 * ({@code {"campaign_id":"c1","window_start":"2024-01-31 12:00:10","count":42}}), and the key
 * as the same kind of object of the key columns only, so that equal keys are equal bytes (what
 * log compaction and the default partitioner go by). Values as in {@link JsonRows}.
 */
public final class JsonRecordEncoder implements RecordEncoder {
    private final JsonRows json = new JsonRows();

    @Override
    public byte[] key(Batch batch, int row, int[] keyColumns) {
        return json.row(batch, row, keyColumns);
    }

    @Override
    public byte[] value(Batch batch, int row) {
        return json.row(batch, row);
    }
}
