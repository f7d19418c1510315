package dev.kiln.runtime.vector;

import dev.kiln.ir.type.Schema;
import java.util.List;

/** A named, immutable list of batches. */
public record Table(String name, Schema schema, List<Batch> batches) {
    /** Rows per batch: large enough to amortize per-batch work, small enough to stay in cache-friendly chunks. */
    public static final int MORSEL_ROWS = 65536;

    public Table {
        batches = List.copyOf(batches);
    }

    public Table withName(String newName) {
        return new Table(newName, schema, batches);
    }

    public long rowCount() {
        long n = 0;
        for (Batch b : batches) n += b.rowCount();
        return n;
    }
}
