package dev.kiln.optimizer.stream;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.SessionWindow;
import dev.kiln.ir.rel.Sort;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.rel.Union;
import dev.kiln.ir.rel.Values;
import dev.kiln.ir.stream.AggregateState;
import dev.kiln.ir.stream.Delta;
import dev.kiln.ir.stream.IncrementalPlan;
import dev.kiln.ir.stream.JoinState;
import dev.kiln.ir.stream.Linear;
import dev.kiln.ir.stream.StateAgg;
import dev.kiln.ir.stream.SessionState;
import dev.kiln.ir.stream.StreamInput;
import dev.kiln.ir.stream.WindowKey;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.IntStream;

/**
 * The incrementalization pass: turns a (batch-optimized) plan over streams and tables into the
 * {@link IncrementalPlan} that yields the change of its result per micro-batch, after the DBSP
 * algebra Q^Δ = D∘Q∘I, simplified as it goes:
 * <ul>
 *   <li>filters, projections and joins of a stream with a table are linear, so their increment is
 *       the same operator over the change; consecutive linear operators fuse into one
 *       {@link Linear} plan, compiled as one set of pipelines;</li>
 *   <li>an aggregation becomes a linear pre-aggregation of the change by weighted sums (compiled
 *       too) feeding an {@link AggregateState} that keeps one running state per group; MIN, MAX and
 *       DISTINCT aggregates, which weighted sums cannot retract, keep a multiset of values;</li>
 *   <li>a join of two streams becomes a {@link JoinState} (two delta joins over integrated sides);</li>
 *   <li>DISTINCT is an aggregation without aggregates (a group exists while its count is positive).</li>
 * </ul>
 * Tables (relations with no stream below them) stay ordinary plans inside the linear nodes. What
 * cannot run incrementally fails here, naming the operator and what to do instead.
 */
public final class Incrementalize {
    /** How a stream looks to the pass: its name, columns and event-time column. */
    public record StreamInfo(String name, Schema schema, OptionalInt eventTime) {}

    private final Map<String, StreamInfo> streams;
    private final List<String> notes = new ArrayList<>();

    private Incrementalize(Map<String, StreamInfo> streams) {
        this.streams = streams;
    }

    /**
     * @param plan        the query's plan (optimized for batch; join order and column pruning kept)
     * @param columnNames the query's result column names
     * @param streams     the streams by (lower-case) table name; every other table is static
     */
    public static IncrementalPlan run(Rel plan, List<String> columnNames, Map<String, StreamInfo> streams) {
        Incrementalize pass = new Incrementalize(streams);
        Rel body = plan;
        if (body instanceof Sort s) {
            if (s.limit() >= 0 || s.offset() > 0) {
                throw new KilnException("ORDER BY ... LIMIT/OFFSET cannot run on a stream: which rows are first changes with every batch; "
                        + "drop the LIMIT, or sort the sink's table when you read it");
            }
            pass.notes.add("ORDER BY is ignored on a stream: results are written as they change (sort when reading the sink)");
            body = s.input();
        }
        Part p = pass.visit(body);
        if (!(p instanceof Inc inc)) {
            throw new KilnException("the query reads no stream; run it as a batch query instead (kiln.sql / collect())");
        }
        Delta root = simplify(inc.toDelta());
        return new IncrementalPlan(root, columnNames, keyColumns(root), pass.notes);
    }

    /** What a sub-plan is: a static relation, or a change computed by a linear plan over deltas. */
    private sealed interface Part permits Static, Inc {}

    private record Static(Rel rel) implements Part {}

    /** The change of a relation: {@code plan} (ending with the weight) over the changes {@code inputs}. */
    private record Inc(Rel plan, List<Delta> inputs) implements Part {
        Inc {
            inputs = List.copyOf(inputs);
        }

        static Inc of(Delta d) {
            return new Inc(TableScan.all(Linear.inputRef(0, d.schema())), List.of(d));
        }

        /** The row columns (without the weight). */
        int width() {
            return plan.schema().size() - 1;
        }

        ColumnRef weight() {
            return new ColumnRef(width(), DataType.BIGINT, false);
        }

