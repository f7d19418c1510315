package dev.kiln.engine.stream;

import dev.kiln.codegen.CompileOptions;
import dev.kiln.codegen.Workers;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.stream.IncrementalPlan;
import dev.kiln.runtime.vector.Table;
import java.util.Map;
import java.util.function.Function;

/**
 * What a session lends its streaming queries: how to compile, its static tables, its worker
 * threads and per-batch memory budget, and its streams. Made by {@code Kiln}; not for applications.
 */
public record StreamEnvironment(CompileOptions options, Function<TableRef, Table> staticTables, Workers workers, long memoryBudget,
                                Map<String, StreamDefinition> streams, java.util.function.Consumer<StreamingQuery> onStart) {
    PlanRunner.Factory plans() {
        return new PlanRunner.Factory(options, staticTables, workers);
    }

    /** The streams an incremental plan reads. */
    Map<String, StreamDefinition> used(IncrementalPlan plan) {
        Map<String, StreamDefinition> out = new java.util.LinkedHashMap<>();
        collect(plan.root(), out);
        return out;
    }

    private void collect(dev.kiln.ir.stream.Delta d, Map<String, StreamDefinition> out) {
        if (d instanceof dev.kiln.ir.stream.StreamInput s) out.put(s.stream(), streams.get(s.stream()));
        for (var in : d.inputs()) collect(in, out);
    }
}
