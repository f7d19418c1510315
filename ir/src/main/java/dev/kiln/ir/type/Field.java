package dev.kiln.ir.type;

import java.util.Objects;

/** A named, typed column of a schema. */
public record Field(String name, DataType type, boolean nullable) {
    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public Field withName(String newName) {
        return new Field(newName, type, nullable);
    }

    @Override
    public String toString() {
        return name + " " + type.sql() + (nullable ? "" : " NOT NULL");
    }
}
