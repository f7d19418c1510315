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

    @Override
    public String toString() {
        return fields.toString();
    }
}
