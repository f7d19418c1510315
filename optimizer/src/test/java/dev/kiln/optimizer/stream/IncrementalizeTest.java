package dev.kiln.optimizer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Sort;
import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.stream.AggregateState;
import dev.kiln.ir.stream.IncrementalPlan;
import dev.kiln.ir.stream.JoinState;
import dev.kiln.ir.stream.Linear;
import dev.kiln.ir.stream.StateAgg;
import dev.kiln.ir.stream.StreamInput;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The incrementalization pass's decisions: which nodes keep state, window keys, keys, refusals. */
class IncrementalizeTest {
    static final Schema EV = Schema.of(new Field("k", DataType.VARCHAR, false), new Field("v", DataType.BIGINT, true), new Field("ts", DataType.TIMESTAMP, false));
    static final TableRef EVENTS = new TableRef("events", EV, -1);
    static final TableRef DIMS = new TableRef("dims", Schema.of(new Field("k", DataType.VARCHAR, false), new Field("name", DataType.VARCHAR, false)), 10);
    static final Map<String, Incrementalize.StreamInfo> STREAMS = Map.of("events", new Incrementalize.StreamInfo("events", EV, OptionalInt.of(2)));

    static ColumnRef ref(Rel r, int i) {
        return new ColumnRef(i, r.schema().field(i).type(), r.schema().field(i).nullable());
    }

    static IncrementalPlan run(Rel plan) {
        return Incrementalize.run(plan, plan.schema().names(), STREAMS);
    }

    @Test
    void filtersAndTableJoinsStayOneLinearPlanOverTheStream() {
        Rel scan = TableScan.all(EVENTS);
        Rel dims = TableScan.all(DIMS);
        Rel join = new Join(dims, scan, JoinKind.INNER, TypeRules.compare(Op.EQ, new ColumnRef(0, DataType.VARCHAR, false), new ColumnRef(2, DataType.VARCHAR, false)));
        IncrementalPlan p = run(join);
        Linear l = (Linear) p.root();
        assertEquals(List.of("k", "name", "k", "v", "ts", "__w"), l.schema().names());
        assertTrue(l.inputs().getFirst() instanceof StreamInput);
        assertEquals(List.of(), p.keyColumns());
        assertTrue(!p.stateful());
        // the stream probes, the table is the hash join's build side (the right input)
        Join j = find(l.plan(), Join.class);
        assertTrue(j.right() instanceof TableScan t && t.table().equals(DIMS), dev.kiln.ir.rel.PlanPrinter.print(l.plan()));
    }

    @Test
    void aWindowedCountKeepsStateClosedByTheWatermark() {
        Rel scan = TableScan.all(EVENTS);
        Expr bucket = TypeRules.timeBucket(ref(scan, 2), new Literal(10_000_000L, DataType.BIGINT));
        Rel proj = new Project(scan, List.of(ref(scan, 0), bucket, ref(scan, 1)), List.of("k", "win", "v"));
        Rel agg = new Aggregate(proj, List.of(0, 1), List.of(
                new AggCall(AggFunc.COUNT, List.of(), false, DataType.BIGINT, false, "n"),
                new AggCall(AggFunc.MAX, List.of(2), false, DataType.BIGINT, true, "hi")));
        IncrementalPlan p = run(agg);
        AggregateState a = (AggregateState) p.root();
        assertEquals(1, a.window().orElseThrow().key());
        assertEquals(10_000_000L, a.window().orElseThrow().span());
        assertEquals(List.of(StateAgg.Kind.COUNT_ROWS, StateAgg.Kind.MULTISET), a.aggs().stream().map(StateAgg::kind).toList());
        assertEquals(1, a.multisets().size());
        assertEquals(List.of(0, 1), p.keyColumns());
        assertEquals(1, IncrementalPlan.aggregations(p.root()));
        // the pre-aggregation is linear: SUM of the weights per group
        assertTrue(a.partials() instanceof Linear l && l.plan() instanceof Aggregate, a.partials().toString());
    }

    @Test
    void twoStreamsJoinThroughJoinState() {
        Rel a = TableScan.all(EVENTS);
        Rel b = TableScan.all(EVENTS);
        Rel join = new Join(a, b, JoinKind.INNER, TypeRules.compare(Op.EQ, new ColumnRef(0, DataType.VARCHAR, false), new ColumnRef(3, DataType.VARCHAR, false)));
        assertTrue(run(join).root() instanceof JoinState);
    }

    @Test
    void whatCannotRunIncrementallyFailsSayingWhatToDo() {
        Rel scan = TableScan.all(EVENTS);
        Rel dims = TableScan.all(DIMS);
        Expr eq = TypeRules.compare(Op.EQ, new ColumnRef(0, DataType.VARCHAR, false), new ColumnRef(3, DataType.VARCHAR, false));
        KilnException e = assertThrows(KilnException.class, () -> run(new Join(scan, dims, JoinKind.FULL, eq)));
        assertTrue(e.getMessage().startsWith("FULL JOIN of a stream with a table cannot run incrementally"), e.getMessage());
        e = assertThrows(KilnException.class, () -> run(new Sort(scan, List.of(new SortKey(0, true, false)), 0, 10)));
        assertTrue(e.getMessage().startsWith("ORDER BY ... LIMIT/OFFSET cannot run on a stream"), e.getMessage());
        e = assertThrows(KilnException.class, () -> run(dims));
        assertEquals("the query reads no stream; run it as a batch query instead (kiln.sql / collect())", e.getMessage());
        Rel outer = new Join(scan, TableScan.all(EVENTS), JoinKind.FULL, TypeRules.compare(Op.EQ, new ColumnRef(0, DataType.VARCHAR, false), new ColumnRef(3, DataType.VARCHAR, false)));
        e = assertThrows(KilnException.class, () -> run(outer));
        assertTrue(e.getMessage().startsWith("FULL JOIN of two streams is not supported yet; INNER, LEFT and RIGHT joins of two streams run incrementally"), e.getMessage());
    }

    @Test
    void aStreamInputReadsOnlyTheScannedColumns() {
        Rel scan = new TableScan(EVENTS, List.of(2, 0));
        // a scan that reads its input as it is needs no linear plan: the stream input is the root
        StreamInput in = (StreamInput) run(scan).root();
        assertEquals(List.of(2, 0), in.columns());
        assertEquals(0, in.eventTimePosition());
    }

    @SuppressWarnings("unchecked")
    static <T extends Rel> T find(Rel r, Class<T> type) {
        if (type.isInstance(r)) return (T) r;
        for (Rel in : r.inputs()) {
            T t = find(in, type);
            if (t != null) return t;
        }
        return null;
    }
}
