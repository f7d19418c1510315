package dev.kiln.optimizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Context available to every rule: the statistics, and a place to leave notes on a decision
 * (e.g. the join order chosen and its cost), which the optimizer attaches to the rule's trace entry.
 */
public record RuleContext(Statistics statistics, List<String> notes) {
    public RuleContext(Statistics statistics) {
        this(statistics, new ArrayList<>());
    }

    public void note(String text) {
        notes.add(text);
    }
}