        Delta toDelta() {
            if (inputs.size() == 1 && plan instanceof TableScan s && Linear.inputIndex(s.table()) == 0
                    && s.columns().equals(IntStream.range(0, inputs.getFirst().schema().size()).boxed().toList())) {
                return inputs.getFirst();
            }
            return new Linear(plan, inputs);
        }
    }

    private Part visit(Rel r) {
        return switch (r) {
            case TableScan s -> {
                StreamInfo info = streams.get(s.table().name().toLowerCase(java.util.Locale.ROOT));
                if (info == null) yield new Static(s);
                // the input reads just the scanned columns (a source can skip the others)
                List<Integer> read = s.columns().stream().distinct().toList();
                StreamInput in = new StreamInput(info.name(), info.schema(), info.eventTime(), read);
                List<Integer> cols = new ArrayList<>();
                for (int c : s.columns()) cols.add(read.indexOf(c));
                cols.add(read.size()); // the weight
                yield new Inc(new TableScan(Linear.inputRef(0, in.schema()), cols), List.of(in));
            }
            case Values v -> new Static(v);
            case Filter f -> switch (visit(f.input())) {
                case Static st -> new Static(f.withInputs(List.of(st.rel())));
                case Inc in -> new Inc(new Filter(in.plan(), f.condition()), in.inputs());
            };
            case Project p -> switch (visit(p.input())) {
                case Static st -> new Static(p.withInputs(List.of(st.rel())));
                case Inc in -> {
                    List<Expr> exprs = new ArrayList<>(p.exprs());
                    List<String> names = new ArrayList<>(p.names());
                    exprs.add(in.weight());
                    names.add(Delta.WEIGHT);
                    yield new Inc(new Project(in.plan(), exprs, names), in.inputs());
                }
            };
            case Join j -> join(j, visit(j.left()), visit(j.right()));
            case Aggregate a -> switch (visit(a.input())) {
                case Static st -> new Static(a.withInputs(List.of(st.rel())));
                case Inc in -> sessionAggregate(a, in);
            };
            // inference is a function of each row alone: linear, its own increment
            case dev.kiln.ir.rel.Infer inf -> switch (visit(inf.input())) {
                case Static st -> new Static(inf.withInputs(List.of(st.rel())));
                case Inc in -> {
                    Rel applied = inf.withInputs(List.of(in.plan()));
                    Schema s = applied.schema();
                    int w = in.width();
                    List<Expr> exprs = new ArrayList<>();
                    List<String> names = new ArrayList<>();
                    for (int c = 0; c < s.size(); c++) {
                        if (c == w) continue;
                        exprs.add(ref(s, c));
                        names.add(s.field(c).name());
                    }
                    exprs.add(ref(s, w));
                    names.add(Delta.WEIGHT);
                    yield new Inc(new Project(applied, exprs, names), in.inputs());
                }
            };
            case SessionWindow w -> switch (visit(w.input())) {
                case Static st -> new Static(w.withInputs(List.of(st.rel())));
                case Inc in -> {
                    if (!LinearLineage.span(in.plan(), w.time(), in.inputs()).equals(OptionalLong.of(1))) {
                        notes.add("the session windows over " + w.input().schema().field(w.time()).name()
                                + " are not over a stream's event time: no watermark closes them, and their rows are kept forever");
                    }
                    yield Inc.of(new SessionState(in.toDelta(), w.keys(), w.time(), w.gapMicros(), w.name()));
                }
            };
            case Union u -> union(u);
            case Sort s -> switch (visit(s.input())) {
                case Static st -> new Static(s.withInputs(List.of(st.rel())));
                case Inc in -> throw new KilnException("ORDER BY inside a streaming query (in a sub-query or view) cannot run incrementally; sort only at the end");
            };
        };
    }

    // ---- joins

