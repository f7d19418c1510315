package dev.kiln.codegen;

import dev.kiln.codegen.pipeline.PipelineBase;
import dev.kiln.codegen.pipeline.Step;
import dev.kiln.ir.KilnException;
import dev.kiln.runtime.hash.HashTable;
import dev.kiln.runtime.spill.BatchSpill;
import dev.kiln.runtime.spill.PartitionedSpill;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.BatchCollector;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pipeline step, morsel-driven: each worker thread has its own instance of the generated
 * class with its own sink (hash table or collector) and pulls morsels until none are left; then
 * the per-worker sinks are combined — join-build tables concatenated, aggregation tables merged
 * partition by partition in parallel, collected rows put back in morsel order (so a parallel
 * scan yields its rows in the order a serial one does).
 *
 * <p>Memory: a sink table that would outgrow its share of the query's budget spills its entries
 * to disk by hash partition ({@link PartitionedSpill}) and starts over. A spilled aggregation is
 * finished one range of partitions at a time; a spilled join build is probed in passes, one
 * range of partitions loaded per pass, the probe pipeline rerun over its whole input in each
 * pass with the rows of other partitions skipped. The query finishes, slower, within its budget.
 */
final class PipelineRun {
    private final Execution ex;
    private final Step.PipelineStep p;
    private final Class<?> cls;
    private final List<Batch> input;
    private final int threads;
    /** the hash table this pipeline fills, if any (the tables it probes are complete already) */
    private final Step.HashTableResource sink;
    /** spilled build sides this pipeline probes */
    private final List<Integer> spilledProbes = new ArrayList<>();
    private PartitionedSpill spill;
    /** aggregation runs: per-worker tables frozen when they filled, sorted by hash partition (guarded by this) */
    private final List<HashTable> frozen = new ArrayList<>();
    private long frozenBytes;
    /** EXPLAIN ANALYZE row counters of each instance */
    private final Map<PipelineBase, long[]> counters = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    PipelineRun(Execution ex, Step.PipelineStep p, Class<?> cls) {
        this.ex = ex;
        this.p = p;
        this.cls = cls;
        this.input = switch (p.source()) {
            case Step.TableSource t -> t.table().batches();
            case Step.ResultSource r -> ex.results.get(r.resultId());
        };
        this.threads = Math.max(1, Math.min(ex.workers.threads(), input.size()));
        Step.HashTableResource s = null;
        for (Step.Resource r : p.resources()) {
            if (!(r instanceof Step.HashTableResource h)) continue;
            BuiltTable built = ex.tables.get(h.tableId());
            if (built == null) s = h;
            else if (built instanceof BuiltTable.Spilled && !spilledProbes.contains(h.tableId())) spilledProbes.add(h.tableId());
        }
        this.sink = s;
    }

    private boolean aggregates() {
        return sink != null && sink.role() != Step.Role.JOIN_BUILD;
    }

    private long sinkLimit() {
        return ex.sinkLimit;
    }

    private synchronized PartitionedSpill spill() {
        if (spill == null) {
            int[] slots = sink.stringSlots().stream().mapToInt(Integer::intValue).toArray();
            spill = new PartitionedSpill(ex.mem.spill(), "ht" + sink.tableId(), sink.entryBytes(), slots);
        }
        return spill;
    }

    private synchronized boolean spilled() {
        return spill != null;
    }

    /** Per-worker aggregation tables are kept to about this size, so that their probes hit the caches. */
    static final long FLUSH_BYTES = 4L << 20;
    /** Merge tasks of an aggregation take about this many groups each (partitions of one range merge into one table). */
    static final long RANGE_ENTRIES = 1L << 15;

    /** The largest power of two of entries within {@code flushBytes}, at least 16. */
    static long flushEntries(long flushBytes, int entryBytes) {
        return Math.max(16, Long.highestOneBit(flushBytes / entryBytes));
    }

