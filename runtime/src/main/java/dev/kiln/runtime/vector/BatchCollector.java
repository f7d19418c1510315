package dev.kiln.runtime.vector;

import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline sink that materializes rows column by column: generated code appends one value to
 * each {@link #builder} and then calls {@link #rowAppended}, which cuts a batch every
 * {@link Table#MORSEL_ROWS} rows.
 */
public final class BatchCollector {
    private final Schema schema;
    private final QueryMemory mem;
    private final List<Batch> batches = new ArrayList<>();
    private VectorBuilder[] builders;
    private int rows;

    public BatchCollector(Schema schema, QueryMemory mem) {
        this.schema = schema;
        this.mem = mem;
        this.builders = newBuilders(1024);
    }

    private VectorBuilder[] newBuilders(int capacity) {
        VectorBuilder[] b = new VectorBuilder[schema.size()];
        for (int i = 0; i < b.length; i++) b[i] = new VectorBuilder(schema.field(i).type(), mem, capacity);
        return b;
    }

    public VectorBuilder builder(int column) {
        return builders[column];
    }

    public void rowAppended() {
        if (++rows == Table.MORSEL_ROWS) cut(Table.MORSEL_ROWS);
    }

    private void cut(int nextCapacity) {
        List<ColumnVector> cols = new ArrayList<>(builders.length);
        for (VectorBuilder b : builders) cols.add(b.build());
        batches.add(new Batch(schema, cols, rows));
        rows = 0;
        builders = nextCapacity > 0 ? newBuilders(nextCapacity) : null;
    }

    /**
     * Cuts the rows appended so far into batches and hands them over; the collector goes on
     * collecting afterwards. Parallel pipelines drain after each morsel, so their output can be
     * put back in morsel order.
     */
    public List<Batch> drain() {
        if (rows > 0) cut(1024);
        List<Batch> out = List.copyOf(batches);
        batches.clear();
        return out;
    }

    /** The collected batches (an empty result has none). */
    public List<Batch> finish() {
        if (rows > 0) cut(0);
        return List.copyOf(batches);
    }
}
