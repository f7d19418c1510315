package dev.kiln.codegen.tree;

/** The null reference, typed so that overloads and ternaries stay unambiguous. */
public record NullConst(JType type) implements JExpr {
    public NullConst {
        if (type == null || !type.isReference()) throw new IllegalArgumentException("NullConst needs a reference type, got " + type);
    }
}
