package dev.kiln.codegen.tree;

/** Reads a public instance field of a library object. */
public record GetField(JExpr target, Class<?> owner, String name, JType type) implements JExpr {
    public GetField {
        Members.field(owner, name, type, false);
        if (!JType.of(owner).isAssignableFrom(target.type())) {
            throw new IllegalArgumentException("GetField " + owner.getName() + "." + name + " on a " + target.type() + " target");
        }
    }
}