    /**
     * A worker's aggregation table is full: keep a frozen copy of its groups for the final
     * merge, or, when the kept runs would take more than the sink's memory limit, spill them.
     */
    private void flush(HashTable t) {
        long bytes = t.size() * (long) t.entryBytes() + t.strings().used();
        synchronized (this) {
            if (frozenBytes + bytes > sinkLimit()) {
                spill().write(t);
                return;
            }
            frozenBytes += bytes;
        }
        HashTable copy = t.frozenCopy(HashTable.FROZEN_PARTITIONS);
        synchronized (this) {
            frozen.add(copy);
        }
    }

    private PipelineBase instantiate() {
        try {
            return (PipelineBase) cls.getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | NoSuchMethodException | InvocationTargetException e) {
            throw new KilnException("cannot instantiate generated pipeline " + p.id() + ": " + e, e);
        }
    }

    /** Sets up {@code instance} with {@code table} as its sink, these collectors and the probe tables of the current pass. */
    private void init(PipelineBase instance, HashTable table, Map<Integer, BatchCollector> collectors, Map<Integer, HashTable> passTables) {
        Object[] resources = p.resources().stream().map(r -> switch (r) {
            case Step.HashTableResource h when sink != null && h.tableId() == sink.tableId() -> table;
            case Step.HashTableResource h -> switch (ex.tables.get(h.tableId())) {
                case BuiltTable.InMemory m -> m.table();
                // loaded for the current pass; absent (null) only for the instances that merge and
                // finish an aggregation, which never probe
                case BuiltTable.Spilled s -> passTables.get(h.tableId());
            };
            case Step.CollectorResource c -> collectors.computeIfAbsent(c.resultId(), id -> new BatchCollector(c.schema(), ex.mem));
            case Step.ProfileResource pr -> counters.computeIfAbsent(instance, i -> new long[pr.operators()]);
            case Step.Constant c -> c.value();
        }).toArray();
        instance.init(p.params().toArray(), resources);
    }

    void run() {
        HashTable[] sinks = new HashTable[threads];
        List<Map<Integer, BatchCollector>> collectors = new ArrayList<>();
        PipelineBase[] instances = new PipelineBase[threads];
        for (int w = 0; w < threads; w++) {
            if (sink != null) {
                // start small, and never above what the spill threshold allows
                sinks[w] = new HashTable(ex.mem, sink.entryBytes(), Math.clamp(sinkLimit() / (4L * sink.entryBytes()), 16, 1024));
                if (sink.role() != Step.Role.GLOBAL_AGGREGATE) sinks[w].spillOver(sinkLimit(), t -> spill().write(t));
                if (sink.role() == Step.Role.GROUPED_AGGREGATE) sinks[w].flushOver(flushEntries(ex.flushBytes, sink.entryBytes()), this::flush);
            }
            collectors.add(new LinkedHashMap<>());
            instances[w] = instantiate();
        }
        List<List<Batch>[]> collected = new ArrayList<>(); // per pass and morsel, per collector
        List<Map<Integer, int[]>> passes = passes();
        for (int k = 0; k < passes.size(); k++) {
            Map<Integer, HashTable> passTables = loadPass(passes.get(k));
            try {
                for (int w = 0; w < threads; w++) init(instances[w], sinks[w], collectors.get(w), passTables);
                collected.addAll(consumeAll(instances, collectors));
                collected.addAll(drainAll(instances, collectors, passTables, k == passes.size() - 1));
            } finally {
                for (HashTable t : passTables.values()) t.free();
            }
        }
        for (PipelineBase instance : instances) {
            long[] c = counters.get(instance);
            if (c != null) {
                for (int k = 0; k < c.length; k++) if (c[k] != 0) ex.addRows(k, c[k]);
            }
        }
        if (aggregates()) {
            finishAggregation(instances, sinks, collectors);
            return;
        }
        for (PipelineBase instance : instances) instance.finish();
        if (sink != null) {
            if (spilled()) {
                for (HashTable t : sinks) {
                    spill.write(t);
                    t.free();
                }
                ex.tables.put(sink.tableId(), new BuiltTable.Spilled(spill));
            } else {
                int[] slots = sink.stringSlots().stream().mapToInt(Integer::intValue).toArray();
                for (int w = 1; w < threads; w++) sinks[0].absorb(sinks[w], slots);
                sinks[0].buildFilter(); // probes of absent keys skip the directory of a large table
                ex.tables.put(sink.tableId(), new BuiltTable.InMemory(sinks[0]));
            }
        }
        // collected rows in pass and morsel order; every worker lists its collectors in the same order
        List<Integer> resultIds = List.copyOf(collectors.getFirst().keySet());
        for (int c = 0; c < resultIds.size(); c++) {
            List<Batch> all = new ArrayList<>();
            for (List<Batch>[] out : collected) {
                if (out != null) all.addAll(out[c]);
            }
            ex.results.put(resultIds.get(c), all);
        }
    }

