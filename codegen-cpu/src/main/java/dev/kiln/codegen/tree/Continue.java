package dev.kiln.codegen.tree;

import java.util.Optional;

/** {@code continue;} the innermost loop, or {@code continue label;}. */
public record Continue(Optional<String> label) implements JStmt {
    public Continue {
        label.ifPresent(l -> Names.requireIdentifier(l, "label"));
    }
}
