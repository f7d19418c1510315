package dev.kiln.runtime.vector;

import dev.kiln.ir.type.Schema;
import java.util.List;

/** Up to {@link Table#MORSEL_ROWS} rows as one vector per column. */
public record Batch(Schema schema, List<ColumnVector> columns, int rowCount) {
    public Batch {
        columns = List.copyOf(columns);
    }

    public ColumnVector column(int i) {
        return columns.get(i);
    }
}
