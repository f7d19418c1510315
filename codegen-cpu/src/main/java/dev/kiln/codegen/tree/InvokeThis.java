package dev.kiln.codegen.tree;

import java.util.List;

/**
 * Calls another instance method of the generated class (used when the builder splits a large
 * method). The emitter checks it against the class's {@link MethodDef}s.
 */
public record InvokeThis(String method, JType returnType, List<JExpr> args) implements JExpr {
    public InvokeThis {
        Names.requireIdentifier(method, "method");
        args = List.copyOf(args);
    }

    @Override
    public JType type() {
        return returnType;
    }
}
