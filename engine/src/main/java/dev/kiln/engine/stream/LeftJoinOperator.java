package dev.kiln.engine.stream;

import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Literal;
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
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a LEFT {@link JoinState}: the INNER join's change (as {@link JoinOperator} computes it),
 * plus the change of the NULL-padded rows - a left row is padded while it has no match. The left
 * side's state keeps, per distinct row, its multiplicity and its number of matches (the sum of
 * the matching right rows' multiplicities), so that a batch knows whose padded row appears
 * (a new row with no match, or the last match gone) or disappears (a first match). The compiled
 * delta joins give each joined row both weights and which delta join it came from; the rest is
 * done on the (few) rows that changed.
 */
final class LeftJoinOperator implements AutoCloseable {
    private final JoinState node;
    private final KeyedState leftState;
    private final RowCodec leftCodec;
    private final RowCodec rightCodec;
    private final KeyedState rightState;
    private final PlanRunner runner;
    private final int nl, nr;
    private final Schema leftSchema, rightSchema;
    private QueryMemory rightMemory = new QueryMemory(Long.MAX_VALUE);
    private List<Batch> rightRows = new ArrayList<>();
    private long leftEvictedBefore = Long.MIN_VALUE, rightEvictedBefore = Long.MIN_VALUE;

    LeftJoinOperator(JoinState node, KeyedState leftState, KeyedState rightState, PlanRunner.Factory plans) {
        this.node = node;
        this.leftState = leftState;
        this.rightState = rightState;
        this.leftSchema = node.left().schema();
        this.rightSchema = node.right().schema();
        this.nl = leftSchema.size() - 1;
        this.nr = rightSchema.size() - 1;
        this.leftCodec = new RowCodec(ZSets.rowsOf(leftSchema).fields().stream().map(Field::type).toList());
        this.rightCodec = new RowCodec(ZSets.rowsOf(rightSchema).fields().stream().map(Field::type).toList());
        this.runner = plans.create(deltaJoins());
        rebuildRight();
    }

    /**
     * UNION ALL of R ⋈ dL (inputs 1, 0; term 1) and L ⋈ dR (inputs 2, 3; term 2), each as left
     * columns, right columns, left weight, right weight, term; dL and L are consolidated (one row
     * per distinct left row), so a left row's matches add up once.
     */
    private Rel deltaJoins() {
        int[] swap = new int[nl + nr];
        for (int i = 0; i < nl; i++) swap[i] = nr + 1 + i;
        for (int i = 0; i < nr; i++) swap[nl + i] = i;
        Join first = new Join(TableScan.all(Linear.inputRef(1, rightSchema)), TableScan.all(Linear.inputRef(0, leftSchema)), JoinKind.INNER,
                Exprs.remap(node.condition(), swap));
        List<Integer> a = new ArrayList<>();
        for (int i = 0; i < nl; i++) a.add(nr + 1 + i);
        for (int i = 0; i < nr; i++) a.add(i);
        int[] shift = new int[nl + nr];
        for (int i = 0; i < nl; i++) shift[i] = i;
        for (int i = 0; i < nr; i++) shift[nl + i] = nl + 1 + i;
        Join second = new Join(TableScan.all(Linear.inputRef(2, leftSchema)), TableScan.all(Linear.inputRef(3, rightSchema)), JoinKind.INNER,
                Exprs.remap(node.condition(), shift));
        List<Integer> b = new ArrayList<>();
        for (int i = 0; i < nl; i++) b.add(i);
        for (int i = 0; i < nr; i++) b.add(nl + 1 + i);
        Schema out = outSchema();
        return new Union(out, List.of(project(first, a, nr + 1 + nl, nr, 1, out), project(second, b, nl, nl + 1 + nr, 2, out)));
    }

    private Schema outSchema() {
        List<Field> f = new ArrayList<>(ZSets.rowsOf(leftSchema).fields());
        f.addAll(ZSets.rowsOf(rightSchema).fields());
        f.add(new Field("__wl", DataType.BIGINT, false));
        f.add(new Field("__wr", DataType.BIGINT, false));
        f.add(new Field("__term", DataType.BIGINT, false));
        return new Schema(f);
    }

    private static Rel project(Join join, List<Integer> cols, int lw, int rw, long term, Schema out) {
        Schema s = join.schema();
        List<Expr> exprs = new ArrayList<>();
        for (int c : cols) exprs.add(new ColumnRef(c, s.field(c).type(), s.field(c).nullable()));
        exprs.add(new ColumnRef(lw, DataType.BIGINT, false));
        exprs.add(new ColumnRef(rw, DataType.BIGINT, false));
        exprs.add(new Literal(term, DataType.BIGINT));
        return new Project(join, exprs, out.names());
    }

