package dev.kiln.runtime.stream;

import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a streaming query's result in memory, as a table the program can read at any time:
 * APPEND adds rows, UPDATE upserts and deletes by key, COMPLETE replaces everything. A batch id
 * at or below the last one written is ignored (idempotent, as the sink contract asks).
 */
public final class MemorySink implements StreamSink {
    private final String name;
    private final List<Object[]> appended = new ArrayList<>();
    private final Map<List<Object>, Object[]> keyed = new LinkedHashMap<>();
    private Schema schema;
    private long last = -1;
    private int writes;

    public MemorySink(String name) {
        this.name = name;
    }

    @Override
    public synchronized long lastWrittenBatch() {
        return last;
    }

    @Override
    public synchronized void write(ChangeBatch c) {
        if (c.batchId() <= last) return;
        schema = c.schema();
        switch (c.mode()) {
            case APPEND -> appended.addAll(c.upsertRows());
            case UPDATE -> {
                if (!c.keyed()) {
                    appended.addAll(c.upsertRows());
                } else {
                    for (Object[] k : c.deleteRows()) keyed.remove(Arrays.asList(k));
                    for (Object[] r : c.upsertRows()) keyed.put(c.keyColumns().stream().map(i -> r[i]).toList(), r);
                }
            }
            case COMPLETE -> {
                appended.clear();
                appended.addAll(c.upsertRows());
            }
        }
        last = c.batchId();
        writes++;
    }

    /** The sink's table now. */
    public synchronized List<Object[]> rows() {
        List<Object[]> all = new ArrayList<>(appended);
        all.addAll(keyed.values());
        return all;
    }

    public synchronized Schema schema() {
        return schema;
    }

    /** Batches written (ignored replays not counted). */
    public synchronized int writes() {
        return writes;
    }

    @Override
    public String describe() {
        return "memory[" + name + "]";
    }
}
