package dev.kiln.optimizer;

import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.Rel;
import java.util.List;

/**
 * One rule application: the subtree before and after, and the notes the rule left on its
 * decision. The subtrees are kept as (immutable) plans and printed only when the trace is shown,
 * so that planning a query does not pay for printing every rewrite.
 */
public record TraceEntry(String pass, String rule, Rel beforePlan, Rel afterPlan, List<String> notes) {
    public TraceEntry {
        notes = List.copyOf(notes);
    }

    public String before() {
        return PlanPrinter.print(beforePlan);
    }

    public String after() {
        return PlanPrinter.print(afterPlan);
    }
}
