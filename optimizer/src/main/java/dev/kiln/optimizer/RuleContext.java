package dev.kiln.optimizer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Context available to every rule: the statistics, a place to leave notes on a decision (e.g.
 * the join order chosen and its cost), which the optimizer attaches to the rule's trace entry,
 * and what rules have already acted on during this optimization (see {@link #firstTime}).
 */
public record RuleContext(Statistics statistics, List<String> notes, Set<Object> done) {
    public RuleContext(Statistics statistics) {
        this(statistics, new ArrayList<>(), new HashSet<>());
    }

    public void note(String text) {
        notes.add(text);
    }

    /**
     * True the first time a rule asks about {@code key} during one optimization, false after: for
     * a rule whose rewrite leaves its trigger in place (it adds an implied predicate, which other
     * rules then move away) and would otherwise fire again in every fixpoint round.
     */
    public boolean firstTime(Object key) {
        return done.add(key);
    }
}
