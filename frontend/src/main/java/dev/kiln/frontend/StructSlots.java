package dev.kiln.frontend;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the fields of a Calcite row sit among a Kiln plan's columns when some of them are
 * STRUCTs. Kiln plans hold a struct as its fields' columns ({@link Schema#flatten}); Calcite's
 * type flattening leaves two places where a whole struct is still named: the scan of a table
 * with a struct column (read by the field accesses of the projection right above it) and the
 * projections at the top that put a selected struct together again ({@code ROW(...)}). Such a
 * plan's fields are {@link Value}s whose leaves are references to its columns; a row
 * expression's value is one Kiln expression or a struct of values.
 */
final class StructSlots {
    private StructSlots() {}

    /** A value of a row expression: one Kiln expression, or a struct of values. */
    sealed interface Value {}

    record One(Expr expr) implements Value {}

    record StructValue(List<String> names, List<Value> fields) implements Value {
        StructValue {
            names = List.copyOf(names);
            fields = List.copyOf(fields);
        }
    }

    /** The fields of a table with STRUCT columns over its flattened columns ({@code flat}). */
    static List<Value> ofTable(Schema logical, Schema flat) {
        List<Value> out = new ArrayList<>();
        int[] next = {0};
        for (Field f : logical.fields()) out.add(columns(f.type(), flat, next));
        return out;
    }

    private static Value columns(DataType t, Schema flat, int[] next) {
        if (!(t instanceof DataType.StructType s)) return column(flat, next[0]++);
        List<Value> fields = new ArrayList<>();
        for (Field f : s.fields()) fields.add(columns(f.type(), flat, next));
        return new StructValue(s.fields().stream().map(Field::name).toList(), fields);
    }

    private static One column(Schema schema, int i) {
        return new One(new ColumnRef(i, schema.field(i).type(), schema.field(i).nullable()));
    }

    /**
     * The value {@code v} has once its leaves are columns of a projection, from column
     * {@code next[0]} of {@code schema} on.
     */
    static Value renumbered(Value v, Schema schema, int[] next) {
        return switch (v) {
            case One o -> column(schema, next[0]++);
            case StructValue s -> new StructValue(s.names(), s.fields().stream().map(f -> renumbered(f, schema, next)).toList());
        };
    }

    /** The Kiln expressions of a value's leaves, in order. */
    static List<Expr> leaves(Value v) {
        List<Expr> out = new ArrayList<>();
        leaves(v, out);
        return out;
    }

    private static void leaves(Value v, List<Expr> out) {
        switch (v) {
            case One o -> out.add(o.expr());
            case StructValue s -> s.fields().forEach(f -> leaves(f, out));
        }
    }

    /** The leaves' column names: the path below {@code name} ({@code image.height}). */
    static List<String> leafNames(String name, Value v) {
        List<String> out = new ArrayList<>();
        leafNames(name, v, out);
        return out;
    }

    private static void leafNames(String path, Value v, List<String> out) {
        switch (v) {
            case One o -> out.add(path);
            case StructValue s -> {
                for (int i = 0; i < s.fields().size(); i++) leafNames(path + "." + s.names().get(i), s.fields().get(i), out);
            }
        }
    }

    /** The STRUCT type of a struct value (its fields' types as Kiln derived them). */
    static DataType.StructType type(StructValue s) {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < s.fields().size(); i++) {
            fields.add(switch (s.fields().get(i)) {
                case One o -> new Field(s.names().get(i), o.expr().type(), o.expr().nullable());
                case StructValue n -> new Field(s.names().get(i), type(n), true);
            });
        }
        return new DataType.StructType(fields);
    }

    /** The first column of a value whose leaves are columns. */
    static int first(Value v) {
        return switch (v) {
            case One o -> ((ColumnRef) o.expr()).index();
            case StructValue s -> first(s.fields().getFirst());
        };
    }

    /** {@code s IS NULL}: a struct is NULL when all its fields are (SQL's rule for row values). */
    static Expr isNull(StructValue s) {
        List<Expr> each = leaves(s).stream().map(e -> TypeRules.isNull(e, false)).toList();
        return each.size() == 1 ? each.getFirst() : TypeRules.and(each);
    }

    /** The expression of a value that must be one: a struct here is an error that says what to write. */
    static Expr scalar(Value v, String where) {
        return switch (v) {
            case One o -> o.expr();
            case StructValue s -> throw new KilnException("a STRUCT (fields " + s.names() + ") cannot be used " + where
                    + ": name one of its fields, e.g. image." + s.names().getFirst());
        };
    }
}
