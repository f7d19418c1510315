package dev.kiln.codegen.tree;

import java.util.Optional;

/** {@code return;} or {@code return value;} (checked against the method's return type by the emitters). */
public record Return(Optional<JExpr> value) implements JStmt {
    public static Return of(JExpr value) {
        return new Return(Optional.of(value));
    }

    public static Return none() {
        return new Return(Optional.empty());
    }
}
