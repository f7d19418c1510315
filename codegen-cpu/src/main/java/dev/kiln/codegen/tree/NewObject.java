package dev.kiln.codegen.tree;

import java.lang.reflect.Constructor;
import java.util.List;

/** {@code new cls(args)}, with the public constructor resolved from the argument types. */
public record NewObject(Class<?> cls, List<JExpr> args) implements JExpr {
    public NewObject {
        args = List.copyOf(args);
        Members.constructor(cls, Invocations.types(args));
    }

    public Constructor<?> resolved() {
        return Members.constructor(cls, Invocations.types(args));
    }

    @Override
    public JType type() {
        return JType.of(cls);
    }
}
