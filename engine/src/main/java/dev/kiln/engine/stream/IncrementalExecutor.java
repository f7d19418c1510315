package dev.kiln.engine.stream;

import dev.kiln.ir.stream.AggregateState;
import dev.kiln.ir.stream.Delta;
import dev.kiln.ir.stream.IncrementalPlan;
import dev.kiln.ir.stream.JoinState;
import dev.kiln.ir.stream.Linear;
import dev.kiln.ir.stream.SessionState;
import dev.kiln.ir.stream.StreamInput;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.ZSets;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an incremental plan one micro-batch at a time: stream inputs yield the batch's new rows,
 * linear nodes run their compiled pipelines over their inputs' changes, stateful nodes update
 * their state. The stateful operators are numbered in a fixed depth-first order, which names
 * their state in the checkpoint (the same plan gets the same numbers after a restart).
 */
final class IncrementalExecutor implements AutoCloseable {
    /** Opens the durable state of operator {@code id} (e.g. "agg-0", "join-1-left"). */
    interface StateFactory {
        KeyedState open(String id);
    }

    private final IncrementalPlan plan;
    private final Map<Delta, PlanRunner> linear = new IdentityHashMap<>();
    private final Map<Delta, AggregateOperator> aggregates = new IdentityHashMap<>();
    private final Map<Delta, JoinOperator> joins = new IdentityHashMap<>();
    private final Map<Delta, LeftJoinOperator> leftJoins = new IdentityHashMap<>();
    private final Map<Delta, SessionOperator> sessions = new IdentityHashMap<>();
    private final List<AutoCloseable> states = new ArrayList<>();

    private final long latenessMicros;

    IncrementalExecutor(IncrementalPlan plan, PlanRunner.Factory plans, StateFactory stateFactory, boolean emitOnClose, long latenessMicros) {
        this.plan = plan;
        this.latenessMicros = latenessMicros;
        int[] next = {0};
        build(plan.root(), plans, stateFactory, emitOnClose, next, true);
    }

    private void build(Delta d, PlanRunner.Factory plans, StateFactory sf, boolean emitOnClose, int[] next, boolean top) {
        switch (d) {
            case StreamInput s -> { }
            case Linear l -> linear.put(l, plans.create(l.plan()));
            case AggregateState a -> {
                KeyedState s = sf.open("agg-" + next[0]++);
                states.add(s);
                // only the topmost aggregation (under linear nodes) emits on close in APPEND mode
                aggregates.put(a, new AggregateOperator(a, s, emitOnClose && top, latenessMicros));
            }
            case JoinState j -> {
                int id = next[0]++;
                KeyedState l = sf.open("join-" + id + "-left");
                KeyedState r = sf.open("join-" + id + "-right");
                states.add(l);
                states.add(r);
                if (j.kind() == dev.kiln.ir.rel.JoinKind.LEFT) {
                    LeftJoinOperator op = new LeftJoinOperator(j, l, r, plans);
                    states.add(op);
                    leftJoins.put(j, op);
                } else {
                    JoinOperator op = new JoinOperator(j, l, r, plans);
                    states.add(op);
                    joins.put(j, op);
                }
            }
            case SessionState w -> {
                KeyedState s = sf.open("session-" + next[0]++);
                states.add(s);
                sessions.put(w, new SessionOperator(w, s, latenessMicros));
            }
        }
        boolean below = top && d instanceof Linear;
        for (Delta in : d.inputs()) build(in, plans, sf, emitOnClose, next, below);
    }

    /** A stream's rows of one batch: the columns read (indexes into the stream's schema) and the batches of them. */
    record StreamRows(List<Integer> columns, List<Batch> batches) {}

    /** The columns each stream is read for, over all the plan's inputs of it (sorted). */
    static Map<String, java.util.SortedSet<Integer>> columnsRead(Delta d, Map<String, java.util.SortedSet<Integer>> out) {
        if (d instanceof StreamInput s) out.computeIfAbsent(s.stream(), k -> new java.util.TreeSet<>()).addAll(s.columns());
        for (Delta in : d.inputs()) columnsRead(in, out);
        return out;
    }

