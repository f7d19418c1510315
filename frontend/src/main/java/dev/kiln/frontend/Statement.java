package dev.kiln.frontend;

import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.List;

/** A compiled SQL statement. */
public sealed interface Statement {
    /**
     * A query: its logical plan, whose schema's field names are the output column names, and the
     * STRUCTs it selected whole, whose fields are columns of the plan (a plan holds no struct)
     * that the result puts together again.
     */
    record Query(Rel plan, List<String> columnNames, List<StructColumn> structs) implements Statement {
        public Query {
            columnNames = List.copyOf(columnNames);
            structs = List.copyOf(structs);
        }

        public Query(Rel plan, List<String> columnNames) {
            this(plan, columnNames, List.of());
        }

        /** The result's columns: the plan's, with each selected struct's fields as one STRUCT column. */
        public Schema resultSchema() {
            return nest(plan.schema(), columnNames, structs);
        }

        /** The columns {@code flat} (named {@code names}) with each struct's fields as one STRUCT column. */
        public static Schema nest(Schema flat, List<String> names, List<StructColumn> structs) {
            List<Field> out = new ArrayList<>();
            int next = 0;
            for (StructColumn s : structs) {
                for (; next < s.first(); next++) out.add(flat.field(next).withName(names.get(next)));
                out.add(new Field(s.name(), s.type(), true));
                next += Schema.width(s.type());
            }
            for (; next < flat.size(); next++) out.add(flat.field(next).withName(names.get(next)));
            return new Schema(out);
        }
    }

    /** A STRUCT column of a query's result: its fields (flattened) are the plan's columns from {@code first} on. */
    record StructColumn(String name, int first, DataType.StructType type) {}

    record CreateView(String name, String sql, List<String> columnNames, boolean orReplace) implements Statement {}

    /** DROP VIEW; {@code cascade} drops the views that use it too, {@code restrict} refuses if there are any. */
    record DropView(String name, boolean ifExists, boolean cascade, boolean restrict) implements Statement {}
}
