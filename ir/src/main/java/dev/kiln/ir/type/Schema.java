package dev.kiln.ir.type;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An ordered list of fields: the row type of a table or of a plan node. */
public record Schema(List<Field> fields) {
    public Schema {
        fields = List.copyOf(fields);
    }

    public static Schema of(Field... fields) {
        return new Schema(List.of(fields));
    }

    public int size() {
        return fields.size();
    }

    public Field field(int i) {
        return fields.get(i);
    }

    public List<String> names() {
        return fields.stream().map(Field::name).toList();
    }

    /** Case-insensitive lookup by name; the first match wins. */
    public Optional<Integer> indexOf(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equalsIgnoreCase(name)) return Optional.of(i);
        }
        return Optional.empty();
    }

    public Schema concat(Schema other) {
        List<Field> all = new ArrayList<>(fields);
        all.addAll(other.fields);
        return new Schema(all);
    }

    public Schema select(List<Integer> columns) {
        return new Schema(columns.stream().map(fields::get).toList());
    }

    /** Whether a field is a STRUCT. */
    public boolean hasStructs() {
        return fields.stream().anyMatch(f -> f.type() instanceof DataType.StructType);
    }

    /**
     * The schema as plans and columns hold it: each STRUCT field replaced by its fields (nested
     * ones too), named by their paths ({@code image.height}), nullable when the struct or the
     * field is. A struct is kept as its fields' columns and is NULL when all of them are (SQL's
     * rule for row values), so no column of its own is needed.
     */
    public Schema flatten() {
        if (!hasStructs()) return this;
        List<Field> out = new ArrayList<>();
        for (Field f : fields) flatten(f.name(), f, false, out);
        return new Schema(out);
    }

    private static void flatten(String path, Field f, boolean nullableAbove, List<Field> out) {
        if (f.type() instanceof DataType.StructType s) {
            for (Field c : s.fields()) flatten(path + "." + c.name(), c, nullableAbove || f.nullable(), out);
        } else {
            out.add(new Field(path, f.type(), nullableAbove || f.nullable()));
        }
    }

    /** How many columns a field of this type takes in a flattened schema. */
    public static int width(DataType t) {
        return t instanceof DataType.StructType s ? s.fields().stream().mapToInt(f -> width(f.type())).sum() : 1;
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
