package dev.kiln.engine.stream;

import dev.kiln.codegen.CompileOptions;
import dev.kiln.codegen.CompiledQuery;
import dev.kiln.codegen.QueryCompiler;
import dev.kiln.codegen.Workers;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.stream.Linear;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A linear plan compiled once into pipelines and run for every batch over that batch's changes:
 * the plan's delta inputs (tables {@code $delta0..}) are bound to new rows each time through
 * {@link CompiledQuery#rebind}; nothing is planned or compiled per batch.
 */
final class PlanRunner {
    private final Rel plan;
    private final CompiledQuery compiled;
    private final Workers workers;

    /** Compiles plans over the session's static tables. */
    record Factory(CompileOptions options, Function<TableRef, Table> staticTables, Workers workers) {
        PlanRunner create(Rel plan) {
            return new PlanRunner(plan, this);
        }
    }

    private PlanRunner(Rel plan, Factory f) {
        this.plan = plan;
        this.workers = f.workers();
        this.compiled = new QueryCompiler(f.options()).compile(plan,
                t -> Linear.inputIndex(t) >= 0 ? new Table(t.name(), t.schema(), List.of()) : f.staticTables().apply(t));
    }

    Rel plan() {
        return plan;
    }

    CompiledQuery compiled() {
        return compiled;
    }

    /** Runs the plan with delta input i reading {@code inputs.get(i)}. */
    List<Batch> run(Map<Integer, Table> inputs, QueryMemory mem) {
        CompiledQuery bound = compiled.rebind(t -> {
            int i = Linear.inputIndex(t);
            if (i < 0) return null; // a static table keeps its rows
            Table in = inputs.get(i);
            if (in == null) throw new IllegalStateException("no rows for delta input " + i + " of\n" + dev.kiln.ir.rel.PlanPrinter.print(plan));
            return new Table(t.name(), t.schema(), in.batches());
        });
        return bound.execute(mem, workers);
    }
}
