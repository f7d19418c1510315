package dev.kiln.engine;

/**
 * What EXPLAIN shows: the plan as translated from SQL, the optimizer's rule trace (a summary per
 * pass, or every rewrite when {@code detailed}), the optimized plan with each operator's estimated
 * rows ({@code -- est=1.2M}) and the physical pipelines.
 */
public record Explain(String logicalPlan, String ruleTrace, String ruleTraceDetail, String optimizedPlan, String physicalPlan,
                      long compileNanos, boolean detailed) {

    /** Rendered with the detail the session asked for ({@link KilnConfig#verbose}). */
    public String render() {
        return render(detailed);
    }

    public String render(boolean detail) {
        return "== Logical plan ==\n" + logicalPlan
                + "\n== Optimizer rules ==\n" + (detail ? ruleTraceDetail : ruleTrace)
                + "\n== Optimized plan ==\n" + optimizedPlan
                + "\n== Physical plan (pipelines) ==\n" + physicalPlan;
    }
}
