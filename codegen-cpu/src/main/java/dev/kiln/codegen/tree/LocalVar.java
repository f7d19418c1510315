package dev.kiln.codegen.tree;

/**
 * A local variable (or method parameter) of generated code. The builder picks unique, valid
 * names; the ASM emitter maps each declaration to its own slot, the source printer prints the
 * name as is.
 */
public record LocalVar(String name, JType type) {
    public LocalVar {
        Names.requireIdentifier(name, "local variable");
        if (type == null || type.isVoid()) throw new IllegalArgumentException("local variable " + name + " needs a non-void type");
    }
}
