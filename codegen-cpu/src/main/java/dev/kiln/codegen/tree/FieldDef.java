package dev.kiln.codegen.tree;

/** A private, non-final instance field of the generated class. */
public record FieldDef(String name, JType type) {
    public FieldDef {
        Names.requireIdentifier(name, "field");
        if (type.isVoid()) throw new IllegalArgumentException("field " + name + " cannot be void");
    }
}
