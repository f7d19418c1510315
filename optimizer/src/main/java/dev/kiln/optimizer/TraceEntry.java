package dev.kiln.optimizer;

import java.util.List;

/** One rule application: the subtree before and after, printed, and the notes the rule left on its decision. */
public record TraceEntry(String pass, String rule, String before, String after, List<String> notes) {
    public TraceEntry {
        notes = List.copyOf(notes);
    }

    public TraceEntry(String pass, String rule, String before, String after) {
        this(pass, rule, before, after, List.of());
    }
}
