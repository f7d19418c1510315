package dev.kiln.codegen.tree;

import java.lang.reflect.Method;
import java.util.List;

/**
 * Calls a public instance method of {@code owner} on {@code target}; an interface owner becomes
 * {@code invokeinterface}. The method is resolved by reflection from the argument types.
 */
public record InvokeVirtual(JExpr target, Class<?> owner, String method, List<JExpr> args) implements JExpr {
    public InvokeVirtual {
        args = List.copyOf(args);
        if (!JType.of(owner).isAssignableFrom(target.type())) {
            throw new IllegalArgumentException("cannot call " + owner.getName() + "." + method + " on a " + target.type() + " target");
        }
        Members.method(owner, method, Invocations.types(args), false);
    }

    public Method resolved() {
        return Members.method(owner, method, Invocations.types(args), false);
    }

    @Override
    public JType type() {
        return JType.of(resolved().getReturnType());
    }
}
