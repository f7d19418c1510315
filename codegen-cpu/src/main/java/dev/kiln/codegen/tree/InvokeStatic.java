package dev.kiln.codegen.tree;

import java.lang.reflect.Method;
import java.util.List;

/** Calls a public static method, resolved by reflection from the argument types. */
public record InvokeStatic(Class<?> owner, String method, List<JExpr> args) implements JExpr {
    public InvokeStatic {
        args = List.copyOf(args);
        Members.method(owner, method, Invocations.types(args), true);
    }

    /** The resolved method. */
    public Method resolved() {
        return Members.method(owner, method, Invocations.types(args), true);
    }

    @Override
    public JType type() {
        return JType.of(resolved().getReturnType());
    }
}
