package dev.kiln.codegen.tree;

/** Reads a public static field of a library class. */
public record StaticField(Class<?> owner, String name, JType type) implements JExpr {
    public StaticField {
        Members.field(owner, name, type, true);
    }
}