    /**
     * The passes over the input: one, or for each spilled build side probed here, one per range
     * of its partitions that fits all threads' sink share (all combinations when several are).
     */
    private List<Map<Integer, int[]>> passes() {
        List<Map<Integer, int[]>> passes = new ArrayList<>();
        passes.add(new LinkedHashMap<>());
        // With several spilled build sides the passes combine their partition ranges and reload each
        // table once per range of the others, which would lose a marked table's marks
        if (spilledProbes.size() > 1 && !p.drains().isEmpty()) {
            throw new KilnException("pipeline " + p.id() + " probes " + spilledProbes.size() + " build sides that did not fit the memory budget and "
                    + p.drains().size() + " of a FULL or RIGHT SEMI/ANTI join: raise the budget (--memory) so that at most one of them spills");
        }
        for (int id : spilledProbes) {
            PartitionedSpill s = ((BuiltTable.Spilled) ex.tables.get(id)).spill();
            List<int[]> ranges = s.ranges(Math.max(1, sinkLimit() * ex.workers.threads() / spilledProbes.size()));
            List<Map<Integer, int[]>> next = new ArrayList<>();
            for (Map<Integer, int[]> pass : passes) {
                for (int i = 0; i < ranges.size(); i++) {
                    Map<Integer, int[]> m = new LinkedHashMap<>(pass);
                    int[] r = ranges.get(i);
                    m.put(id, new int[] {r[0], r[1], i});
                    next.add(m);
                }
            }
            passes = next;
        }
        return passes;
    }

    private Map<Integer, HashTable> loadPass(Map<Integer, int[]> pass) {
        Map<Integer, HashTable> loaded = new LinkedHashMap<>();
        try {
            for (var e : pass.entrySet()) {
                int[] r = e.getValue();
                HashTable t = ((BuiltTable.Spilled) ex.tables.get(e.getKey())).spill().load(r[0], r[1], ex.mem);
                t.acceptOnly(r[0], r[1], PartitionedSpill.PARTITIONS, r[2] == 0);
                loaded.put(e.getKey(), t);
            }
        } catch (RuntimeException | Error e) {
            for (HashTable t : loaded.values()) t.free();
            throw e;
        }
        return loaded;
    }

