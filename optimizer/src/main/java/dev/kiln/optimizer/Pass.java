package dev.kiln.optimizer;

import java.util.List;

/**
 * An ordered group of rules. {@link Strategy#FIXPOINT} applies the rules bottom-up over the
 * whole tree until none fires; {@link Strategy#ROOT_ONCE} applies each rule once at the root
 * (for whole-plan rewrites such as column pruning).
 */
public record Pass(String name, List<Rule> rules, Strategy strategy) {
    public enum Strategy { FIXPOINT, ROOT_ONCE }

    public Pass {
        rules = List.copyOf(rules);
    }
}