    private Part join(Join j, Part left, Part right) {
        if (left instanceof Static l && right instanceof Static r) return new Static(j.withInputs(List.of(l.rel(), r.rel())));
        if (left instanceof Inc l && right instanceof Static r) return streamWithTable(j, l, r.rel());
        if (left instanceof Static l && right instanceof Inc r) return tableWithStream(j, l.rel(), r);
        Inc l = (Inc) left;
        Inc r = (Inc) right;
        if (j.kind() == JoinKind.RIGHT) return rightJoin(j, l, r);
        if (j.kind() != JoinKind.INNER && j.kind() != JoinKind.LEFT) {
            throw new KilnException(j.kind() + " JOIN of two streams is not supported yet; INNER, LEFT and RIGHT joins of two streams run incrementally");
        }
        Optional<JoinState.TimeBound> bound = timeBound(j.condition(), l, r);
        if (bound.isEmpty() || bound.get().lo().isEmpty() || bound.get().hi().isEmpty()) {
            notes.add("the join of two streams on (" + dev.kiln.ir.expr.ExprPrinter.print(j.condition(), j.left().schema().concat(j.right().schema()))
                    + ") has no time bound on both sides (such as a.ts BETWEEN b.ts - INTERVAL ... AND b.ts + INTERVAL ...): its state keeps "
                    + (bound.isEmpty() ? "every row" : "the rows of one side") + " forever");
        }
        JoinState js = new JoinState(l.toDelta(), r.toDelta(), j.kind(), j.condition(), Delta.withWeight(j.schema()), bound);
        return Inc.of(js);
    }

    /** A RIGHT join of two streams: the LEFT join with the sides swapped, its columns put back in order. */
    private Part rightJoin(Join j, Inc l, Inc r) {
        int nl = l.width();
        int nr = r.width();
        int[] swap = new int[nl + nr];
        for (int i = 0; i < nl; i++) swap[i] = nr + i;
        for (int i = 0; i < nr; i++) swap[nl + i] = i;
        Join swapped = new Join(j.right(), j.left(), JoinKind.LEFT, Exprs.remap(j.condition(), swap));
        Inc left = (Inc) join(swapped, r, l);
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Schema s = left.plan().schema();
        for (int i = 0; i < nl; i++) add(exprs, names, s, nr + i);
        for (int i = 0; i < nr; i++) add(exprs, names, s, i);
        add(exprs, names, s, nr + nl);
        return new Inc(new Project(left.plan(), exprs, names), left.inputs());
    }

    /** stream ⋈ table: linear in the stream for INNER, LEFT, SEMI and ANTI joins. */
    private Part streamWithTable(Join j, Inc l, Rel table) {
        int nl = l.width();
        int nr = table.schema().size();
        switch (j.kind()) {
            case INNER, LEFT, SEMI, ANTI -> { }
            default -> throw new KilnException(j.kind() + " JOIN of a stream with a table cannot run incrementally (the table's unmatched rows "
                    + "would change with every batch); put the stream on the preserved side (LEFT JOIN) or use an INNER join");
        }
        // the weight sits between the stream's columns and the table's: shift the table's columns by one
        Expr cond = shiftFrom(j.condition(), nl, 1);
        Join joined = new Join(l.plan(), table, j.kind(), cond);
        if (!j.kind().projectsRight()) return new Inc(joined, l.inputs()); // SEMI/ANTI: the stream's columns and weight
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Schema s = joined.schema();
        for (int i = 0; i < nl; i++) add(exprs, names, s, i);
        for (int i = 0; i < nr; i++) add(exprs, names, s, nl + 1 + i);
        add(exprs, names, s, nl);
        return new Inc(new Project(joined, exprs, names), l.inputs());
    }

