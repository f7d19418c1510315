package dev.kiln.connectors;

import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.VectorBuilder;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a table row by row into {@link Table#MORSEL_ROWS}-row batches, like the runtime's
 * {@code TableBuilder}, with two differences a loader needs: it sizes each batch from the
 * expected row count (no doubling copies when the count is known), and {@link #abandon} gives
 * back every byte allocated so far, so a load that fails half-way leaves nothing behind in the
 * caller's {@link QueryMemory}.
 */
public final class TableAssembler {
    private final String name;
    private final Schema schema;
    private final QueryMemory mem;
    private final long expectedRows;
    private final List<Batch> batches = new ArrayList<>();
    /** Every vector built so far, including those of a batch whose cut failed half-way. */
    private final List<ColumnVector> built = new ArrayList<>();
    /** Builders of the batch being filled; null between batches, entries null once built. */
    private VectorBuilder[] current;
    private long rowsBefore;
    private int rows;

    public TableAssembler(String name, Schema schema, QueryMemory mem, long expectedRows) {
        this.name = name;
        this.schema = schema;
        this.mem = mem;
        this.expectedRows = expectedRows;
    }

    /** The builder of column i for the current row; call {@link #endRow} after each row. */
    public VectorBuilder column(int i) {
        if (current == null) startBatch();
        return current[i];
    }

    public void endRow() {
        if (current == null) startBatch(); // a row of zero columns
        if (++rows == Table.MORSEL_ROWS) cut();
    }

    public Table finish() {
        if (rows > 0) cut();
        return new Table(name, schema, batches);
    }

    /** Frees everything this assembler allocated; it must not be used afterwards. */
    public void abandon() {
        if (current != null) {
            for (int i = 0; i < current.length; i++) {
                if (current[i] != null) built.add(current[i].build());
                current[i] = null;
            }
        }
        current = null;
        for (ColumnVector v : built) free(mem, v);
        built.clear();
        batches.clear();
    }

    /** Frees the memory of vectors that came from {@code mem} (e.g. a finished table no one will use). */
    public static void free(QueryMemory mem, List<Batch> batches) {
        for (Batch b : batches) {
            for (ColumnVector v : b.columns()) free(mem, v);
        }
    }

    /** Frees one vector whose segments came from {@code mem} (allocations that start at offset 0). */
    public static void free(QueryMemory mem, ColumnVector v) {
        // Builders slice their buffers from offset 0, so a vector's segments start where the
        // allocations start; NULL stands for "no heap" or "no NULLs" and was never allocated.
        for (MemorySegment s : new MemorySegment[] {v.values(), v.heap(), v.validity()}) {
            if (s.address() != 0) mem.free(s);
        }
    }

    private void startBatch() {
        long left = Math.max(expectedRows - rowsBefore, 1);
        int capacity = (int) Math.min(left, Table.MORSEL_ROWS);
        current = new VectorBuilder[schema.size()];
        for (int i = 0; i < current.length; i++) current[i] = new VectorBuilder(schema.field(i).type(), mem, capacity);
    }

    private void cut() {
        List<ColumnVector> cols = new ArrayList<>(current.length);
        for (int i = 0; i < current.length; i++) {
            ColumnVector v = current[i].build();
            current[i] = null;
            built.add(v);
            cols.add(v);
        }
        batches.add(new Batch(schema, cols, rows));
        rowsBefore += rows;
        rows = 0;
        current = null;
    }
}
