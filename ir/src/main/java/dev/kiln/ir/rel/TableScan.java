package dev.kiln.ir.rel;

import dev.kiln.ir.type.Schema;
import java.util.List;

/** Reads the listed columns (indexes into the table's schema) of a table, in that order. */
public record TableScan(TableRef table, List<Integer> columns) implements Rel {
    public TableScan {
        columns = List.copyOf(columns);
        for (int c : columns) {
            if (c < 0 || c >= table.schema().size()) {
                throw new IllegalArgumentException("table " + table.name() + " has no column #" + c);
            }
        }
    }

    public static TableScan all(TableRef table) {
        return new TableScan(table, java.util.stream.IntStream.range(0, table.schema().size()).boxed().toList());
    }

    @Override
    public Schema schema() {
        return table.schema().select(columns);
    }

    @Override
    public List<Rel> inputs() {
        return List.of();
    }

    @Override
    public Rel withInputs(List<Rel> newInputs) {
        if (!newInputs.isEmpty()) throw new IllegalArgumentException("TableScan has no inputs");
        return this;
    }
}