    /**
     * The change of the result for one batch.
     *
     * @param rows      each stream's new rows (without weights)
     * @param watermark the batch's watermark in microseconds (Long.MIN_VALUE: none)
     */
    List<Batch> run(Map<String, StreamRows> rows, long watermark, QueryMemory mem) {
        return eval(plan.root(), rows, watermark, mem, new IdentityHashMap<>());
    }

    private List<Batch> eval(Delta d, Map<String, StreamRows> rows, long watermark, QueryMemory mem, Map<Delta, List<Batch>> done) {
        List<Batch> memo = done.get(d);
        if (memo != null) return memo;
        List<Batch> out = switch (d) {
            case StreamInput s -> ZSets.inserts(select(rows.get(s.stream()), s), s.schema(), mem);
            case Linear l -> {
                Map<Integer, Table> inputs = new HashMap<>();
                for (int i = 0; i < l.inputs().size(); i++) {
                    Delta in = l.inputs().get(i);
                    inputs.put(i, new Table("$delta" + i, in.schema(), eval(in, rows, watermark, mem, done)));
                }
                yield linear.get(l).run(inputs, mem);
            }
            case AggregateState a -> {
                List<Batch> partials = eval(a.partials(), rows, watermark, mem, done);
                List<List<Batch>> sets = new ArrayList<>();
                for (Delta m : a.multisets()) sets.add(eval(m, rows, watermark, mem, done));
                yield ZSets.build(a.schema(), aggregates.get(a).apply(partials, sets, watermark), mem);
            }
            case JoinState j -> {
                List<Batch> l = eval(j.left(), rows, watermark, mem, done);
                List<Batch> r = eval(j.right(), rows, watermark, mem, done);
                yield j.kind() == dev.kiln.ir.rel.JoinKind.LEFT ? leftJoins.get(j).apply(l, r, watermark, mem) : joins.get(j).apply(l, r, watermark, mem);
            }
            case SessionState w -> ZSets.build(w.schema(), sessions.get(w).apply(eval(w.input(), rows, watermark, mem, done), watermark), mem);
        };
        done.put(d, out);
        return out;
    }

    /** The input's columns of the rows read for its stream. */
    private static List<Batch> select(StreamRows read, StreamInput s) {
        if (read == null) return List.of();
        if (read.columns().equals(s.columns())) return read.batches();
        List<Integer> positions = s.columns().stream().map(c -> read.columns().indexOf(c)).toList();
        dev.kiln.ir.type.Schema schema = s.rows().select(s.columns());
        List<Batch> out = new ArrayList<>(read.batches().size());
        for (Batch b : read.batches()) out.add(new Batch(schema, positions.stream().map(b::column).toList(), b.rowCount()));
        return out;
    }

    /** Rows dropped because they arrived after the watermark had closed their group. */
    long lateRows() {
        long n = 0;
        for (AggregateOperator a : aggregates.values()) n += a.lateRows;
        for (SessionOperator s : sessions.values()) n += s.lateRows;
        return n;
    }

    /** Entries held by all stateful operators. */
    long stateRows() {
        long n = 0;
        for (AggregateOperator a : aggregates.values()) n += a.stateRows();
        for (JoinOperator j : joins.values()) n += j.stateRows();
        for (LeftJoinOperator j : leftJoins.values()) n += j.stateRows();
        for (SessionOperator s : sessions.values()) n += s.stateRows();
        return n;
    }

    /** The compiled pipelines' Java source, per linear node (explain). */
    List<PlanRunner> runners() {
        return List.copyOf(linear.values());
    }

    @Override
    public void close() {
        for (AutoCloseable c : states) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing streaming state failed: " + e.getMessage(), e);
            }
        }
    }
}
