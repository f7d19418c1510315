package dev.kiln.runtime.vector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One row's STRUCT value, boxed: its fields' names and values (each boxed as
 * {@link ColumnVector#getObject} boxes a column's, NULL as null), in the type's order.
 */
public record StructValue(List<String> names, List<Object> values) {
    public StructValue {
        names = List.copyOf(names);
        values = Collections.unmodifiableList(new ArrayList<>(values));
        if (names.size() != values.size()) throw new IllegalArgumentException(names.size() + " field names for " + values.size() + " values");
    }

    /** The value of the field {@code name} (ignoring case), or an error listing the fields. */
    public Object get(String name) {
        for (int i = 0; i < names.size(); i++) if (names.get(i).equalsIgnoreCase(name)) return values.get(i);
        throw new IllegalArgumentException("the struct has no field '" + name + "'; fields: " + names);
    }

    /** {@code {origin: x.png, height: 32, ...}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(names.get(i)).append(": ").append(values.get(i) == null ? "NULL" : values.get(i));
        }
        return sb.append('}').toString();
    }
}
