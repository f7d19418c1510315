package dev.kiln.runtime.vector;

import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;

/** Builds a {@link Table} row by row or column by column, cutting 64K-row batches. */
public final class TableBuilder {
    private final String name;
    private final Schema schema;
    private final BatchCollector collector;

    public TableBuilder(String name, Schema schema, QueryMemory mem) {
        this.name = name;
        this.schema = schema;
        this.collector = new BatchCollector(schema, mem);
    }

    /** The builder of column i for the current row; call {@link #endRow} after each row. */
    public VectorBuilder column(int i) {
        return collector.builder(i);
    }

    public void endRow() {
        collector.rowAppended();
    }

    public void appendRow(Object... boxed) {
        if (boxed.length != schema.size()) {
            throw new IllegalArgumentException("row has " + boxed.length + " values but table " + name + " has " + schema.size() + " columns");
        }
        for (int i = 0; i < boxed.length; i++) collector.builder(i).appendObject(boxed[i]);
        collector.rowAppended();
    }

    public Table build() {
        return new Table(name, schema, collector.finish());
    }
}
