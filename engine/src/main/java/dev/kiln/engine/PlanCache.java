package dev.kiln.engine;

import dev.kiln.codegen.CompiledQuery;
import dev.kiln.frontend.Statement;
import dev.kiln.optimizer.OptimizeResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A session's optimized plans by query text, least recently used dropped first: a query run
 * before skips parsing, validation and optimization (and, when it reads no Parquet or image
 * table, compilation too), as long as the catalog has not changed - any change makes every
 * cached plan stale, and holding one would keep a replaced table reachable.
 */
final class PlanCache {
    /** @param compiled the plan's compiled query once it ran, if it reads no Parquet table (those are bound to each query's reads) */
    record Entry(Statement.Query query, OptimizeResult optimized, AtomicReference<CompiledQuery> compiled) {}

    private final int capacity;
    private final LongSupplier catalogVersion;
    /** Guarded by itself. */
    private final Map<String, Entry> plans = new LinkedHashMap<>(16, 0.75f, true);
    /** The catalog version the cached plans were made at (guarded by {@link #plans}). */
    private long version;

    /** @param capacity how many plans to keep; 0 keeps none */
    PlanCache(int capacity, LongSupplier catalogVersion) {
        this.capacity = capacity;
        this.catalogVersion = catalogVersion;
    }

    Optional<Entry> get(String sql) {
        if (capacity == 0) return Optional.empty();
        synchronized (plans) {
            dropStale();
            return Optional.ofNullable(plans.get(sql));
        }
    }

    void put(String sql, Entry e) {
        if (capacity == 0) return;
        synchronized (plans) {
            dropStale();
            plans.put(sql, e);
            while (plans.size() > capacity) plans.remove(plans.keySet().iterator().next());
        }
    }

    /** Holds {@code plans}' lock. */
    private void dropStale() {
        long now = catalogVersion.getAsLong();
        if (version == now) return;
        plans.clear();
        version = now;
    }
}
