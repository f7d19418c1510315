package dev.kiln.codegen;

import dev.kiln.codegen.emit.ClassCache;
import dev.kiln.codegen.pipeline.PipelinePlanner;
import dev.kiln.codegen.pipeline.Step;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.runtime.vector.Table;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Compiles an optimized plan into pipelines of generated classes. Classes are cached process-wide
 * by their shape (the class tree, which holds no literal values), so a query that differs from an
 * earlier one only in literals reuses its classes.
 */
public final class QueryCompiler {
    private static final ClassCache CACHE = new ClassCache();

    private final CompileOptions options;

    public QueryCompiler(CompileOptions options) {
        this.options = options;
    }

    public static ClassCache cache() {
        return CACHE;
    }

    public CompiledQuery compile(Rel plan, Function<TableRef, Table> tables) {
        long start = System.nanoTime();
        PipelinePlanner.Plan physical = new PipelinePlanner(tables, options.profile()).plan(plan);
        Map<Integer, Class<?>> classes = new HashMap<>();
        int compiled = 0;
        int hits = 0;
        for (Step step : physical.steps()) {
            if (step instanceof Step.PipelineStep ps) {
                long missesBefore = CACHE.misses();
                Class<?> cls = CACHE.getOrCompile(new CacheKey(options.backend(), ps.classDef()), ps::classDef, options.backend());
                if (CACHE.misses() > missesBefore) compiled++;
                else hits++;
                classes.put(ps.id(), cls);
            }
        }
        CompileStats stats = new CompileStats(System.nanoTime() - start, compiled, hits);
        return new CompiledQuery(physical, classes, stats);
    }

    private record CacheKey(dev.kiln.codegen.emit.Backend backend, dev.kiln.codegen.tree.ClassDef def) {}

    static List<Step> steps(CompiledQuery q) {
        return q.plan().steps();
    }
}