    /** table ⋈ stream: swapped so that the stream probes and the table is the hash join's build side. */
    private Part tableWithStream(Join j, Rel table, Inc r) {
        int nl = table.schema().size();
        int nr = r.width();
        JoinKind swapped = switch (j.kind()) {
            case INNER -> JoinKind.INNER;
            case RIGHT -> JoinKind.LEFT;
            case RIGHT_SEMI -> JoinKind.SEMI;
            case RIGHT_ANTI -> JoinKind.ANTI;
            default -> throw new KilnException(j.kind() + " JOIN of a table with a stream cannot run incrementally (the table's unmatched rows "
                    + "would change with every batch); put the stream on the preserved side or use an INNER join");
        };
        // original columns: table 0..nl-1, stream nl..nl+nr-1; swapped input: stream 0..nr (weight at nr), table nr+1..
        int[] map = new int[nl + nr];
        for (int i = 0; i < nl; i++) map[i] = nr + 1 + i;
        for (int i = 0; i < nr; i++) map[nl + i] = i;
        Join joined = new Join(r.plan(), table, swapped, Exprs.remap(j.condition(), map));
        if (!swapped.projectsRight()) return new Inc(joined, r.inputs());
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Schema s = joined.schema();
        for (int i = 0; i < nl; i++) add(exprs, names, s, nr + 1 + i);
        for (int i = 0; i < nr; i++) add(exprs, names, s, i);
        add(exprs, names, s, nr);
        return new Inc(new Project(joined, exprs, names), r.inputs());
    }

    private static void add(List<Expr> exprs, List<String> names, Schema s, int i) {
        Field f = s.field(i);
        exprs.add(new ColumnRef(i, f.type(), f.nullable()));
        names.add(f.name());
    }

    /** Adds {@code delta} to every column reference at or after {@code from}. */
    private static Expr shiftFrom(Expr e, int from, int delta) {
        return Exprs.rewrite(e, x -> x instanceof ColumnRef c && c.index() >= from ? new ColumnRef(c.index() + delta, c.type(), c.nullable()) : x);
    }

    /**
     * The bounds the condition's conjuncts put on (left event time - right event time): each
     * conjunct {@code L [+ a] op R [+ b]} (op one of &lt; &lt;= &gt; &gt;= =, L and R the sides'
     * event-time columns, a and b constant intervals) narrows them.
     */
    private static Optional<JoinState.TimeBound> timeBound(Expr condition, Inc l, Inc r) {
        int nl = l.width();
        int leftTime = -1, rightTime = -1;
        long lo = Long.MIN_VALUE, hi = Long.MAX_VALUE;
        for (Expr c : Exprs.conjuncts(condition)) {
            if (!(c instanceof Call call) || call.args().size() != 2) continue;
            Op op = call.op();
            if (op != Op.LT && op != Op.LE && op != Op.GT && op != Op.GE && op != Op.EQ) continue;
            long[] x = timeTerm(call.arg(0));
            long[] y = timeTerm(call.arg(1));
            if (x == null || y == null) continue;
            if (x[0] >= nl && y[0] < nl) { // R op L: flip to L op' R
                long[] t = x;
                x = y;
                y = t;
                op = op.flip();
            }
            if (!(x[0] < nl && y[0] >= nl)) continue;
            int lc = (int) x[0], rc = (int) (y[0] - nl);
            if (!LinearLineage.span(l.plan(), lc, l.inputs()).equals(OptionalLong.of(1)) || !LinearLineage.span(r.plan(), rc, r.inputs()).equals(OptionalLong.of(1))) continue;
            if ((leftTime >= 0 && leftTime != lc) || (rightTime >= 0 && rightTime != rc)) continue; // one pair of event-time columns
            leftTime = lc;
            rightTime = rc;
            long d = y[1] - x[1]; // L + a op R + b  <=>  L - R op b - a
            if (op == Op.LT || op == Op.LE || op == Op.EQ) hi = Math.min(hi, d);
            if (op == Op.GT || op == Op.GE || op == Op.EQ) lo = Math.max(lo, d);
        }
        if (leftTime < 0) return Optional.empty();
        return Optional.of(new JoinState.TimeBound(leftTime, rightTime, lo == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(lo),
                hi == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(hi)));
    }

    /** {column, offset in microseconds} of a column or a column plus a constant interval; null otherwise. */
    private static long[] timeTerm(Expr e) {
        if (e instanceof ColumnRef c && c.type() instanceof DataType.TimestampType) return new long[] {c.index(), 0};
        if (e instanceof Call c && c.args().size() == 2 && c.arg(0) instanceof ColumnRef col && col.type() instanceof DataType.TimestampType
                && c.arg(1) instanceof Literal k && k.value() instanceof Number n) {
            if (c.op() == Op.ADD_MICROS) return new long[] {col.index(), n.longValue()};
            if (c.op() == Op.ADD_DAYS) return new long[] {col.index(), Math.multiplyExact(n.longValue(), 86_400_000_000L)};
        }
        return null;
    }