    /** The change of the LEFT join for one batch (rows of the join's schema, then the weight). */
    List<Batch> apply(List<Batch> dLeft, List<Batch> dRight, long watermark, QueryMemory mem) {
        Map<List<Object>, Long> dl = consolidate(ZSets.rows(dLeft), nl);
        // the left side as it was, one row per distinct row, and the batch's left rows likewise
        List<Object[]> before = new ArrayList<>();
        leftState.forEach((k, v) -> {
            Object[] row = Arrays.copyOf(leftCodec.decode(k), nl + 1);
            row[nl] = ByteBuffer.wrap(v).getLong();
            before.add(row);
        });
        List<Object[]> dlRows = new ArrayList<>();
        dl.forEach((row, w) -> dlRows.add(withWeight(row.toArray(), w)));
        addRight(dRight);
        List<Batch> joined = runner.run(Map.of(
                0, new Table("$dleft", leftSchema, ZSets.build(leftSchema, dlRows, mem)),
                1, new Table("$right", rightSchema, rightRows),
                2, new Table("$left", leftSchema, ZSets.build(leftSchema, before, mem)),
                3, new Table("$dright", rightSchema, dRight)), mem);
        List<Object[]> out = new ArrayList<>();
        Map<List<Object>, Long> newMatches = new LinkedHashMap<>();   // term 1: a batch row's matches in R after the batch
        Map<List<Object>, Long> moreMatches = new LinkedHashMap<>();  // term 2: an earlier row's new matches
        for (Object[] r : ZSets.rows(joined)) {
            long wl = (Long) r[nl + nr], wr = (Long) r[nl + nr + 1];
            out.add(withWeight(Arrays.copyOf(r, nl + nr), wl * wr));
            List<Object> l = Arrays.asList(r).subList(0, nl);
            ((Long) r[nl + nr + 2] == 1 ? newMatches : moreMatches).merge(l, wr, Long::sum);
        }
        // the NULL-padded rows whose presence changed
        java.util.Set<List<Object>> touched = new java.util.LinkedHashSet<>(dl.keySet());
        touched.addAll(moreMatches.keySet());
        for (List<Object> l : touched) {
            byte[] key = leftCodec.encode(l.toArray());
            byte[] old = leftState.get(key);
            long m0 = old == null ? 0 : ByteBuffer.wrap(old).getLong(), c0 = old == null ? 0 : ByteBuffer.wrap(old).getLong(8);
            long m1 = m0 + dl.getOrDefault(l, 0L);
            long c1 = old == null ? newMatches.getOrDefault(l, 0L) : c0 + moreMatches.getOrDefault(l, 0L);
            long padded = (m1 > 0 && c1 == 0 ? m1 : 0) - (m0 > 0 && c0 == 0 ? m0 : 0);
            if (padded != 0) {
                Object[] row = Arrays.copyOf(l.toArray(), nl + nr + 1);
                row[nl + nr] = padded;
                out.add(row);
            }
            if (m1 == 0) leftState.remove(key);
            else leftState.put(key, ByteBuffer.allocate(16).putLong(m1).putLong(c1).array());
        }
        if (watermark != Long.MIN_VALUE && node.bound().isPresent()) evict(node.bound().get(), watermark);
        return ZSets.build(node.schema(), out, mem);
    }

    /** Drops the rows the watermark puts out of reach (a left row's padded row, if it has one, is final then). */
    private void evict(JoinState.TimeBound b, long watermark) {
        if (b.lo().isPresent()) {
            long cut = Math.addExact(watermark, b.lo().getAsLong());
            if (cut > leftEvictedBefore) {
                leftEvictedBefore = cut;
                removeBefore(leftState, leftCodec, b.leftTime(), cut);
            }
        }
        if (b.hi().isPresent()) {
            long cut = Math.subtractExact(watermark, b.hi().getAsLong());
            if (cut > rightEvictedBefore) {
                rightEvictedBefore = cut;
                if (removeBefore(rightState, rightCodec, b.rightTime(), cut)) rebuildRight();
            }
        }
    }

    private static boolean removeBefore(KeyedState state, RowCodec codec, int time, long micros) {
        List<byte[]> gone = new ArrayList<>();
        state.forEach((k, v) -> {
            Object t = codec.decode(k)[time];
            if (t == null || RowCodec.micros((LocalDateTime) t) < micros) gone.add(k);
        });
        for (byte[] k : gone) state.remove(k);
        return !gone.isEmpty();
    }

    private void addRight(List<Batch> dRight) {
        List<Object[]> rows = ZSets.rows(dRight);
        for (Object[] row : rows) {
            long w = (Long) row[nr];
            if (w == 0) continue;
            byte[] key = rightCodec.encode(row, 0, nr);
            byte[] old = rightState.get(key);
            long n = (old == null ? 0 : ByteBuffer.wrap(old).getLong()) + w;
            if (n == 0) rightState.remove(key);
            else rightState.put(key, ByteBuffer.allocate(8).putLong(n).array());
        }
        rightRows.addAll(ZSets.build(rightSchema, rows, rightMemory));
        if (rightRows.size() > 64) rebuildRight();
    }

    private void rebuildRight() {
        List<Object[]> rows = new ArrayList<>();
        rightState.forEach((k, v) -> rows.add(withWeight(rightCodec.decode(k), ByteBuffer.wrap(v).getLong())));
        QueryMemory fresh = new QueryMemory(Long.MAX_VALUE);
        List<Batch> rebuilt = ZSets.build(rightSchema, rows, fresh);
        rightMemory.close();
        rightMemory = fresh;
        rightRows = new ArrayList<>(rebuilt);
    }

    private static Map<List<Object>, Long> consolidate(List<Object[]> rows, int width) {
        Map<List<Object>, Long> out = new LinkedHashMap<>();
        for (Object[] r : rows) out.merge(Arrays.asList(Arrays.copyOf(r, width)), (Long) r[width], Long::sum);
        out.values().removeIf(w -> w == 0);
        return out;
    }

    private static Object[] withWeight(Object[] row, long w) {
        Object[] out = Arrays.copyOf(row, row.length + 1);
        out[row.length] = w;
        return out;
    }

    long stateRows() {
        return leftState.size() + rightState.size();
    }

    @Override
    public void close() {
        rightMemory.close();
    }
}
