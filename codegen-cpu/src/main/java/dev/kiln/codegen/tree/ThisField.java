package dev.kiln.codegen.tree;

/** Reads an instance field of the generated class ({@code this.name}). */
public record ThisField(String name, JType type) implements JExpr {
    public ThisField {
        Names.requireIdentifier(name, "field");
        if (type == null || type.isVoid()) throw new IllegalArgumentException("field " + name + " needs a non-void type");
    }
}