    // ---- UNION ALL

    private Part union(Union u) {
        List<Part> parts = u.inputs().stream().map(this::visit).toList();
        if (parts.stream().allMatch(p -> p instanceof Static)) return new Static(u.withInputs(parts.stream().map(p -> ((Static) p).rel()).toList()));
        if (parts.stream().anyMatch(p -> p instanceof Static)) {
            throw new KilnException("UNION ALL of a stream and a table cannot run incrementally: the table's rows would be emitted only once; "
                    + "turn the table into a stream, or join it instead");
        }
        List<Rel> plans = new ArrayList<>();
        List<Delta> inputs = new ArrayList<>();
        for (Part p : parts) {
            Inc in = (Inc) p;
            plans.add(renumber(in.plan(), inputs.size()));
            inputs.addAll(in.inputs());
        }
        return new Inc(new Union(Delta.withWeight(u.schema()), plans), inputs);
    }

    /** The plan with its delta inputs numbered from {@code offset}. */
    private static Rel renumber(Rel plan, int offset) {
        if (offset == 0) return plan;
        if (plan instanceof TableScan s) {
            int i = Linear.inputIndex(s.table());
            return i < 0 ? s : new TableScan(Linear.inputRef(i + offset, s.table().schema()), s.columns());
        }
        return plan.withInputs(plan.inputs().stream().map(in -> renumber(in, offset)).toList());
    }

    // ---- aggregation

    /**
     * A GROUP BY over session windows needs each session's last row time to know when it closes:
     * when the query does not ask for MAX(time) itself (as SESSION_END does), it is added and
     * projected away again.
     */
    private Part sessionAggregate(Aggregate a, Inc inc) {
        Inc in = inc;
        for (int i = 0; i < a.groupKeys().size(); i++) {
            Optional<SessionState> s = session(in.plan(), a.groupKeys().get(i), in.inputs());
            if (s.isEmpty() || sessionEnd(a, in, s.get()).isPresent()) continue;
            int time = column(in.plan(), in.inputs(), s.get(), s.get().time());
            if (time < 0) {
                // the batch optimizer pruned the time column above the sessions: bring it back
                in = withTimeColumn(in, s.get());
                time = in.width() - 1;
            }
            Field t = in.plan().schema().field(time);
            List<AggCall> aggs = new ArrayList<>(a.aggs());
            aggs.add(new AggCall(AggFunc.MAX, List.of(time), false, t.type(), t.nullable(), "$session_end"));
            Aggregate withEnd = new Aggregate(a.input(), a.groupKeys(), aggs);
            AggregateState state = aggregate(withEnd, in);
            List<Expr> exprs = new ArrayList<>();
            List<String> names = new ArrayList<>();
            Schema rows = state.schema();
            for (int c = 0; c < rows.size() - 2; c++) {
                exprs.add(ref(rows, c));
                names.add(rows.field(c).name());
            }
            exprs.add(ref(rows, rows.size() - 1));
            names.add(Delta.WEIGHT);
            return new Inc(new Project(TableScan.all(Linear.inputRef(0, rows)), exprs, names), List.of(state));
        }
        return Inc.of(aggregate(a, in));
    }

