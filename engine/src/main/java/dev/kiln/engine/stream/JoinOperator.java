package dev.kiln.engine.stream;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.rel.Union;
import dev.kiln.ir.stream.JoinState;
import dev.kiln.ir.stream.Linear;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.RowCodec;
import dev.kiln.runtime.stream.ZSets;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link JoinState}: keeps both sides integrated (every row with its multiplicity, durable
 * in a {@link KeyedState} per side and mirrored in columnar batches for the compiled joins) and
 * computes each batch's change of the join as {@code R ⋈ dL + L' ⋈ dR} (R after this batch, L'
 * before it): one compiled plan, a UNION ALL of the two delta joins, with the hash tables built on
 * the deltas and the integrated sides probing them. Output weights are products of input weights.
 */
final class JoinOperator implements AutoCloseable {
    private final JoinState node;
    private final Side left;
    private final Side right;
    private final PlanRunner runner;

    JoinOperator(JoinState node, KeyedState leftState, KeyedState rightState, PlanRunner.Factory plans) {
        this.node = node;
        this.left = new Side(node.left().schema(), leftState);
        this.right = new Side(node.right().schema(), rightState);
        this.runner = plans.create(deltaJoins(node));
    }

    /** UNION ALL of R ⋈ dL (inputs 0, 1) and L' ⋈ dR (inputs 2, 3), each as left rows, right rows, product weight. */
    static Rel deltaJoins(JoinState j) {
        Schema l = j.left().schema();
        Schema r = j.right().schema();
        int nl = l.size() - 1;
        int nr = r.size() - 1;
        // R ⋈ dL with R first (probe) and dL second (build): left col i -> nr+1+i, right col j -> j
        int[] swap = new int[nl + nr];
        for (int i = 0; i < nl; i++) swap[i] = nr + 1 + i;
        for (int i = 0; i < nr; i++) swap[nl + i] = i;
        Join first = new Join(TableScan.all(Linear.inputRef(1, r)), TableScan.all(Linear.inputRef(0, l)), JoinKind.INNER, Exprs.remap(j.condition(), swap));
        List<Integer> firstCols = new ArrayList<>();
        for (int i = 0; i < nl; i++) firstCols.add(nr + 1 + i);
        for (int i = 0; i < nr; i++) firstCols.add(i);
        Rel a = project(first, firstCols, nr + 1 + nl, nr, j.schema());
        // L' ⋈ dR: left col i -> i, right col j -> nl+1+j
        int[] shift = new int[nl + nr];
        for (int i = 0; i < nl; i++) shift[i] = i;
        for (int i = 0; i < nr; i++) shift[nl + i] = nl + 1 + i;
        Join second = new Join(TableScan.all(Linear.inputRef(2, l)), TableScan.all(Linear.inputRef(3, r)), JoinKind.INNER, Exprs.remap(j.condition(), shift));
        List<Integer> secondCols = new ArrayList<>();
        for (int i = 0; i < nl; i++) secondCols.add(i);
        for (int i = 0; i < nr; i++) secondCols.add(nl + 1 + i);
        Rel b = project(second, secondCols, nl, nl + 1 + nr, j.schema());
        return new Union(j.schema(), List.of(a, b));
    }

    private static Rel project(Join join, List<Integer> cols, int leftWeight, int rightWeight, Schema out) {
        Schema s = join.schema();
        List<Expr> exprs = new ArrayList<>();
        for (int c : cols) exprs.add(new ColumnRef(c, s.field(c).type(), s.field(c).nullable()));
        exprs.add(new Call(Op.TIMES, List.of(new ColumnRef(leftWeight, DataType.BIGINT, false), new ColumnRef(rightWeight, DataType.BIGINT, false)),
                DataType.BIGINT, false));
        return new Project(join, exprs, out.names());
    }

    /**
     * The change of the join for one batch; afterwards the rows the watermark has put out of
     * reach of any future row (by the condition's time bound) leave the state.
     */
    List<Batch> apply(List<Batch> dLeft, List<Batch> dRight, long watermark, QueryMemory mem) {
        Table leftBefore = left.table("$left");
        right.add(dRight);
        List<Batch> out = runner.run(Map.of(
                0, new Table("$dleft", node.left().schema(), dLeft),
                1, right.table("$right"),
                2, leftBefore,
                3, new Table("$dright", node.right().schema(), dRight)), mem);
        left.add(dLeft);
        if (watermark != Long.MIN_VALUE && node.bound().isPresent()) {
            JoinState.TimeBound b = node.bound().get();
            if (b.lo().isPresent()) left.evictBefore(b.leftTime(), Math.addExact(watermark, b.lo().getAsLong()));
            if (b.hi().isPresent()) right.evictBefore(b.rightTime(), Math.subtractExact(watermark, b.hi().getAsLong()));
        }
        return out;
    }

    long stateRows() {
        return left.state.size() + right.state.size();
    }

    @Override
    public void close() {
        left.memory.close();
        right.memory.close();
    }

    /** One integrated side: durable row -> multiplicity entries, and the rows as batches in this side's memory. */
    private static final class Side {
        final Schema schema;
        final KeyedState state;
        final RowCodec codec;
        QueryMemory memory = new QueryMemory(Long.MAX_VALUE);
        /** the last eviction's cut: rows before it are gone */
        long evictedBefore = Long.MIN_VALUE;
        List<Batch> batches = new ArrayList<>();

        Side(Schema schema, KeyedState state) {
            this.schema = schema;
            this.state = state;
            this.codec = new RowCodec(ZSets.rowsOf(schema).fields().stream().map(Field::type).toList());
            rebuild();
        }

        Table table(String name) {
            return new Table(name, schema, batches);
        }

        void add(List<Batch> delta) {
            List<Object[]> rows = ZSets.rows(delta);
            if (rows.isEmpty()) return;
            for (Object[] row : rows) {
                long w = (Long) row[row.length - 1];
                if (w == 0) continue;
                byte[] key = codec.encode(row, 0, row.length - 1);
                byte[] old = state.get(key);
                long n = (old == null ? 0 : ByteBuffer.wrap(old).getLong()) + w;
                if (n == 0) state.remove(key);
                else state.put(key, ByteBuffer.allocate(8).putLong(n).array());
            }
            batches.addAll(ZSets.build(schema, rows, memory));
            if (batches.size() > 64) rebuild(); // many small batches: consolidate into few
        }

        /** Drops the rows whose event time (column {@code time}) is before {@code micros}; NULL times never match a bound, so they go too. */
        void evictBefore(int time, long micros) {
            if (micros <= evictedBefore) return;
            evictedBefore = micros;
            List<byte[]> gone = new ArrayList<>();
            state.forEach((k, v) -> {
                Object t = codec.decode(k)[time];
                if (t == null || RowCodec.micros((java.time.LocalDateTime) t) < micros) gone.add(k);
            });
            if (gone.isEmpty()) return;
            for (byte[] k : gone) state.remove(k);
            rebuild();
        }

        /** The batches again from the durable entries (consolidated: one row per distinct row). */
        void rebuild() {
            List<Object[]> rows = new ArrayList<>();
            state.forEach((k, v) -> {
                Object[] r = codec.decode(k);
                Object[] row = java.util.Arrays.copyOf(r, r.length + 1);
                row[r.length] = ByteBuffer.wrap(v).getLong();
                rows.add(row);
            });
            QueryMemory fresh = new QueryMemory(Long.MAX_VALUE);
            List<Batch> rebuilt = ZSets.build(schema, rows, fresh);
            memory.close();
            memory = fresh;
            batches = new ArrayList<>(rebuilt);
        }
    }
}
