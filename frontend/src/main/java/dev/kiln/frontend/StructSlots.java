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
 * projections at the top that put a selected struct together again ({@code ROW(...)}). A slot
 * maps one Calcite field to its column, or to its struct's fields' slots.
 */
final class StructSlots {
    private StructSlots() {}

    sealed interface Slot {}

    /** A field that is one column. */
    record Column(int index) implements Slot {}

    /** A struct field: its fields' names and slots. */
    record Struct(List<String> names, List<Slot> fields) implements Slot {
        Struct {
            names = List.copyOf(names);
            fields = List.copyOf(fields);
        }
    }

    /** A value of a row expression: one Kiln expression, or a struct of values. */
    sealed interface Value {}

    record One(Expr expr) implements Value {}

    record StructValue(List<String> names, List<Value> fields) implements Value {
        StructValue {
            names = List.copyOf(names);
            fields = List.copyOf(fields);
        }
    }

    /** The slots of a table's fields over its flattened columns. */
    static List<Slot> ofTable(Schema logical) {
        List<Slot> out = new ArrayList<>();
        int[] next = {0};
        for (Field f : logical.fields()) out.add(slot(f.type(), next));
        return out;
    }

    private static Slot slot(DataType t, int[] next) {
        if (!(t instanceof DataType.StructType s)) return new Column(next[0]++);
        List<Slot> fields = new ArrayList<>();
        for (Field f : s.fields()) fields.add(slot(f.type(), next));
        return new Struct(s.fields().stream().map(Field::name).toList(), fields);
    }

    static boolean hasStructs(List<Slot> slots) {
        return slots.stream().anyMatch(s -> s instanceof Struct);
    }

    /** The value a slot holds over {@code input}'s columns. */
    static Value value(Slot slot, Schema input) {
        return switch (slot) {
            case Column c -> new One(new ColumnRef(c.index(), input.field(c.index()).type(), input.field(c.index()).nullable()));
            case Struct s -> new StructValue(s.names(), s.fields().stream().map(f -> value(f, input)).toList());
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

    /** The STRUCT type of a struct slot over {@code schema}'s columns. */
    static DataType.StructType type(Struct s, Schema schema) {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < s.fields().size(); i++) {
            fields.add(switch (s.fields().get(i)) {
                case Column c -> schema.field(c.index()).withName(s.names().get(i));
                case Struct n -> new Field(s.names().get(i), type(n, schema), true);
            });
        }
        return new DataType.StructType(fields);
    }

    /** The paths of a struct slot's leaves below it ({@code .height}, {@code .size.width}), in column order. */
    static List<String> leafPaths(Struct s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.fields().size(); i++) {
            String path = "." + s.names().get(i);
            if (s.fields().get(i) instanceof Struct n) {
                for (String below : leafPaths(n)) out.add(path + below);
            } else {
                out.add(path);
            }
        }
        return out;
    }

    /** The first column of a slot's leaves. */
    static int first(Slot s) {
        return switch (s) {
            case Column c -> c.index();
            case Struct t -> first(t.fields().getFirst());
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
