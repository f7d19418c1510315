package dev.kiln.optimizer;

import dev.kiln.ir.rel.Rel;
import java.util.Optional;

/** A named rewrite: matches one pattern at one node and returns its replacement. */
public interface Rule {
    String name();

    Optional<Rel> apply(Rel node, RuleContext ctx);
}
