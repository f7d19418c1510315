package dev.kiln.runtime.stream;

import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.vector.Batch;
import java.util.ArrayList;
import java.util.List;

/**
 * What one batch of a streaming query gives its sink.
 *
 * <ul>
 *   <li>APPEND: {@code upserts} are new rows; {@code deletes} is empty.</li>
 *   <li>UPDATE: {@code upserts} are the new rows of the keys that changed, {@code deletes} the keys
 *       (rows of the key columns) whose row is gone. A query without keys appends.</li>
 *   <li>COMPLETE: {@code upserts} is the whole result, replacing what the sink held.</li>
 * </ul>
 *
 * @param schema     the result's columns
 * @param keyColumns the columns that identify a row in UPDATE mode (the GROUP BY keys); empty otherwise
 * @param upserts    rows of {@code schema}
 * @param deletes    rows of the key columns only
 * @param keyed      UPDATE rows replace the row of their key: true for an aggregation's result, also
 *                   one without GROUP BY keys (a global aggregate, whose one row has the empty key)
 */
public record ChangeBatch(long batchId, OutputMode mode, Schema schema, List<Integer> keyColumns, List<Batch> upserts, List<Batch> deletes, boolean keyed) {
    public ChangeBatch {
        keyColumns = List.copyOf(keyColumns);
        upserts = List.copyOf(upserts);
        deletes = List.copyOf(deletes);
        if (!keyColumns.isEmpty() && !keyed) throw new IllegalArgumentException("key columns " + keyColumns + " but not keyed");
    }

    /** Keyed when it has key columns (in any mode: a COMPLETE or APPEND sink may key its records by them, as the Kafka sink does). */
    public ChangeBatch(long batchId, OutputMode mode, Schema schema, List<Integer> keyColumns, List<Batch> upserts, List<Batch> deletes) {
        this(batchId, mode, schema, keyColumns, upserts, deletes, !keyColumns.isEmpty());
    }

    public long upsertCount() {
        long n = 0;
        for (Batch b : upserts) n += b.rowCount();
        return n;
    }

    public long deleteCount() {
        long n = 0;
        for (Batch b : deletes) n += b.rowCount();
        return n;
    }

    /** The upserted rows, boxed (for sinks that write row by row and for tests). */
    public List<Object[]> upsertRows() {
        return box(upserts);
    }

    /** The deleted keys, boxed. */
    public List<Object[]> deleteRows() {
        return box(deletes);
    }

    private static List<Object[]> box(List<Batch> batches) {
        List<Object[]> rows = new ArrayList<>();
        for (Batch b : batches) {
            for (int r = 0; r < b.rowCount(); r++) {
                Object[] row = new Object[b.columns().size()];
                for (int c = 0; c < row.length; c++) row[c] = b.column(c).getObject(r);
                rows.add(row);
            }
        }
        return rows;
    }
}
