package dev.kiln.codegen.tree;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An instance method of the generated class: public (to implement or override a superclass or
 * interface method) or private (a piece of a split method, called with {@link InvokeThis}).
 */
public record MethodDef(String name, JType returnType, List<LocalVar> params, Block body, boolean isPublic) {
    public MethodDef {
        Names.requireIdentifier(name, "method");
        params = List.copyOf(params);
        Set<String> seen = new HashSet<>();
        for (LocalVar p : params) {
            if (!seen.add(p.name())) throw new IllegalArgumentException("method " + name + " declares parameter " + p.name() + " twice");
        }
    }

    public String descriptor() {
        return params.stream().map(p -> p.type().descriptor()).collect(Collectors.joining("", "(", ")")) + returnType.descriptor();
    }
}
