package dev.kiln.optimizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Context available to every rule: the statistics, a place to leave notes on a decision (e.g.
 * the join order chosen and its cost), which the optimizer attaches to the rule's trace entry,
 * and what rules have already acted on during this optimization (see {@link #firstTime} and
 * {@link #remember}).
 */
public record RuleContext(Statistics statistics, List<String> notes, Map<Object, Object> memory) {
    public RuleContext(Statistics statistics) {
        this(statistics, new ArrayList<>(), new HashMap<>());
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
        return memory.putIfAbsent(key, Boolean.TRUE) == null;
    }

    /** Keeps {@code value} under {@code key} for the rest of this optimization (keys are compared by equality). */
    public void remember(Object key, Object value) {
        memory.put(key, value);
    }

    /** What {@link #remember} kept under {@code key}, if anything. */
    public Optional<Object> recall(Object key) {
        return Optional.ofNullable(memory.get(key));
    }
}
