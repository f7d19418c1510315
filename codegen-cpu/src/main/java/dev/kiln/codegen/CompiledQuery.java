package dev.kiln.codegen;

import dev.kiln.codegen.emit.JavaSourcePrinter;
import dev.kiln.codegen.pipeline.PipelineBase;
import dev.kiln.codegen.pipeline.PipelinePlanner;
import dev.kiln.codegen.pipeline.Step;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.hash.HashTable;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.sort.Sorter;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.BatchCollector;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.VectorBuilder;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashMap;
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
        StringBuilder sb = new StringBuilder();
        for (Step s : plan.steps()) {
            switch (s) {
                case Step.PipelineStep p -> sb.append("Pipeline ").append(p.id()).append(": ").append(p.description()).append('\n');
                case Step.SortStep st -> sb.append("Sort: ").append(st.description()).append('\n');
                case Step.ValuesStep v -> sb.append("Values: ").append(v.rows().size()).append(" rows → r").append(v.outputResult()).append('\n');
            }
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

    public List<Batch> execute(QueryMemory mem) {
        Run run = new Run(mem);
        try {
            for (Step s : plan.steps()) run.execute(s);
        } catch (ArithmeticException e) {
            String width = "integer overflow".equals(e.getMessage()) ? "INTEGER (32 bits)" : "BIGINT or DECIMAL (64 bits)";
            throw new KilnException("numeric overflow: a result does not fit " + width
                    + "; cast an operand to a wider type such as BIGINT, DECIMAL(18,s) or DOUBLE", e);
        }
        return run.results.get(plan.resultId());
    }

    /** State of one execution. */
    private final class Run {
        final QueryMemory mem;
        final Map<Integer, List<Batch>> results = new HashMap<>();
        final Map<Integer, HashTable> tables = new HashMap<>();
        final Map<Integer, BatchCollector> collectors = new HashMap<>();

        Run(QueryMemory mem) {
            this.mem = mem;
        }

        void execute(Step step) {
            switch (step) {
                case Step.PipelineStep p -> pipeline(p);
                case Step.SortStep s -> results.put(s.outputResult(),
                        Sorter.sort(results.get(s.inputResult()), s.schema(), s.keys(), s.offset(), s.limit(), mem));
                case Step.ValuesStep v -> results.put(v.outputResult(), values(v));
            }
        }

        private void pipeline(Step.PipelineStep p) {
            PipelineBase instance;
            try {
                instance = (PipelineBase) classes.get(p.id()).getDeclaredConstructor().newInstance();
            } catch (InstantiationException | IllegalAccessException | NoSuchMethodException | InvocationTargetException e) {
                throw new KilnException("cannot instantiate generated pipeline " + p.id() + ": " + e, e);
            }
            Object[] resources = p.resources().stream().map(this::resolve).toArray();
            instance.init(p.params().toArray(), resources);
            List<Batch> input = switch (p.source()) {
                case Step.TableSource t -> t.table().batches();
                case Step.ResultSource r -> results.get(r.resultId());
            };
            for (Batch b : input) instance.consume(b);
            instance.finish();
            for (Step.Resource r : p.resources()) {
                if (r instanceof Step.CollectorResource c && collectors.containsKey(c.resultId())) {
                    results.put(c.resultId(), collectors.remove(c.resultId()).finish());
                }
            }
        }

        private Object resolve(Step.Resource r) {
            return switch (r) {
                case Step.HashTableResource h -> tables.computeIfAbsent(h.tableId(), id -> new HashTable(mem, h.entryBytes(), 1024));
                case Step.CollectorResource c -> collectors.computeIfAbsent(c.resultId(), id -> new BatchCollector(c.schema(), mem));
                case Step.Constant c -> c.value();
            };
        }

        private List<Batch> values(Step.ValuesStep v) {
            List<ColumnVector> cols = new ArrayList<>();
            for (int c = 0; c < v.schema().size(); c++) {
                VectorBuilder b = new VectorBuilder(v.schema().field(c).type(), mem, Math.max(1, v.rows().size()));
                for (List<Expr> row : v.rows()) {
                    b.appendObject(row.get(c) instanceof Literal l ? l.value() : null);
                }
                cols.add(b.build());
            }
            return List.of(new Batch(v.schema(), cols, v.rows().size()));
        }
    }
}
