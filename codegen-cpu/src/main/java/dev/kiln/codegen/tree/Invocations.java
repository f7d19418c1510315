package dev.kiln.codegen.tree;

import java.util.List;

final class Invocations {
    private Invocations() {}

    static List<JType> types(List<JExpr> args) {
        return args.stream().map(JExpr::type).toList();
    }
}
