package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.Block;
import dev.kiln.codegen.tree.Break;
import dev.kiln.codegen.tree.If;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Local;
import dev.kiln.codegen.tree.LocalVar;
import dev.kiln.codegen.tree.ThisField;
import dev.kiln.codegen.tree.While;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinConditions;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.runtime.hash.HashTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hash joins: the build side runs in its own pipeline into a hash table keyed on the equi-join
 * columns (a join without equalities uses no keys: every build row is in one chain); the probe
 * side's pipeline looks each row up and continues with the joined row inside the match loop.
 * Rows with a NULL key never match. INNER joins build their right input: the optimizer's join
 * ordering puts the input it estimates smaller there.
 *
 * <p>FULL, RIGHT_SEMI and RIGHT_ANTI joins also build their right input, with a mark word in every
 * entry: the probe marks each entry it matches, and once the probe side is consumed the probe
 * pipeline <em>drains</em> the table, emitting the entries the join keeps (unmatched ones, NULL
 * padded, for FULL; matched ones for RIGHT_SEMI; unmatched ones for RIGHT_ANTI) into the rest of
 * the pipeline. Build rows with a NULL key are stored, marked {@link #NULL_KEY}, only where they
 * are output (FULL, RIGHT_ANTI); no probe ever matches them.
 */
final class JoinPlanner {
    /** Mark word values: never matched (fresh entries are zeroed), matched, NULL key. */
    private static final long MATCHED = 1L;
    private static final long NULL_KEY = 2L;

    private final PipelinePlanner planner;

    JoinPlanner(PipelinePlanner planner) {
        this.planner = planner;
    }

    PipelineClass produce(Join j, PipelinePlanner.RowConsumer consumer) {
        JoinConditions.Analysis a = JoinConditions.analyze(j);
        Expr residual = Exprs.and(a.residual());
        int leftWidth = j.left().schema().size();
        return switch (j.kind()) {
            case INNER, LEFT, SEMI, ANTI, FULL, RIGHT_SEMI, RIGHT_ANTI ->
                    hashJoin(j.left(), j.right(), a.leftKeys(), a.rightKeys(), residual, j.kind(), false, leftWidth, consumer);
            case RIGHT -> hashJoin(j.right(), j.left(), a.rightKeys(), a.leftKeys(), residual, JoinKind.LEFT, true, leftWidth, consumer);
        };
    }

    private static boolean marked(JoinKind kind) {
        return kind == JoinKind.FULL || kind == JoinKind.RIGHT_SEMI || kind == JoinKind.RIGHT_ANTI;
    }

    /**
     * @param swapped the probe side is the plan's right input: output and residual columns are
     *                still ordered left-then-right
     */
    private PipelineClass hashJoin(Rel probe, Rel build, List<Integer> probeKeys, List<Integer> buildKeys, Expr residual,
                                   JoinKind kind, boolean swapped, int leftWidth, PipelinePlanner.RowConsumer consumer) {
        List<Field> buildFields = build.schema().fields();
        List<DataType> slots = new ArrayList<>();
        for (int k : buildKeys) slots.add(buildFields.get(k).type());
        // a build column that is also a key is read back from the key's slot (same value, same
        // NULL flag), so entries are smaller; not DOUBLE keys, stored normalized (-0.0 as 0.0)
        int[] payloadSlot = new int[buildFields.size()];
        for (int c = 0; c < buildFields.size(); c++) {
            int k = buildKeys.indexOf(c);
            if (k >= 0 && !(buildFields.get(c).type() instanceof DataType.DoubleType)) {
                payloadSlot[c] = k;
            } else {
                payloadSlot[c] = slots.size();
                slots.add(buildFields.get(c).type());
            }
        }
        boolean marked = marked(kind);
        EntryLayout layout = new EntryLayout(slots, marked ? 8 : 0);
        long markAt = layout.extraOffset();
        boolean keepNullKeys = kind == JoinKind.FULL || kind == JoinKind.RIGHT_ANTI;
        boolean nullKeysStored = keepNullKeys && buildKeys.stream().anyMatch(k -> buildFields.get(k).nullable());
        int tableId = planner.newHashTable();
        Step.HashTableResource spec = new Step.HashTableResource(tableId, layout.entryBytes(), Step.Role.JOIN_BUILD, layout.stringSlots());
        int keyCount = buildKeys.size();

        // build pipeline
        PipelineClass bp = planner.produce(build, (p, ec, row) -> {
            p.ops.add("hash build ht" + tableId + keysText(build, buildKeys) + (marked ? " (marked)" : ""));
            ThisField ht = p.resource(spec, HashTable.class);
            List<Value> keys = new ArrayList<>();
            for (int k : buildKeys) keys.add(ec.materialize(row.get(k).load(ec.cb)));
            JExpr anyNull = J.FALSE;
            for (Value v : keys) anyNull = J.or(anyNull, v.isNull());
            JExpr keyNull = anyNull;
            Block insert = ec.cb.block(() -> {
                Local e = ec.cb.declare("e", JType.LONG, J.vcall(ht, HashTable.class, "insert", EntryLayout.hash(keys)));
                Local ents = ec.cb.declare("ents", J.SEGMENT, J.vcall(ht, HashTable.class, "entries"));
                for (int k = 0; k < keyCount; k++) layout.store(ec.cb, ht, ents, e, k, keys.get(k));
                List<Integer> payload = new ArrayList<>();
                for (int c = 0; c < buildFields.size(); c++) if (payloadSlot[c] >= keyCount) payload.add(c);
                if (payload.size() <= STORES_INLINE) {
                    for (int c : payload) layout.store(ec.cb, ht, ents, e, payloadSlot[c], row.get(c).load(ec.cb));
                } else {
                    // a wide build row (each string column copies its bytes and sets a NULL bit) is
                    // stored by helper methods of STORES_INLINE columns each, to keep the loop small
                    for (int from = 0; from < payload.size(); from += STORES_INLINE) {
                        List<Integer> chunk = payload.subList(from, Math.min(payload.size(), from + STORES_INLINE));
                        java.util.BitSet used = new java.util.BitSet();
                        chunk.forEach(used::set);
                        CodeBuilder mcb = new CodeBuilder();
                        List<LocalVar> params = new ArrayList<>();
                        List<JExpr> args = new ArrayList<>();
                        Row inner = OutOfLine.passColumns(ec, row, used, mcb, params, args);
                        LocalVar pe = mcb.fresh("e", JType.LONG);
                        LocalVar pents = mcb.fresh("ents", J.SEGMENT);
                        params.add(pe);
                        params.add(pents);
                        args.add(e);
                        args.add(ents);
                        for (int c : chunk) layout.store(mcb, ht, new Local(pents), new Local(pe), payloadSlot[c], inner.get(c).load(mcb));
                        String name = p.methodName("store");
                        p.extraMethods.add(new dev.kiln.codegen.tree.MethodDef(name, JType.VOID, params, mcb.close(), false));
                        ec.cb.emit(J.eval(new dev.kiln.codegen.tree.InvokeThis(name, JType.VOID, args)));
                    }
                }
                if (nullKeysStored) ec.cb.emit(If.of(keyNull, J.storeLong(ents, J.add(e, J.c(markAt)), J.c(NULL_KEY))));
            });
            ec.cb.emit(anyNull.equals(J.FALSE) || keepNullKeys ? insert : If.of(J.not(anyNull), insert));
        });
        planner.finishPipeline(bp);

        // probe: continues in the probe side's pipeline
        PipelinePlanner.RowConsumer onProbeRow = (p, ec, row) -> {
            p.ops.add("probe ht" + tableId + " (" + kind + (swapped ? ", build=left" : "") + ")");
            ThisField ht = p.resource(spec, HashTable.class);
            // what follows a probe runs inside its match loop: no later probe can stage the loop
            Optional<Local> stageRow = p.stageableRow;
            p.stageableRow = Optional.empty();
            if (marked) {
                // registered before the code below emits the rest of the pipeline, so that a marked
                // join further down registers after this one: drains run in registration order, and
                // this table's drained rows may still mark entries of a table drained later
                p.addDrain(tableId, (from, to) -> drainLoop(p, ec, tableId, ht, layout, payloadSlot, buildFields, probe.schema().fields(), kind, markAt, from, to, consumer));
            }
            LocalVar entsVar = p.body.fresh("ents", J.SEGMENT);
            p.prologue.add(new dev.kiln.codegen.tree.Declare(entsVar, J.vcall(ht, HashTable.class, "entries")));
            Local ents = new Local(entsVar);
            Probe probeOp = new Probe(p, ec, ht, ents, layout, payloadSlot, buildFields, residual, kind, swapped, markAt, nullKeysStored, consumer);
            List<Value> keys = new ArrayList<>();
            for (int k : probeKeys) keys.add(ec.materialize(row.get(k).load(ec.cb)));
            JExpr anyNull = J.FALSE;
            for (Value v : keys) anyNull = J.or(anyNull, v.isNull());
            Local h = ec.cb.declare("h", JType.LONG, EntryLayout.hash(keys));
            // a spilled build side is probed one range of hash partitions per pass: a row takes
            // part in the pass of its partition (rows with a NULL key, which match nothing, in the first)
            JExpr accepts = J.vcall(ht, HashTable.class, "accepts", h);
            if (stageRow.isPresent() && (kind == JoinKind.INNER || kind == JoinKind.SEMI) && restageable(row)) {
                stage(p, ec, stageRow.get(), probeOp, ht, h, J.and(J.not(anyNull), accepts), row, probeKeys);
                return;
            }
            Local matched = ec.cb.declare("matched", JType.BOOLEAN, J.FALSE);
            JExpr take = accepts;
            if (!anyNull.equals(J.FALSE)) take = new dev.kiln.codegen.tree.Ternary(anyNull, J.vcall(ht, HashTable.class, "firstPass"), take);
            JExpr keyNull = anyNull;
            Block probeRow = ec.cb.block(() -> {
                Block search = ec.cb.block(() -> {
                    Local e = ec.cb.declare("e", JType.LONG, J.vcall(ht, HashTable.class, "head", h));
                    probeOp.search(row, keys, h, e, matched);
                });
                ec.cb.emit(keyNull.equals(J.FALSE) ? search : If.of(J.not(keyNull), search));
                switch (kind) {
                    case LEFT, FULL -> {
                        Row padded = ordered(row, nullRow(ec, buildFields), swapped);
                        ec.cb.emit(If.of(J.not(matched), ec.cb.block(() -> consumer.accept(p, ec, padded))));
                    }
                    case SEMI -> ec.cb.emit(If.of(matched, ec.cb.block(() -> consumer.accept(p, ec, row))));
                    case ANTI -> ec.cb.emit(If.of(J.not(matched), ec.cb.block(() -> consumer.accept(p, ec, row))));
                    default -> { }
                }
            });
            ec.cb.emit(If.of(take, probeRow));
        };
        // A LEFT or FULL probe emits the rest of its pipeline twice (after a match, and padded for
        // none), so a second one in a pipeline would make four copies; and every probe adds its
        // key comparison and the columns it brings. Past those limits the probe side is collected
        // first and this probe starts a new pipeline over it, so that no method outgrows what the
        // JIT compiles (a join of 64 tables is 11 pipelines, not one of 63 probes).
        int[] probes = probesInPipeline(probe);
        boolean outer = kind == JoinKind.LEFT || kind == JoinKind.FULL;
        if (outer && probes[0] >= MAX_OUTER_PROBES_PER_PIPELINE || probes[1] >= MAX_PROBES_PER_PIPELINE) {
            return planner.scanResult(planner.materialize(probe), probe.schema(), onProbeRow);
        }
        return planner.produce(probe, onProbeRow);
    }

    /** A hash-join build stores at most this many payload columns in the loop; wider rows go through helper methods. */
    static final int STORES_INLINE = 8;

    /** At most this many LEFT/FULL probes run in one pipeline (the code after the last is emitted 2^n times). */
    static final int MAX_OUTER_PROBES_PER_PIPELINE = 1;
    /** At most this many probes of any kind run in one pipeline (TPC-H's at SF 1 have at most three). */
    static final int MAX_PROBES_PER_PIPELINE = 6;

    /**
     * The probes that run in the pipeline producing {@code rel} (through filters, projections and
     * probe sides, as {@link #produce} plans them): {LEFT and FULL ones, all}.
     */
    private static int[] probesInPipeline(Rel rel) {
        return switch (rel) {
            case dev.kiln.ir.rel.Filter f -> probesInPipeline(f.input());
            case dev.kiln.ir.rel.Project p -> probesInPipeline(p.input());
            case Join j -> {
                int[] below = probesInPipeline(j.kind() == JoinKind.RIGHT ? j.right() : j.left());
                boolean outer = j.kind() == JoinKind.LEFT || j.kind() == JoinKind.FULL || j.kind() == JoinKind.RIGHT;
                yield new int[] {below[0] + (outer ? 1 : 0), below[1] + 1};
            }
            default -> new int[] {0, 0};
        };
    }

    /**
     * Can the row be rebuilt in a later stage: are all its columns read where used, from the
     * scanned batch at the row index or from entries of earlier probes at offsets held in locals
     * (no values computed into locals of this stage)?
     */
    private static boolean restageable(Row row) {
        for (int c = 0; c < row.size(); c++) {
            Row.Column col = row.get(c);
            if (col instanceof PipelinePlanner.ScanColumn) continue;
            if (col instanceof EntryLayout.EntryColumn ec && ec.entry() instanceof Local) continue;
            return false;
        }
        return true;
    }

    /**
     * Stages the scan loop at this probe (an INNER or SEMI join reached from the scan through
     * filters and earlier staged probes only; see {@link PipelineClass.ProbeStage}): here, a row
     * whose bucket has an entry is recorded with its hash, that entry and the entries the
     * earlier probes matched; the next stage rebuilds the row from the batch and those entries
     * and walks the chain from the recorded entry, running the rest of the pipeline (where a
     * further probe may stage again).
     */
    private static void stage(PipelineClass p, ExprCompiler ec, Local rowIndex, Probe probeOp, ThisField ht, Local h, JExpr take,
                              Row row, List<Integer> probeKeys) {
        // the arrays start small and grow (doubling) as rows are staged: a pipeline instance made for a
        // few rows (a streaming query's tiny batches make one per batch) does not allocate a chunk's worth
        int n = 64;
        List<Local> entries = new ArrayList<>();
        for (int c = 0; c < row.size(); c++) {
            if (row.get(c) instanceof EntryLayout.EntryColumn col && !entries.contains((Local) col.entry())) entries.add((Local) col.entry());
        }
        ThisField rows = p.initializedField("stageRows", JType.INT.arrayOf(), new dev.kiln.codegen.tree.NewArray(JType.INT, J.c(n)));
        ThisField hashes = p.initializedField("stageHashes", JType.LONG.arrayOf(), new dev.kiln.codegen.tree.NewArray(JType.LONG, J.c(n)));
        ThisField heads = p.initializedField("stageHeads", JType.LONG.arrayOf(), new dev.kiln.codegen.tree.NewArray(JType.LONG, J.c(n)));
        List<ThisField> matchedEntries = new ArrayList<>();
        for (int k = 0; k < entries.size(); k++) {
            matchedEntries.add(p.initializedField("stageEntries", JType.LONG.arrayOf(), new dev.kiln.codegen.tree.NewArray(JType.LONG, J.c(n))));
        }
        LocalVar count = p.body.fresh("staged", JType.INT);
        LocalVar j = p.body.fresh("j", JType.INT);
        Local m = new Local(count);
        Block record = ec.cb.block(() -> {
            Local e = ec.cb.declare("e", JType.LONG, J.vcall(ht, HashTable.class, "head", h));
            {
                List<dev.kiln.codegen.tree.JStmt> grow = new ArrayList<>();
                grow.add(new dev.kiln.codegen.tree.AssignThisField(rows.name(), rows.type(), J.call(PipelineBase.class, "growInts", rows)));
                for (ThisField f : concat(List.of(hashes, heads), matchedEntries)) {
                    grow.add(new dev.kiln.codegen.tree.AssignThisField(f.name(), f.type(), J.call(PipelineBase.class, "growLongs", f)));
                }
                ec.cb.emit(If.of(J.eq(m, new dev.kiln.codegen.tree.ArrayLength(rows)), new Block(grow)));
            }
            // stored always, kept (the count advanced) only with a head entry: no branch to mispredict
            ec.cb.emit(new dev.kiln.codegen.tree.ArrayStore(rows, m, rowIndex));
            ec.cb.emit(new dev.kiln.codegen.tree.ArrayStore(hashes, m, h));
            ec.cb.emit(new dev.kiln.codegen.tree.ArrayStore(heads, m, e));
            for (int k = 0; k < entries.size(); k++) ec.cb.emit(new dev.kiln.codegen.tree.ArrayStore(matchedEntries.get(k), m, entries.get(k)));
            JExpr sign = J.convert(J.bin(dev.kiln.codegen.tree.BinOp.USHR, e, J.c(63)), JType.INT);
            ec.cb.emit(J.assign(m, J.bin(dev.kiln.codegen.tree.BinOp.SUB, J.add(m, J.c(1)), sign)));
        });
        ec.cb.emit(If.of(take, record));
        Local lj = new Local(j);
        int slot = p.stages.size();
        p.stages.add(null); // this stage's loop runs before those of probes staged inside it
        Block second = ec.cb.block(() -> {
            List<Local> rebased = new ArrayList<>();
            for (int k = 0; k < entries.size(); k++) {
                rebased.add(ec.cb.declare("me", JType.LONG, new dev.kiln.codegen.tree.ArrayLoad(matchedEntries.get(k), lj)));
            }
            List<Row.Column> cols = new ArrayList<>();
            for (int c = 0; c < row.size(); c++) {
                Row.Column col = row.get(c);
                cols.add(col instanceof EntryLayout.EntryColumn ecol ? ecol.at(rebased.get(entries.indexOf((Local) ecol.entry()))) : col);
            }
            Row again = new Row(cols);
            List<Value> keys = new ArrayList<>();
            for (int k : probeKeys) keys.add(ec.materialize(again.get(k).load(ec.cb)));
            Local hb = ec.cb.declare("h", JType.LONG, new dev.kiln.codegen.tree.ArrayLoad(hashes, lj));
            Local e = ec.cb.declare("e", JType.LONG, new dev.kiln.codegen.tree.ArrayLoad(heads, lj));
            Local matched = ec.cb.declare("matched", JType.BOOLEAN, J.FALSE);
            // the rest of the pipeline runs per recorded row: a probe there may stage again
            p.stageableRow = Optional.of(rowIndex);
            probeOp.search(again, keys, hb, e, matched);
            if (probeOp.kind == JoinKind.SEMI) ec.cb.emit(If.of(matched, ec.cb.block(() -> probeOp.consumer.accept(p, ec, again))));
            p.stageableRow = Optional.empty();
        });
        p.stages.set(slot, new PipelineClass.ProbeStage(count, rows, j, second));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The chain walk of one probe row, shared by the plain and the staged probe. */
    private record Probe(PipelineClass p, ExprCompiler ec, ThisField ht, Local ents, EntryLayout layout, int[] payloadSlot, List<Field> buildFields,
                         Expr residual, JoinKind kind, boolean swapped, long markAt, boolean nullKeysStored, PipelinePlanner.RowConsumer consumer) {
        /** Walks the chain from entry {@code e}; each entry with the row's hash and keys (and the residual) is a match. */
        void search(Row row, List<Value> keys, Local h, Local e, Local matched) {
            Row joined = ordered(row, buildRow(layout, ht, ents, e, payloadSlot, buildFields), swapped);
            JExpr mark = J.add(e, J.c(markAt));
            Block onMatch = ec.cb.block(() -> {
                Block accept = ec.cb.block(() -> {
                    switch (kind) {
                        case INNER, LEFT -> {
                            ec.cb.emit(J.assign(matched, J.TRUE));
                            consumer.accept(p, ec, joined);
                        }
                        case FULL -> {
                            ec.cb.emit(J.assign(matched, J.TRUE));
                            ec.cb.emit(J.storeLong(ents, mark, J.c(MATCHED)));
                            consumer.accept(p, ec, joined);
                        }
                        // the probe row's work is marking: the kept rows are the entries, drained later
                        case RIGHT_SEMI, RIGHT_ANTI -> ec.cb.emit(J.storeLong(ents, mark, J.c(MATCHED)));
                        default -> {
                            ec.cb.emit(J.assign(matched, J.TRUE));
                            ec.cb.emit(new Break(Optional.empty()));
                        }
                    }
                });
                if (residual.equals(Exprs.TRUE)) {
                    for (var s : accept.stmts()) ec.cb.emit(s);
                } else {
                    Value r = ec.compile(residual, joined);
                    ec.cb.emit(If.of(ExprCompiler.isTrue(r), accept));
                }
            });
            JExpr candidate = J.and(J.eq(J.loadLong(ents, e), h), layout.keysEqual(ht, ents, e, keys, false));
            // an entry marked already needs no second look (and no second store, which
            // would dirty a cache line other workers read)
            if (kind == JoinKind.RIGHT_SEMI || kind == JoinKind.RIGHT_ANTI) candidate = J.and(J.eq(J.loadLong(ents, mark), J.c(0L)), candidate);
            else if (nullKeysStored) candidate = J.and(candidate, J.ne(J.loadLong(ents, mark), J.c(NULL_KEY)));
            Block loopBody = Block.of(If.of(candidate, onMatch), J.assign(e, J.vcall(ht, HashTable.class, "next", e)));
            ec.cb.emit(new While(Optional.empty(), J.ge(e, J.c(0L)), loopBody));
        }
    }

    /**
     * After the probe: entries {@code [from, to)} of the marked table that the join keeps, into
     * the rest of the pipeline (FULL: NULL probe columns, then the build row).
     */
    private static dev.kiln.codegen.tree.JStmt drainLoop(PipelineClass p, ExprCompiler ec, int tableId, ThisField ht, EntryLayout layout, int[] payloadSlot,
                                                       List<Field> buildFields, List<Field> probeFields, JoinKind kind, long markAt,
                                                       ThisField from, ThisField to, PipelinePlanner.RowConsumer consumer) {
        return ec.cb.block(() -> {
            p.ops.add("drain ht" + tableId + " (" + (kind == JoinKind.RIGHT_SEMI ? "matched" : "unmatched") + ")");
            Local ents = ec.cb.declare("dents", J.SEGMENT, J.vcall(ht, HashTable.class, "entries"));
            LocalVar k = ec.cb.fresh("k", JType.LONG);
            Block body = ec.cb.block(() -> {
                Local e = ec.cb.declare("de", JType.LONG, J.mul(new Local(k), J.c((long) layout.entryBytes())));
                JExpr mark = J.loadLong(ents, J.add(e, J.c(markAt)));
                JExpr keep = kind == JoinKind.RIGHT_SEMI ? J.eq(mark, J.c(MATCHED)) : J.ne(mark, J.c(MATCHED));
                Row built = buildRow(layout, ht, ents, e, payloadSlot, buildFields);
                Row row = kind == JoinKind.FULL ? nullRow(ec, probeFields).concat(built) : built;
                ec.cb.emit(If.of(keep, ec.cb.block(() -> consumer.accept(p, ec, row))));
            });
            ec.cb.emit(new dev.kiln.codegen.tree.For(Optional.empty(), new dev.kiln.codegen.tree.Declare(k, from), J.lt(new Local(k), to),
                    J.assign(new Local(k), J.add(new Local(k), J.c(1L))), body));
        });
    }

    /** The build row stored in the entry at {@code e} (loaded where used). */
    private static Row buildRow(EntryLayout layout, JExpr ht, JExpr ents, JExpr e, int[] payloadSlot, List<Field> buildFields) {
        List<Row.Column> cols = new ArrayList<>();
        for (int c = 0; c < buildFields.size(); c++) cols.add(layout.column(ht, ents, e, payloadSlot[c], buildFields.get(c).nullable()));
        return new Row(cols);
    }

    /** NULLs of these columns' types: the missing side of an outer join's row. */
    private static Row nullRow(ExprCompiler ec, List<Field> fields) {
        List<Row.Column> cols = new ArrayList<>();
        for (Field f : fields) cols.add(new Row.Fixed(ec.nullValue(f.type())));
        return new Row(cols);
    }

    /** The joined row in plan order: left columns then right columns. */
    private static Row ordered(Row probeRow, Row buildRow, boolean swapped) {
        return swapped ? buildRow.concat(probeRow) : probeRow.concat(buildRow);
    }

    private static String keysText(Rel rel, List<Integer> keys) {
        if (keys.isEmpty()) return " (no keys)";
        return " on " + keys.stream().map(k -> rel.schema().field(k).name()).toList();
    }
}
