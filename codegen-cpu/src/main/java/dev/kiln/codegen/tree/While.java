package dev.kiln.codegen.tree;

import java.util.Optional;

/** {@code label: while (cond) body}; {@code continue} re-tests the condition. */
public record While(Optional<String> label, JExpr cond, JStmt body) implements JStmt {
    public While {
        label.ifPresent(l -> Names.requireIdentifier(l, "label"));
        if (!cond.type().equals(JType.BOOLEAN)) throw new IllegalArgumentException("While condition must be boolean, got " + cond.type());
    }
}