    /**
     * The marked join-build tables this pipeline probed, drained in order: each table's entries
     * split into ranges that the workers emit in parallel (marks are complete: every worker has
     * finished probing); returns the rows collected per range.
     */
    private List<List<Batch>[]> drainAll(PipelineBase[] instances, List<Map<Integer, BatchCollector>> collectors, Map<Integer, HashTable> passTables,
                                         boolean lastPass) {
        List<List<Batch>[]> out = new ArrayList<>();
        if (p.drains().isEmpty()) return out;
        Batch empty = emptyBatch();
        boolean drainCollectors = !aggregates();
        for (int d = 0; d < p.drains().size(); d++) {
            int tableId = p.drains().get(d);
            if (!drainsInThisPass(tableId, lastPass)) continue;
            HashTable table = switch (ex.tables.get(tableId)) {
                case BuiltTable.InMemory m -> m.table();
                case BuiltTable.Spilled s -> passTables.get(tableId);
            };
            long n = table.size();
            int ranges = (int) Math.clamp(n / 1024, 1, 4L * threads);
            @SuppressWarnings("unchecked")
            List<Batch>[][] perRange = new List[ranges][];
            AtomicInteger next = new AtomicInteger();
            AtomicBoolean failed = new AtomicBoolean();
            int index = d;
            ex.workers.forEach(Math.min(threads, ranges), w -> {
                try {
                    List<BatchCollector> mine = drainCollectors ? List.copyOf(collectors.get(w).values()) : List.of();
                    for (int i; !failed.get() && (i = next.getAndIncrement()) < ranges; ) {
                        instances[w].drain(index, n * i / ranges, n * (i + 1) / ranges, empty);
                        perRange[i] = drained(mine);
                    }
                } catch (RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                }
            });
            out.addAll(java.util.Arrays.asList(perRange));
        }
        return out;
    }

    /**
     * With one spilled build side probed in passes (at most one: see {@link #passes}): a spilled
     * marked table is drained from each pass's partitions; an in-memory one once every pass
     * if the spilled table is probed after it (its marks are complete after any pass, since every
     * row reaches it, and the spilled probe downstream takes each drained row in its own pass), or
     * once after the last pass if the spilled table is probed before it (rows reach it pass by pass).
     */
    private boolean drainsInThisPass(int tableId, boolean lastPass) {
        if (spilledProbes.isEmpty() || spilledProbes.contains(tableId)) return true;
        return position(spilledProbes.getFirst()) > position(tableId) || lastPass;
    }

    /** Where the pipeline probes a table: resources are registered in pipeline order, upstream first. */
    private int position(int tableId) {
        for (int i = 0; i < p.resources().size(); i++) {
            if (p.resources().get(i) instanceof Step.HashTableResource h && h.tableId() == tableId) return i;
        }
        throw new IllegalStateException("pipeline " + p.id() + " does not probe hash table " + tableId);
    }

    /** A batch of the source's schema with no rows: what consume() reads its column segments from while draining. */
    private Batch emptyBatch() {
        dev.kiln.ir.type.Schema schema = switch (p.source()) {
            case Step.TableSource t -> t.table().schema();
            case Step.ResultSource r -> r.schema();
        };
        List<dev.kiln.runtime.vector.ColumnVector> columns = new ArrayList<>();
        for (var f : schema.fields()) {
            columns.add(dev.kiln.runtime.vector.ColumnVector.wrap(f.type(), 0, java.lang.foreign.MemorySegment.NULL,
                    java.lang.foreign.MemorySegment.NULL, java.lang.foreign.MemorySegment.NULL));
        }
        return new Batch(schema, columns, 0);
    }

    /** What these collectors hold now, taken out of them (a result larger than the budget allows goes to disk). */
    private List<Batch>[] drained(List<BatchCollector> mine) {
        if (mine.isEmpty()) return null;
        @SuppressWarnings("unchecked")
        List<Batch>[] out = new List[mine.size()];
        for (int c = 0; c < out.length; c++) {
            out[c] = mine.get(c).drain();
            if (BatchSpill.overThreshold(ex.mem)) out[c] = BatchSpill.offload(out[c], ex.mem);
        }
        return out;
    }

    /** Every morsel through the instances, in parallel; returns the rows collected per morsel. */
    private List<List<Batch>[]> consumeAll(PipelineBase[] instances, List<Map<Integer, BatchCollector>> collectors) {
        @SuppressWarnings("unchecked")
        List<Batch>[][] perMorsel = new List[input.size()][];
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        boolean drain = !aggregates();
        ex.workers.forEach(threads, w -> {
            try {
                List<BatchCollector> mine = drain ? List.copyOf(collectors.get(w).values()) : List.of();
                for (int m; !failed.get() && (m = next.getAndIncrement()) < input.size(); ) {
                    instances[w].consume(input.get(m));
                    if (!mine.isEmpty()) perMorsel[m] = drained(mine);
                }
            } catch (RuntimeException | Error e) {
                failed.set(true);
                throw e;
            }
        });
        return java.util.Arrays.asList(perMorsel);
    }

