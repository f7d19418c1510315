package dev.kiln.engine;

/** What EXPLAIN shows: the plan as translated, the rule trace, the optimized plan and the pipelines. */
public record Explain(String logicalPlan, String ruleTrace, String ruleTraceDetail, String optimizedPlan, String physicalPlan, long compileNanos) {
    public String render(boolean detail) {
        return "== Logical plan ==\n" + logicalPlan
                + "\n== Optimizer rules ==\n" + (detail ? ruleTraceDetail : ruleTrace)
                + "\n== Optimized plan ==\n" + optimizedPlan
                + "\n== Physical plan (pipelines) ==\n" + physicalPlan;
    }
}
