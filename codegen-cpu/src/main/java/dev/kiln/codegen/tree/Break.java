package dev.kiln.codegen.tree;

import java.util.Optional;

/** {@code break;} out of the innermost loop, or {@code break label;}. */
public record Break(Optional<String> label) implements JStmt {
    public Break {
        label.ifPresent(l -> Names.requireIdentifier(l, "label"));
    }
}
