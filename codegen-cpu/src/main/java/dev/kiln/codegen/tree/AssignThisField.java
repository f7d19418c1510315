package dev.kiln.codegen.tree;

/** {@code this.name = value;} for a field of the generated class. */
public record AssignThisField(String name, JType type, JExpr value) implements JStmt {
    public AssignThisField {
        Names.requireIdentifier(name, "field");
        Assign.check(type, value, "field " + name);
    }
}