    /**
     * The linear plan with the session state's time column carried up to its output (as the last
     * row column): added to the scan of the session state and passed through filters and projections.
     */
    private static Inc withTimeColumn(Inc in, SessionState s) {
        int input = in.inputs().indexOf(s);
        Rel carried = LinearLineage.carry(in.plan(), input, s.time());
        if (carried == null) {
            throw new KilnException("the session windows' time column " + s.input().rowSchema().field(s.time()).name()
                    + " must be kept up to the GROUP BY over the sessions (it tells when a session ends); select MAX of it in the aggregation");
        }
        // the carried column comes last, after the weight: put it before
        Schema cs = carried.schema();
        int n = cs.size();
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < n - 2; c++) {
            exprs.add(ref(cs, c));
            names.add(cs.field(c).name());
        }
        exprs.add(ref(cs, n - 1));
        names.add("$session_time");
        exprs.add(ref(cs, n - 2));
        names.add(Delta.WEIGHT);
        return new Inc(new Project(carried, exprs, names), in.inputs());
    }

    /** The session state whose session-start column column {@code col} of the linear plan is. */
    private static Optional<SessionState> session(Rel plan, int col, List<Delta> inputs) {
        int[] o = LinearLineage.origin(plan, col);
        if (o == null || !(inputs.get(o[0]) instanceof SessionState s) || o[1] != s.sessionColumn()) return Optional.empty();
        return Optional.of(s);
    }

    /** The index of the aggregate that is MAX of the session's time column, if any. */
    private static OptionalInt sessionEnd(Aggregate a, Inc in, SessionState s) {
        for (int j = 0; j < a.aggs().size(); j++) {
            AggCall c = a.aggs().get(j);
            if (c.func() != AggFunc.MAX || c.distinct() || c.args().size() != 1) continue;
            int[] o = LinearLineage.origin(in.plan(), c.args().getFirst());
            if (o != null && in.inputs().get(o[0]) == s && sameAsTime(s, o[1])) return OptionalInt.of(j);
        }
        return OptionalInt.empty();
    }

    /** Is column {@code c} of the session state's rows its time column, or a copy of the same column below it? */
    private static boolean sameAsTime(SessionState s, int c) {
        if (c == s.time()) return true;
        if (!(s.input() instanceof Linear l)) return false;
        int[] a = LinearLineage.origin(l.plan(), c);
        int[] b = LinearLineage.origin(l.plan(), s.time());
        return a != null && b != null && java.util.Arrays.equals(a, b);
    }

    /** The column of the linear plan that is column {@code c} of input {@code s} unchanged, or -1. */
    private static int column(Rel plan, List<Delta> inputs, Delta s, int c) {
        for (int i = 0; i < plan.schema().size(); i++) {
            int[] o = LinearLineage.origin(plan, i);
            if (o != null && inputs.get(o[0]) == s && o[1] == c) return i;
        }
        return -1;
    }

    private AggregateState aggregate(Aggregate a, Inc in) {
        Rel p = in.plan();
        ColumnRef w = in.weight();
        int k = a.groupKeys().size();
        Schema inRows = p.schema();
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int key : a.groupKeys()) {
            exprs.add(ref(inRows, key));
            names.add(inRows.field(key).name());
        }
        List<AggCall> partials = new ArrayList<>();
        List<StateAgg> stateAggs = new ArrayList<>();
        List<Delta> multisets = new ArrayList<>();
        for (AggCall call : a.aggs()) {
            // weighted sums cannot take back a minimum or a distinct value: these keep a multiset of values
            boolean multiset = call.distinct() || call.func() == AggFunc.MIN || call.func() == AggFunc.MAX || call.func() == AggFunc.ANY_VALUE;
            if (multiset && call.func() != AggFunc.SINGLE_VALUE) {
                if (call.args().size() != 1) throw new KilnException(call.func() + (call.distinct() ? " DISTINCT" : "") + " over several arguments cannot run incrementally yet");
                multisets.add(multiset(in, a.groupKeys(), call.args().getFirst()));
                stateAggs.add(new StateAgg(call, StateAgg.Kind.MULTISET, -1, -1, multisets.size())); // input 0 is the partials
                continue;
            }
            switch (call.func()) {
                case COUNT -> {
                    if (call.args().isEmpty()) {
                        stateAggs.add(new StateAgg(call, StateAgg.Kind.COUNT_ROWS, -1, -1, -1));
                    } else {
                        int c = addPartial(exprs, names, partials, k, nonNullWeight(inRows, call.args(), w), "count" + partials.size());
                        stateAggs.add(new StateAgg(call, StateAgg.Kind.COUNT, -1, c, -1));
                    }
                }
                case SUM, AVG -> {
                    Expr x = ref(inRows, call.args().getFirst());
                    int s = addPartial(exprs, names, partials, k, weighted(x, w), "sum" + partials.size());
                    int c = addPartial(exprs, names, partials, k, nonNullWeight(inRows, call.args(), w), "count" + partials.size());
                    stateAggs.add(new StateAgg(call, call.func() == AggFunc.SUM ? StateAgg.Kind.SUM : StateAgg.Kind.AVG, s, c, -1));
                }
                default -> throw new KilnException(call.func() + " cannot run incrementally: it has no state that can take back a row; "
                        + "supported on streams are COUNT, SUM, AVG, MIN, MAX and DISTINCT aggregates");
            }
        }
        exprs.add(w);
        names.add(Delta.WEIGHT);
        Project proj = new Project(p, exprs, names);
        int wIndex = exprs.size() - 1;
        List<AggCall> calls = new ArrayList<>(partials);
        calls.add(new AggCall(AggFunc.SUM, List.of(wIndex), false, DataType.BIGINT, k == 0, Delta.WEIGHT));
        Aggregate pre = new Aggregate(proj, IntStream.range(0, k).boxed().toList(), calls);
        Delta partialsDelta = new Linear(pre, in.inputs());
        Optional<WindowKey> window = Optional.empty();
        for (int i = 0; i < k && window.isEmpty(); i++) {
            Optional<SessionState> session = session(p, a.groupKeys().get(i), in.inputs());
            if (session.isPresent()) {
                OptionalInt end = sessionEnd(a, in, session.get());
                if (end.isPresent()) window = Optional.of(new WindowKey(i, session.get().gapMicros(), end));
                continue;
            }
            OptionalLong span = LinearLineage.span(p, a.groupKeys().get(i), in.inputs());
            if (span.isPresent()) window = Optional.of(new WindowKey(i, span.getAsLong()));
        }
        if (window.isEmpty() && k > 0) {
            notes.add("the aggregation by " + names.subList(0, k) + " has no event-time window key: its state grows with the number of groups and is never dropped");
        }
        return new AggregateState(partialsDelta, multisets, k, stateAggs, Delta.withWeight(a.schema()), window);
    }

    /** (keys, value, weight) of the non-NULL values, summed per (keys, value): a multiset's change. */
    private static Delta multiset(Inc in, List<Integer> keys, int arg) {
        Schema s = in.plan().schema();
        Rel filtered = new Filter(in.plan(), TypeRules.isNull(ref(s, arg), true));
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int key : keys) {
            exprs.add(ref(s, key));
            names.add(s.field(key).name());
        }
        exprs.add(ref(s, arg));
        names.add("value");
        exprs.add(in.weight());
        names.add(Delta.WEIGHT);
        Project proj = new Project(filtered, exprs, names);
        int n = keys.size() + 1;
        Aggregate agg = new Aggregate(proj, IntStream.range(0, n).boxed().toList(),
                List.of(new AggCall(AggFunc.SUM, List.of(n), false, DataType.BIGINT, false, Delta.WEIGHT)));
        return new Linear(agg, in.inputs());
    }

    private static int addPartial(List<Expr> exprs, List<String> names, List<AggCall> partials, int keyCount, Expr e, String name) {
        exprs.add(e);
        names.add(name);
        DataType t = TypeRules.aggregateType(AggFunc.SUM, Optional.of(e.type()));
        partials.add(new AggCall(AggFunc.SUM, List.of(exprs.size() - 1), false, t, true, name));
        return keyCount + partials.size() - 1;
    }

    /** x times the weight, in x's SUM type (NULL when x is). */
    private static Expr weighted(Expr x, ColumnRef w) {
        DataType t = x.type();
        if (t instanceof DataType.DoubleType) return TypeRules.arithmetic(Op.TIMES, x, TypeRules.castTo(w, DataType.DOUBLE));
        if (t instanceof DataType.IntType) return TypeRules.arithmetic(Op.TIMES, TypeRules.castTo(x, DataType.BIGINT), w);
        if (t instanceof DataType.DecimalType d) {
            DataType target = DataType.decimal(DataType.DecimalType.MAX_PRECISION, d.scale());
            Expr product = TypeRules.arithmetic(Op.TIMES, TypeRules.castTo(x, target), TypeRules.castTo(w, DataType.decimal(DataType.DecimalType.MAX_PRECISION, 0)));
            return product.type().equals(target) ? product : TypeRules.castTo(product, target);
        }
        throw new KilnException("SUM/AVG needs a numeric argument, not " + t.sql());
    }

    /** The weight where every argument is non-NULL, else 0. */
    private static Expr nonNullWeight(Schema s, List<Integer> args, ColumnRef w) {
        List<Expr> nulls = new ArrayList<>();
        for (int a : args) if (s.field(a).nullable()) nulls.add(TypeRules.isNull(ref(s, a), false));
        if (nulls.isEmpty()) return w;
        return TypeRules.caseWhen(List.of(new Case.When(TypeRules.or(nulls), Literal.of(0L))), w);
    }

    private static ColumnRef ref(Schema s, int i) {
        return new ColumnRef(i, s.field(i).type(), s.field(i).nullable());
    }

    // ---- simplification

    /** Column pruning and project merging inside every linear plan: the pass leaves projections of projections. */
    private static final dev.kiln.optimizer.Optimizer CLEANUP = dev.kiln.optimizer.Optimizer.of(List.of(
            new dev.kiln.optimizer.Pass("column-pruning", List.of(new dev.kiln.optimizer.rules.PruneColumns()), dev.kiln.optimizer.Pass.Strategy.ROOT_ONCE),
            new dev.kiln.optimizer.Pass("project-cleanup", List.of(new dev.kiln.optimizer.rules.MergeProjects(), new dev.kiln.optimizer.rules.RemoveIdentityProject()),
                    dev.kiln.optimizer.Pass.Strategy.FIXPOINT)));

    private static Delta simplify(Delta d) {
        return switch (d) {
            case StreamInput s -> s;
            case Linear l -> {
                Rel plan = CLEANUP.optimize(l.plan()).plan();
                // the weight column keeps its name (rules may rename a column they do not drop)
                if (!plan.schema().names().equals(l.plan().schema().names())) plan = new Project(plan, refs(plan.schema()), l.plan().schema().names());
                yield new Linear(plan, l.inputs().stream().map(Incrementalize::simplify).toList());
            }
            case AggregateState a -> new AggregateState(simplify(a.partials()), a.multisets().stream().map(Incrementalize::simplify).toList(), a.keyCount(),
                    a.aggs(), a.schema(), a.window());
            case JoinState j -> new JoinState(simplify(j.left()), simplify(j.right()), j.kind(), j.condition(), j.schema(), j.bound());
            case SessionState s -> new SessionState(simplify(s.input()), s.keys(), s.time(), s.gapMicros(), s.name());
        };
    }

    private static List<Expr> refs(Schema s) {
        List<Expr> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) out.add(new ColumnRef(i, s.field(i).type(), s.field(i).nullable()));
        return out;
    }

    // ---- result keys

    /** The result columns that identify a row for UPDATE output: the last aggregation's keys as the result shows them. */
    private static List<Integer> keyColumns(Delta root) {
        if (root instanceof AggregateState a) return IntStream.range(0, a.keyCount()).boxed().toList();
        if (root instanceof Linear l && l.inputs().size() == 1 && l.inputs().getFirst() instanceof AggregateState a) {
            List<Integer> keys = new ArrayList<>();
            for (int key = 0; key < a.keyCount(); key++) {
                int found = -1;
                for (int c = 0; c < l.schema().size() - 1 && found < 0; c++) {
                    if (LinearLineage.traces(l.plan(), c, key)) found = c;
                }
                if (found < 0) return IntStream.range(0, l.schema().size() - 1).boxed().toList(); // a key is not in the result: the whole row is the key
                keys.add(found);
            }
            return keys;
        }
        // a result that can lose rows (an aggregation's, a LEFT join's NULL-padded rows): the whole row is the key
        if (IncrementalPlan.retracts(root)) return IntStream.range(0, root.schema().size() - 1).boxed().toList();
        return List.of();
    }

    /** For tests: the table a linear plan's input {@code i} is scanned as. */
    static TableRef inputRef(int i, Schema schema) {
        return Linear.inputRef(i, schema);
    }
}
