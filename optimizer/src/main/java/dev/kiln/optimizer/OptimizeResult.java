package dev.kiln.optimizer;

import dev.kiln.ir.rel.Rel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The optimized plan and what each rule did to get there. */
public record OptimizeResult(Rel plan, List<TraceEntry> trace) {
    public OptimizeResult {
        trace = List.copyOf(trace);
    }

    /** One line per pass: the rules that fired and how often. */
    public String traceSummary() {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        for (TraceEntry t : trace) counts.computeIfAbsent(t.pass(), p -> new LinkedHashMap<>()).merge(t.rule(), 1, Integer::sum);
        StringBuilder sb = new StringBuilder();
        counts.forEach((pass, rules) -> {
            sb.append("pass ").append(pass).append(":");
            rules.forEach((rule, n) -> sb.append(' ').append(rule).append(" ×").append(n));
            sb.append('\n');
        });
        for (TraceEntry t : trace) for (String n : t.notes()) sb.append("  ").append(t.rule()).append(": ").append(n).append('\n');
        if (sb.isEmpty()) sb.append("no rule fired\n");
        return sb.toString();
    }

    public String traceDetail() {
        StringBuilder sb = new StringBuilder();
        for (TraceEntry t : trace) {
            sb.append("-- ").append(t.pass()).append(" / ").append(t.rule()).append('\n');
            for (String n : t.notes()) sb.append("note: ").append(n).append('\n');
            sb.append("before:\n").append(indent(t.before())).append("after:\n").append(indent(t.after()));
        }
        return sb.toString();
    }

    private static String indent(String s) {
        StringBuilder sb = new StringBuilder();
        for (String line : s.split("\n")) sb.append("    ").append(line).append('\n');
        return sb.toString();
    }
}
