package dev.kiln.codegen;

import dev.kiln.codegen.emit.JavaSourcePrinter;
import dev.kiln.codegen.pipeline.PipelinePlanner;
import dev.kiln.codegen.pipeline.Step;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import java.util.List;
import java.util.Map;

/**
 * A compiled query: its steps (pipelines and the runtime operations between them) and the loaded
 * classes. {@link #execute} may be called many times; each run gets fresh hash tables and
 * collectors from the given memory.
 */
public final class CompiledQuery {
    private final PipelinePlanner.Plan plan;
    private final Map<Integer, Class<?>> classes;
    private final CompileStats stats;

    CompiledQuery(PipelinePlanner.Plan plan, Map<Integer, Class<?>> classes, CompileStats stats) {
        this.plan = plan;
        this.classes = classes;
        this.stats = stats;
    }

    PipelinePlanner.Plan plan() {
        return plan;
    }

    public Schema schema() {
        return plan.schema();
    }

    public CompileStats stats() {
        return stats;
    }

    /** The pipelines and steps in execution order, one per line. */
    public String explainPhysical() {
        return explainPhysical(List.of());
    }

    /** As {@link #explainPhysical()}, each step followed by its wall time when {@code stepNanos} has it (EXPLAIN ANALYZE). */
    public String explainPhysical(List<Long> stepNanos) {
        StringBuilder sb = new StringBuilder();
        List<Step> steps = plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            int before = sb.length();
            switch (steps.get(i)) {
                case Step.PipelineStep p -> sb.append("Pipeline ").append(p.id()).append(": ").append(p.description());
                case Step.SortStep st -> sb.append("Sort: ").append(st.description());
                case Step.SessionStep st -> sb.append("Sessions: ").append(st.description());
                case Step.InferStep st -> sb.append("Infer: ").append(st.description())
                        .append(" (").append(dev.kiln.codegen.infer.ModelRunners.forGraph(st.infer().model().graph()).describe()).append(')');
                case Step.ValuesStep v -> sb.append("Values: ").append(v.rows().size()).append(" rows → r").append(v.outputResult());
                case Step.ConcatStep c -> sb.append("Union ALL: ").append(c.inputResults().stream().map(r -> "r" + r).collect(java.util.stream.Collectors.joining(", ")))
                        .append(" → r").append(c.outputResult());
                case Step.CountStep c -> { }
            }
            if (sb.length() == before) continue;
            if (i < stepNanos.size()) sb.append(String.format(java.util.Locale.ROOT, "  [%.1f ms]", stepNanos.get(i) / 1e6));
            sb.append('\n');
        }
        sb.append("Result: r").append(plan.resultId()).append('\n');
        return sb.toString();
    }

    /** The Java source of every pipeline class (what the ASM backend emits as bytecode). */
    public String explainCodegen() {
        StringBuilder sb = new StringBuilder();
        for (Step s : plan.steps()) {
            if (s instanceof Step.PipelineStep p) {
                sb.append("// Pipeline ").append(p.id()).append(": ").append(p.description()).append('\n');
                sb.append(JavaSourcePrinter.print(p.classDef())).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * The same compiled classes over other rows: every scan of a table reads what {@code tables}
     * gives for it instead (with the same schema; null keeps the table it has). Nothing is planned or compiled again, so a
     * streaming query runs its compiled pipelines over each micro-batch's rows this way.
     */
    public CompiledQuery rebind(java.util.function.Function<dev.kiln.ir.rel.TableRef, dev.kiln.runtime.vector.Table> tables) {
        List<Step> steps = new java.util.ArrayList<>(plan.steps().size());
        for (Step s : plan.steps()) {
            if (s instanceof Step.PipelineStep p && p.source() instanceof Step.TableSource t) {
                dev.kiln.runtime.vector.Table table = tables.apply(t.ref());
                if (table == null) {
                    steps.add(s);
                    continue;
                }
                if (!fits(table.schema(), t.table().schema())) {
                    throw new IllegalArgumentException("table " + t.ref().name() + " rebound to rows of another type: " + table.schema() + " instead of " + t.table().schema());
                }
                s = new Step.PipelineStep(p.id(), p.description(), p.classDef(), new Step.TableSource(t.ref(), table), p.params(), p.resources(), p.drains());
            }
            steps.add(s);
        }
        return new CompiledQuery(new PipelinePlanner.Plan(steps, plan.resultId(), plan.schema(), plan.operators()), classes, stats);
    }

    /** Rows of {@code rows} can be read by code compiled for {@code compiled}: same types, and no NULLs where it assumed none. */
    private static boolean fits(Schema rows, Schema compiled) {
        if (rows.size() != compiled.size()) return false;
        for (int i = 0; i < rows.size(); i++) {
            if (!rows.field(i).type().equals(compiled.field(i).type())) return false;
            if (rows.field(i).nullable() && !compiled.field(i).nullable()) return false;
        }
        return true;
    }

    public List<Batch> execute(QueryMemory mem) {
        try (Workers one = Workers.single()) {
            return execute(mem, one);
        }
    }

    /** Runs the query with the given threads; every pipeline splits its input into morsels among them. */
    public List<Batch> execute(QueryMemory mem, Workers workers) {
        return execute(mem, workers, defaultSinkLimit(mem, workers));
    }

    /**
     * The most bytes one thread's sink hash table (an aggregation's or a join build's) may hold
     * before it spills to disk: a quarter of the budget, shared by the threads, leaving the rest
     * for results, probe tables and final merges.
     */
    public static long defaultSinkLimit(QueryMemory mem, Workers workers) {
        return Math.max(64L << 10, mem.budget() / (4L * workers.threads()));
    }

    /** As {@link #execute(QueryMemory, Workers)}, with an explicit spill threshold per sink table (tests use tiny ones). */
    public List<Batch> execute(QueryMemory mem, Workers workers, long sinkLimitBytes) {
        return execute(mem, workers, sinkLimitBytes, PipelineRun.FLUSH_BYTES);
    }

    /**
     * As {@link #execute(QueryMemory, Workers, long)}, with the size at which a worker's
     * aggregation table is frozen into a run and started over (tests use tiny ones, so that
     * aggregations merge many runs).
     */
    public List<Batch> execute(QueryMemory mem, Workers workers, long sinkLimitBytes, long aggregationFlushBytes) {
        return run(mem, workers, sinkLimitBytes, aggregationFlushBytes).results.get(plan.resultId());
    }

    /** The result and the rows each operator produced; needs a query compiled with {@link CompileOptions#profile}. */
    public record Analyzed(List<Batch> rows, Map<dev.kiln.ir.rel.Rel, Long> actualRows, List<Long> stepNanos) {}

    public Analyzed executeAnalyzed(QueryMemory mem, Workers workers) {
        if (plan.operators().isEmpty()) throw new IllegalStateException("compile with CompileOptions.profiled() to count rows per operator");
        Execution run = run(mem, workers, defaultSinkLimit(mem, workers), PipelineRun.FLUSH_BYTES);
        Map<dev.kiln.ir.rel.Rel, Long> actual = new java.util.IdentityHashMap<>();
        plan.operators().forEach((rel, slot) -> actual.put(rel, run.actualRows[slot]));
        return new Analyzed(run.results.get(plan.resultId()), actual, List.copyOf(run.stepNanos));
    }

    private Execution run(QueryMemory mem, Workers workers, long sinkLimitBytes, long flushBytes) {
        Execution run = new Execution(mem, workers, sinkLimitBytes, flushBytes, plan.operators().size());
        try {
            for (Step s : plan.steps()) run.step(s, classes);
        } catch (ArithmeticException e) {
            String width = "integer overflow".equals(e.getMessage()) ? "INTEGER (32 bits)" : "BIGINT or DECIMAL (64 bits)";
            throw new KilnException("numeric overflow: a result does not fit " + width
                    + "; cast an operand to a wider type such as BIGINT, DECIMAL(18,s) or DOUBLE", e);
        }
        return run;
    }
}
