package dev.kiln.engine;

import dev.kiln.frontend.Statement;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the STRUCTs a query selected whole together again: a plan holds a struct as its fields'
 * columns, and its result's batches get one STRUCT column made of those columns (no copy).
 */
final class StructResults {
    private StructResults() {}

    /** The batches of a query's flat columns as the batches of {@code nested}, the query's result schema. */
    static List<Batch> nest(List<Batch> flat, Schema nested, List<Statement.StructColumn> structs) {
        if (structs.isEmpty()) return flat;
        List<Batch> out = new ArrayList<>(flat.size());
        for (Batch b : flat) {
            List<ColumnVector> cols = new ArrayList<>(nested.size());
            int[] next = {0};
            for (Field f : nested.fields()) cols.add(column(f.type(), b, next));
            out.add(new Batch(nested, cols, b.rowCount()));
        }
        return out;
    }

    private static ColumnVector column(DataType type, Batch b, int[] next) {
        if (!(type instanceof DataType.StructType s)) return b.column(next[0]++);
        List<ColumnVector> fields = new ArrayList<>(s.fields().size());
        for (Field f : s.fields()) fields.add(column(f.type(), b, next));
        return ColumnVector.struct(s, fields);
    }
}
