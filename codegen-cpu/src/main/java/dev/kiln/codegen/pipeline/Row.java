package dev.kiln.codegen.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns of the row flowing through a pipeline at one point of the generated loop. Each
 * column knows how to produce its {@link Value}: scan columns emit a read from the batch's
 * segments where they are first used, computed columns are locals already assigned.
 */
record Row(List<Column> columns) {
    Row {
        columns = List.copyOf(columns);
    }

    interface Column {
        Value load(CodeBuilder cb);
    }

    /** A column whose value is already held in expressions (locals or constants). */
    record Fixed(Value value) implements Column {
        public Value load(CodeBuilder cb) {
            return value;
        }
    }

    Column get(int i) {
        return columns.get(i);
    }

    int size() {
        return columns.size();
    }

    Row concat(Row other) {
        List<Column> all = new ArrayList<>(columns);
        all.addAll(other.columns);
        return new Row(all);
    }

    Row select(List<Integer> indexes) {
        return new Row(indexes.stream().map(columns::get).toList());
    }
}
