package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.Block;
import dev.kiln.codegen.tree.Declare;
import dev.kiln.codegen.tree.For;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Local;
import dev.kiln.codegen.tree.LocalVar;
import dev.kiln.codegen.tree.ThisField;
import dev.kiln.codegen.tree.While;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Sort;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.rel.Values;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a physical-ready logical plan into pipelines by the produce/consume model: each operator
 * either passes rows on inside the current pipeline's loop (filter, project, hash probe) or ends
 * the pipeline in a sink (hash build, aggregation, materialization) and starts a new one reading
 * what the sink produced. Pipelines are appended to {@link #steps} in an order in which every
 * step's inputs are complete before it runs.
 */
public final class PipelinePlanner {
    /** Code that consumes the rows of the pipeline {@code p} at the current point of its loop. */
    interface RowConsumer {
        void accept(PipelineClass p, ExprCompiler ec, Row row);
    }

    private final Function<TableRef, Table> tables;
    private final boolean profile;
    /** operator → its slot in the row counters (by identity: equal subtrees are distinct operators) */
    private final java.util.IdentityHashMap<Rel, Integer> operators = new java.util.IdentityHashMap<>();
    final List<Step> steps = new ArrayList<>();
    private int nextPipeline;
    private int nextResult;
    private int nextHashTable;

    public PipelinePlanner(Function<TableRef, Table> tables) {
        this(tables, false);
    }

    /** @param profile generate row counters per operator (EXPLAIN ANALYZE) */
    public PipelinePlanner(Function<TableRef, Table> tables, boolean profile) {
        this.tables = tables;
        this.profile = profile;
    }

    /**
     * Plans the whole query; returns the steps, the id of the result holding its rows and, when
     * profiling, each operator's counter slot.
     */
    public record Plan(List<Step> steps, int resultId, Schema schema, java.util.Map<Rel, Integer> operators) {}

    public Plan plan(Rel root) {
        if (profile) number(root);
        int result;
        if (root instanceof Sort s) {
            result = sorted(s);
            if (profile) steps.add(new Step.CountStep(result, operators.get(s)));
        } else {
            result = materialize(root);
        }
        return new Plan(List.copyOf(steps), result, root.schema(), java.util.Collections.unmodifiableMap(operators));
    }

    /** Aggregates materialized so far, by plan structure: an equal subtree later is computed once (common subplans). */
    private final java.util.Map<Rel, java.util.Map.Entry<Rel, Integer>> aggregateResults = new java.util.HashMap<>();

    /** The result of an aggregate equal to {@code agg} already planned, with the counters of its subtree shared. */
    Optional<Integer> sharedAggregate(Aggregate agg) {
        var done = aggregateResults.get(agg);
        if (done == null) return Optional.empty();
        if (profile) alias(agg.input(), ((Aggregate) done.getKey()).input());
        return Optional.of(done.getValue());
    }

    void registerAggregate(Aggregate agg, int resultId) {
        aggregateResults.putIfAbsent(agg, java.util.Map.entry(agg, resultId));
    }

    /** The operators of {@code dup} report the rows of the equal operators of {@code original}, which really ran. */
    private void alias(Rel dup, Rel original) {
        operators.put(dup, operators.get(original));
        for (int i = 0; i < dup.inputs().size(); i++) alias(dup.inputs().get(i), original.inputs().get(i));
    }

    private void number(Rel rel) {
        operators.put(rel, operators.size());
        for (Rel in : rel.inputs()) number(in);
    }

    int newResult() {
        return nextResult++;
    }

    int newHashTable() {
        return nextHashTable++;
    }

    /** Runs {@code rel} into a new materialized result; returns its id. */
    int materialize(Rel rel) {
        int id = newResult();
        Schema schema = rel.schema();
        PipelineClass p = produce(rel, (pc, ec, row) -> Sinks.collect(pc, ec, row, id, schema));
        p.ops.add("collect r" + id);
        finishPipeline(p);
        return id;
    }

    PipelineClass newPipeline(Step.Source source, String sourceDescription) {
        PipelineClass p = new PipelineClass(nextPipeline++, sourceDescription);
        p.source = source;
        p.ops.add(sourceDescription);
        return p;
    }

    void finishPipeline(PipelineClass p) {
        steps.add(new Step.PipelineStep(p.id, String.join(" → ", p.ops), p.toClassDef(), p.source, List.copyOf(p.params), List.copyOf(p.resources), p.drainTables));
    }

    /** Produces the rows of {@code rel} into {@code consumer}; returns the pipeline the consumer ran in. */
    PipelineClass produce(Rel rel, RowConsumer consumer) {
        if (!profile) return produceRows(rel, consumer);
        int slot = operators.get(rel);
        return produceRows(rel, (p, ec, row) -> {
            ThisField counters = p.counters(operators.size());
            ec.cb.emit(J.eval(J.call(Fn.class, "count", counters, J.c(slot))));
            consumer.accept(p, ec, row);
        });
    }

    private PipelineClass produceRows(Rel rel, RowConsumer consumer) {
        return switch (rel) {
            case TableScan s -> scan(new Step.TableSource(s.table(), tables.apply(s.table())), "scan " + s.table().name(), s.schema(), s.columns(), consumer);
            case dev.kiln.ir.rel.Union u -> {
                // each input collected with the union's schema (nullable where any input is), then one scan over them all
                List<Integer> ins = new ArrayList<>();
                for (Rel in : u.inputs()) {
                    int id = newResult();
                    PipelineClass p = produce(in, (pc, ec, row) -> Sinks.collect(pc, ec, row, id, u.schema()));
                    p.ops.add("collect r" + id);
                    finishPipeline(p);
                    ins.add(id);
                }
                int out = newResult();
                steps.add(new Step.ConcatStep(ins, out));
                yield scanResult(out, u.schema(), consumer);
            }
            case Values v -> {
                int id = newResult();
                steps.add(new Step.ValuesStep(id, v.schema(), v.rows()));
                yield scanResult(id, v.schema(), consumer);
            }
            case Filter f -> produce(f.input(), (p, ec, row) -> {
                p.ops.add("filter");
                if (OutOfLine.size(f.condition()) > OutOfLine.LARGE_OPERATOR) {
                    // a huge predicate: each conjunct (or the whole) in its own method, still lazily
                    filterOutOfLine(ec, dev.kiln.ir.expr.Exprs.conjuncts(f.condition()), 0, row, () -> consumer.accept(p, ec, row));
                } else {
                    ec.ifTrue(f.condition(), row, () -> consumer.accept(p, ec, row));
                }
            });
            case Project pr -> produce(pr.input(), (p, ec, row) -> {
                p.ops.add("project");
                consumer.accept(p, ec, project(ec, pr.exprs(), row));
            });
            case Join j -> new JoinPlanner(this).produce(j, consumer);
            case Aggregate a -> new AggregatePlanner(this).produce(a, consumer);
            case Sort s -> scanResult(sorted(s), s.schema(), consumer);
            case dev.kiln.ir.rel.SessionWindow w -> scanResult(sessions(w), w.schema(), consumer);
            case dev.kiln.ir.rel.Infer i -> scanResult(infer(i), i.schema(), consumer);
        };
    }

    /** Evaluates projections; plain column references are forwarded without copying. */
    static Row project(ExprCompiler ec, List<Expr> exprs, Row row) {
        if (OutOfLine.worthSplitting(exprs)) return OutOfLine.projectInChunks(ec, exprs, row);
        List<Row.Column> cols = new ArrayList<>();
        for (Expr e : exprs) {
            if (e instanceof ColumnRef r) {
                cols.add(row.get(r.index()));
            } else {
                cols.add(new Row.Fixed(ec.materialize(ec.compile(e, row))));
            }
        }
        return new Row(cols);
    }

    /** A huge predicate: its conjuncts in groups, each group one out-of-line method, tested in order. */
    private static void filterOutOfLine(ExprCompiler ec, List<Expr> conjuncts, int i, Row row, Runnable body) {
        if (i == conjuncts.size()) {
            body.run();
            return;
        }
        List<Expr> group = new ArrayList<>();
        int size = 0;
        int j = i;
        while (j < conjuncts.size() && (group.isEmpty() || size + OutOfLine.size(conjuncts.get(j)) <= OutOfLine.LARGE_OPERATOR / 2)) {
            size += OutOfLine.size(conjuncts.get(j));
            group.add(conjuncts.get(j++));
        }
        Value v = OutOfLine.compile(ec, dev.kiln.ir.expr.Exprs.and(group), row);
        int next = j;
        dev.kiln.codegen.tree.Block then = ec.cb.block(() -> filterOutOfLine(ec, conjuncts, next, row, body));
        ec.cb.emit(dev.kiln.codegen.tree.If.of(ExprCompiler.isTrue(v), then));
    }

    private int sorted(Sort s) {
        int in = materialize(s.input());
        int out = newResult();
        String keys = s.keys().stream()
                .map(k -> s.schema().field(k.column()).name() + (k.ascending() ? " ASC" : " DESC") + (k.nullsFirst() ? " NULLS FIRST" : " NULLS LAST"))
                .toList().toString();
        String desc = "sort r" + in + " → r" + out + (s.keys().isEmpty() ? "" : " by " + keys)
                + (s.offset() > 0 ? " offset " + s.offset() : "") + (s.limit() >= 0 ? " limit " + s.limit() : "");
        steps.add(new Step.SortStep(in, out, s.schema(), s.keys(), s.offset(), s.limit(), desc));
        return out;
    }

    private int infer(dev.kiln.ir.rel.Infer i) {
        int in = materialize(i.input());
        int out = newResult();
        Schema s = i.input().schema();
        String desc = "infer r" + in + " → r" + out + ": model " + i.model() + i.prelude().map(p -> " after prelude " + p.model() + " (its " + p.output() + " per row)").orElse("") + " on " + i.args().stream().map(k -> s.field(k).name()).toList()
                + " → " + i.outputs().stream().map(o -> o.name()).toList() + ", rows batched by " + INFER_BATCH_ROWS;
        steps.add(new Step.InferStep(in, out, i, desc));
        return out;
    }

    /**
     * Rows per model call (the JVM property {@code kiln.inferBatchRows} sets another). Eight: a
     * CNN's activations for eight images stay in L2 where 32 images' do not (per row, ocr-cls ran
     * as fast at batch 1, 4 and 8 as at 32 and 10% faster than at 32, on one thread), and finer
     * chunks spread over the worker lanes more evenly; the end-to-end query over 300 text lines
     * took 15-30% less time than with 32.
     */
    public static final int INFER_BATCH_ROWS = Integer.getInteger("kiln.inferBatchRows", 8);

    private int sessions(dev.kiln.ir.rel.SessionWindow w) {
        int in = materialize(w.input());
        int out = newResult();
        Schema s = w.input().schema();
        String desc = "sessions r" + in + " → r" + out + ": " + w.name() + " := start of the session of " + s.field(w.time()).name()
                + " (gap " + w.gapMicros() + " µs) by " + w.keys().stream().map(k -> s.field(k).name()).toList();
        steps.add(new Step.SessionStep(in, out, w, desc));
        return out;
    }

    PipelineClass scanResult(int resultId, Schema schema, RowConsumer consumer) {
        List<Integer> all = java.util.stream.IntStream.range(0, schema.size()).boxed().toList();
        return scan(new Step.ResultSource(resultId, schema), "scan r" + resultId, schema, all, consumer);
    }

    /**
     * The source loop: for each row of the batch, the consumer's code. Column segments are read
     * once per batch; values are read where the consumer first uses them.
     */
    private PipelineClass scan(Step.Source source, String description, Schema schema, List<Integer> batchColumns, RowConsumer consumer) {
        PipelineClass p = newPipeline(source, description);
        CodeBuilder cb = p.body;
        Local batch = new Local(PipelineClass.BATCH);
        LocalVar n = cb.fresh("n", JType.INT);
        p.prologue.add(new Declare(n, J.vcall(batch, Batch.class, "rowCount")));
        LocalVar i = cb.fresh("i", JType.INT);
        List<Row.Column> cols = new ArrayList<>();
        for (int k = 0; k < schema.size(); k++) {
            Field f = schema.field(k);
            LocalVar vec = cb.fresh("col", JType.of(ColumnVector.class));
            p.prologue.add(new Declare(vec, J.vcall(batch, Batch.class, "column", J.c(batchColumns.get(k)))));
            LocalVar values = cb.fresh("values", J.SEGMENT);
            p.prologue.add(new Declare(values, J.vcall(new Local(vec), ColumnVector.class, "values")));
            Optional<Local> validity = Optional.empty();
            if (f.nullable()) {
                LocalVar v = cb.fresh("validity", J.SEGMENT);
                p.prologue.add(new Declare(v, J.vcall(new Local(vec), ColumnVector.class, "validity")));
                validity = Optional.of(new Local(v));
            }
            Optional<Local> heap = Optional.empty();
            if (f.type() instanceof DataType.VarcharType || f.type() instanceof DataType.TensorType) {
                LocalVar h = cb.fresh("heap", J.SEGMENT);
                p.prologue.add(new Declare(h, J.vcall(new Local(vec), ColumnVector.class, "heap")));
                heap = Optional.of(new Local(h));
            }
            cols.add(new ScanColumn(f.type(), new Local(values), validity, heap, new Local(i)));
        }
        Row row = new Row(cols);
        ExprCompiler ec = new ExprCompiler(p, cb);
        p.stageableRow = Optional.of(new Local(i));
        Block body = cb.block(() -> consumer.accept(p, ec, row));
        p.stageableRow = Optional.empty();
        Local li = new Local(i);
        if (p.stages.isEmpty()) {
            p.setLoop(new For(Optional.of("rows"), new Declare(i, J.c(0)), J.lt(li, new Local(n)), J.assign(li, J.add(li, J.c(1))), body));
            return p;
        }
        // staged probes (see PipelineClass.ProbeStage): per chunk, the first stage's loop, then each later stage's
        p.prologue.add(new Declare(i, J.c(0)));
        LocalVar c = cb.fresh("c", JType.INT);
        LocalVar end = cb.fresh("end", JType.INT);
        Local lc = new Local(c);
        List<dev.kiln.codegen.tree.JStmt> chunk = new ArrayList<>();
        chunk.add(new Declare(end, J.call(Math.class, "min", new Local(n), J.add(lc, J.c(PipelineClass.STAGE_ROWS)))));
        for (PipelineClass.ProbeStage s : p.stages) chunk.add(new Declare(s.count(), J.c(0)));
        chunk.add(J.assign(li, lc));
        chunk.add(new While(Optional.empty(), J.lt(li, new Local(end)), Block.of(body, J.assign(li, J.add(li, J.c(1))))));
        for (PipelineClass.ProbeStage s : p.stages) {
            Local lj = new Local(s.j());
            chunk.add(new For(Optional.empty(), new Declare(s.j(), J.c(0)), J.lt(lj, new Local(s.count())), J.assign(lj, J.add(lj, J.c(1))),
                    Block.of(J.assign(li, new dev.kiln.codegen.tree.ArrayLoad(s.rows(), lj)), s.body())));
        }
        p.setLoop(new For(Optional.empty(), new Declare(c, J.c(0)), J.lt(lc, new Local(n)), J.assign(lc, J.add(lc, J.c(PipelineClass.STAGE_ROWS))),
                new Block(chunk)));
        return p;
    }

    /** A column of the scanned batch at row {@code i}. */
    record ScanColumn(DataType type, Local values, Optional<Local> validity, Optional<Local> heap, Local i) implements Row.Column {
        public Value load(CodeBuilder cb) {
            JExpr isNull = validity.<JExpr>map(v -> J.call(Fn.class, "isNull", v, i)).orElse(J.FALSE);
            JExpr row = J.convert(i, JType.LONG);
            if (type instanceof DataType.VarcharType || type instanceof DataType.TensorType) {
                JExpr at = J.mul(row, J.c(4L));
                Local start = cb.declare("so", JType.INT, J.load(values, PhysicalKind.I32, at));
                Local end = cb.declare("se", JType.INT, J.load(values, PhysicalKind.I32, J.add(at, J.c(4L))));
                Local len = cb.declare("sl", JType.INT, J.bin(dev.kiln.codegen.tree.BinOp.SUB, end, start));
                return new Value.Str(type, isNull, heap.orElseThrow(), J.convert(start, JType.LONG), len);
            }
            PhysicalKind kind = type.physical();
            JExpr at = kind.width() == 1 ? row : J.mul(row, J.c((long) kind.width()));
            return new Value.Scalar(type, isNull, J.load(values, kind, at));
        }
    }

    static KilnException unsupported(String what) {
        return ExprCompiler.unsupported(what);
    }
}
