package dev.kiln.engine;

import dev.kiln.codegen.Workers;
import dev.kiln.codegen.emit.Backend;
import dev.kiln.ir.KilnException;
import java.util.List;

/**
 * How a {@link Kiln} session plans and runs queries.
 *
 * @param memoryBudget   bytes of off-heap memory each query may use (its own budget, not shared)
 * @param backend        ASM (default: bytecode straight from the code tree) or JANINO (Java source)
 * @param disabledRules  optimizer passes or rules switched off by name
 * @param verbose        {@link Kiln#explain} renders the per-rule trace in detail
 * @param threads        worker threads per query (default: one per core); each pipeline splits
 *                       its input into morsels among them
 * @param planCacheSize  how many optimized plans of query texts the session keeps (0: none), so a
 *                       query run again skips parsing, validation and optimization; every change
 *                       to the catalog (tables, views, statistics) empties it
 */
public record KilnConfig(long memoryBudget, Backend backend, List<String> disabledRules, boolean verbose, int threads, int planCacheSize) {
    public static final long DEFAULT_MEMORY = 4L << 30;
    public static final int DEFAULT_PLAN_CACHE = 256;

    public KilnConfig {
        if (memoryBudget <= 0) throw new KilnException("the per-query memory budget must be positive, not " + memoryBudget);
        if (threads < 1) throw new KilnException("the number of threads must be at least 1, not " + threads);
        if (planCacheSize < 0) throw new KilnException("the plan cache size cannot be negative, not " + planCacheSize);
        disabledRules = List.copyOf(disabledRules);
    }

    public KilnConfig(long memoryBudget, Backend backend, List<String> disabledRules, boolean verbose) {
        this(memoryBudget, backend, disabledRules, verbose, Workers.defaultThreads(), DEFAULT_PLAN_CACHE);
    }

    public static KilnConfig defaults() {
        return new KilnConfig(DEFAULT_MEMORY, Backend.ASM, List.of(), false);
    }

    public KilnConfig withThreads(int n) {
        return new KilnConfig(memoryBudget, backend, disabledRules, verbose, n, planCacheSize);
    }

    public KilnConfig withMemoryBudget(long bytes) {
        return new KilnConfig(bytes, backend, disabledRules, verbose, threads, planCacheSize);
    }

    public KilnConfig withBackend(Backend b) {
        return new KilnConfig(memoryBudget, b, disabledRules, verbose, threads, planCacheSize);
    }

    public KilnConfig withDisabledRules(List<String> rules) {
        return new KilnConfig(memoryBudget, backend, rules, verbose, threads, planCacheSize);
    }

    public KilnConfig withVerbose(boolean v) {
        return new KilnConfig(memoryBudget, backend, disabledRules, v, threads, planCacheSize);
    }

    public KilnConfig withPlanCache(int entries) {
        return new KilnConfig(memoryBudget, backend, disabledRules, verbose, threads, entries);
    }
}