    /**
     * The groups of all workers' tables combined and emitted: directly from the only table when
     * one worker ran, nothing was flushed and nothing spilled; else every table becomes a run
     * sorted by hash partition (or goes to the spill), and each task owns a range of partitions,
     * merges that range of every run (and of the spill) into a fresh table and emits its groups;
     * the result is the ranges' rows in order. An aggregate without keys has one group, hence
     * one task.
     */
    private void finishAggregation(PipelineBase[] instances, HashTable[] sinks, List<Map<Integer, BatchCollector>> collectors) {
        if (threads == 1 && !spilled() && frozen.isEmpty()) {
            instances[0].finish();
            collectors.getFirst().forEach((id, c) -> ex.results.put(id, c.finish()));
            sinks[0].free();
            return;
        }
        boolean fromSpill = spilled();
        List<HashTable> runs = new ArrayList<>(frozen);
        frozen.clear();
        for (HashTable t : sinks) {
            if (fromSpill) spill.write(t);
            else runs.add(t.frozenCopy(HashTable.FROZEN_PARTITIONS));
            t.free();
        }
        List<int[]> ranges = new ArrayList<>();
        if (fromSpill) {
            ranges.addAll(spill.ranges(sinkLimit()));
        } else {
            long total = 0;
            for (HashTable r : runs) total += r.size();
            int n = sink.role() == Step.Role.GLOBAL_AGGREGATE ? 1
                    : (int) Math.clamp((total + RANGE_ENTRIES - 1) / RANGE_ENTRIES, threads, HashTable.FROZEN_PARTITIONS);
            for (int i = 0; i < n; i++) ranges.add(new int[] {i * HashTable.FROZEN_PARTITIONS / n, (i + 1) * HashTable.FROZEN_PARTITIONS / n});
        }
        List<Map<Integer, BatchCollector>> rangeCollectors = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) rangeCollectors.add(new LinkedHashMap<>());
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        try {
            ex.workers.forEach(Math.min(threads, ranges.size()), w -> {
                try {
                    for (int i; !failed.get() && (i = next.getAndIncrement()) < ranges.size(); ) {
                        int lo = ranges.get(i)[0];
                        int hi = ranges.get(i)[1];
                        // sized for disjoint runs (clustered input: each thread saw its own keys), so the table does not grow while it fills
                        long expected = fromSpill ? spill.entries(lo, hi) : 0;
                        for (HashTable r : runs) expected += r.partitionStart(hi) - r.partitionStart(lo);
                        HashTable target = new HashTable(ex.mem, sink.entryBytes(), Math.max(16, expected));
                        try {
                            PipelineBase merged = instantiate();
                            init(merged, target, rangeCollectors.get(i), Map.of());
                            if (fromSpill) {
                                HashTable src = spill.load(lo, hi, ex.mem);
                                try {
                                    merged.merge(src, 0, src.size());
                                } finally {
                                    src.free();
                                }
                            }
                            for (HashTable r : runs) merged.merge(r, r.partitionStart(lo), r.partitionStart(hi));
                            merged.finish();
                        } finally {
                            target.free();
                        }
                    }
                } catch (RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                }
            });
        } finally {
            for (HashTable r : runs) r.free();
        }
        Map<Integer, List<Batch>> outputs = new LinkedHashMap<>();
        for (Map<Integer, BatchCollector> rc : rangeCollectors) {
            for (var e : rc.entrySet()) outputs.computeIfAbsent(e.getKey(), id -> new ArrayList<>()).addAll(e.getValue().finish());
        }
        // a range that emitted nothing created no collector; the result must still exist
        for (Step.Resource r : p.resources()) {
            if (r instanceof Step.CollectorResource c) outputs.putIfAbsent(c.resultId(), List.of());
        }
        ex.results.putAll(outputs);
    }
}
