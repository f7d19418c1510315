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
        try (Workers one = Workers.single()) {
            return execute(mem, one);
        }
    }

    /** Runs the query with the given threads; every pipeline splits its input into morsels among them. */
    public List<Batch> execute(QueryMemory mem, Workers workers) {
        Run run = new Run(mem, workers);
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
        final Workers workers;
        final Map<Integer, List<Batch>> results = new HashMap<>();
        final Map<Integer, HashTable> tables = new HashMap<>();
        final Map<Integer, BatchCollector> collectors = new HashMap<>();

        Run(QueryMemory mem, Workers workers) {
            this.mem = mem;
            this.workers = workers;
        }

        void execute(Step step) {
            switch (step) {
                case Step.PipelineStep p -> pipeline(p);
                case Step.SortStep s -> results.put(s.outputResult(),
                        Sorter.sort(results.get(s.inputResult()), s.schema(), s.keys(), s.offset(), s.limit(), mem));
                case Step.ValuesStep v -> results.put(v.outputResult(), values(v));
            }
        }

        private PipelineBase instantiate(Step.PipelineStep p) {
            try {
                return (PipelineBase) classes.get(p.id()).getDeclaredConstructor().newInstance();
            } catch (InstantiationException | IllegalAccessException | NoSuchMethodException | InvocationTargetException e) {
                throw new KilnException("cannot instantiate generated pipeline " + p.id() + ": " + e, e);
            }
        }

        private void pipeline(Step.PipelineStep p) {
            List<Batch> input = switch (p.source()) {
                case Step.TableSource t -> t.table().batches();
                case Step.ResultSource r -> results.get(r.resultId());
            };
            int threads = Math.min(workers.threads(), input.size());
            if (threads > 1) {
                new ParallelPipeline(p, input, threads).run();
                return;
            }
            PipelineBase instance = instantiate(p);
            Object[] resources = p.resources().stream().map(this::resolve).toArray();
            instance.init(p.params().toArray(), resources);
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

        /**
         * One pipeline on several threads: each worker has its own instance of the generated
         * class with its own sink (hash table or collector) and pulls morsels until none are
         * left; then the per-worker sinks are combined — build tables concatenated, aggregation
         * tables merged partition by partition in parallel, collected rows put back in morsel
         * order (so a parallel scan yields its rows in the same order as a serial one).
         */
        private final class ParallelPipeline {
            final Step.PipelineStep p;
            final List<Batch> input;
            final int threads;
            /** the hash table this pipeline fills, if any (tables it only reads are complete already) */
            final Step.HashTableResource sink;

            ParallelPipeline(Step.PipelineStep p, List<Batch> input, int threads) {
                this.p = p;
                this.input = input;
                this.threads = threads;
                this.sink = p.resources().stream()
                        .flatMap(r -> r instanceof Step.HashTableResource h && !tables.containsKey(h.tableId()) ? java.util.stream.Stream.of(h) : java.util.stream.Stream.empty())
                        .findFirst().orElse(null);
            }

            boolean aggregates() {
                return sink != null && sink.role() != Step.Role.JOIN_BUILD;
            }

            /** An instance whose sink is {@code table} and whose collectors are {@code collectors}. */
            PipelineBase instance(HashTable table, Map<Integer, BatchCollector> collectors) {
                PipelineBase instance = instantiate(p);
                Object[] resources = p.resources().stream().map(r -> switch (r) {
                    case Step.HashTableResource h when sink != null && h.tableId() == sink.tableId() -> table;
                    case Step.HashTableResource h -> tables.get(h.tableId());
                    case Step.CollectorResource c -> collectors.computeIfAbsent(c.resultId(), id -> new BatchCollector(c.schema(), mem));
                    case Step.Constant c -> c.value();
                }).toArray();
                instance.init(p.params().toArray(), resources);
                return instance;
            }

            void run() {
                HashTable[] sinks = new HashTable[threads];
                List<Map<Integer, BatchCollector>> workerCollectors = new ArrayList<>();
                PipelineBase[] instances = new PipelineBase[threads];
                for (int w = 0; w < threads; w++) {
                    sinks[w] = sink == null ? null : new HashTable(mem, sink.entryBytes(), 1024);
                    workerCollectors.add(new java.util.LinkedHashMap<>());
                    instances[w] = instance(sinks[w], workerCollectors.get(w));
                }
                @SuppressWarnings("unchecked")
                List<Batch>[][] perMorsel = new List[input.size()][];
                java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
                java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
                workers.forEach(threads, w -> {
                    try {
                        List<BatchCollector> mine = aggregates() ? List.of() : List.copyOf(workerCollectors.get(w).values());
                        for (int m; !failed.get() && (m = next.getAndIncrement()) < input.size(); ) {
                            instances[w].consume(input.get(m));
                            if (!mine.isEmpty()) {
                                @SuppressWarnings("unchecked")
                                List<Batch>[] out = new List[mine.size()];
                                for (int c = 0; c < out.length; c++) out[c] = mine.get(c).drain();
                                perMorsel[m] = out;
                            }
                        }
                    } catch (RuntimeException | Error e) {
                        failed.set(true);
                        throw e;
                    }
                });
                if (aggregates()) {
                    mergeAggregates(sinks);
                    return;
                }
                for (PipelineBase instance : instances) instance.finish();
                if (sink != null) {
                    for (int w = 1; w < threads; w++) sinks[0].absorb(sinks[w], sink.stringSlots().stream().mapToInt(Integer::intValue).toArray());
                    tables.put(sink.tableId(), sinks[0]);
                }
                // collected rows in morsel order: worker w's collectors were listed in the same order for every morsel
                List<Integer> resultIds = List.copyOf(workerCollectors.getFirst().keySet());
                for (int c = 0; c < resultIds.size(); c++) {
                    List<Batch> all = new ArrayList<>();
                    for (List<Batch>[] out : perMorsel) {
                        if (out != null) all.addAll(out[c]);
                    }
                    results.put(resultIds.get(c), all);
                }
            }

            /**
             * Each task owns one hash partition: it merges that partition of every worker's table
             * into a fresh table and emits its groups; the result is the partitions' rows in order.
             * An aggregate without keys has one group, hence one partition.
             */
            void mergeAggregates(HashTable[] sinks) {
                int parts = sink.role() == Step.Role.GLOBAL_AGGREGATE ? 1 : threads;
                List<Map<Integer, BatchCollector>> partCollectors = new ArrayList<>();
                for (int part = 0; part < parts; part++) partCollectors.add(new HashMap<>());
                long groups = 0;
                for (HashTable t : sinks) groups = Math.max(groups, t.size());
                long expected = groups;
                workers.forEach(parts, part -> {
                    HashTable target = new HashTable(mem, sink.entryBytes(), Math.max(1024, expected / parts));
                    PipelineBase merged = instance(target, partCollectors.get(part));
                    for (HashTable t : sinks) merged.merge(t, part, parts);
                    merged.finish();
                    target.free();
                });
                for (HashTable t : sinks) t.free();
                Map<Integer, List<Batch>> outputs = new HashMap<>();
                for (Map<Integer, BatchCollector> pc : partCollectors) {
                    for (var e : pc.entrySet()) outputs.computeIfAbsent(e.getKey(), id -> new ArrayList<>()).addAll(e.getValue().finish());
                }
                results.putAll(outputs);
            }
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
