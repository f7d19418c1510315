package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.Block;
import dev.kiln.codegen.tree.Break;
import dev.kiln.codegen.tree.Declare;
import dev.kiln.codegen.tree.For;
import dev.kiln.codegen.tree.If;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Local;
import dev.kiln.codegen.tree.LocalVar;
import dev.kiln.codegen.tree.ThisField;
import dev.kiln.codegen.tree.While;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.hash.HashTable;
import dev.kiln.runtime.vector.BatchCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hash aggregation: the input pipeline finds or inserts each row's group in a hash table whose
 * entries hold the group keys followed by the aggregate states ({@link AggState}); its finish()
 * walks the entries and materializes one row per group, which a new pipeline then reads. An
 * aggregate without keys uses a single entry, created up front, so empty input still yields its
 * one row. An aggregate equal to one planned earlier in the query (a view or sub-query used twice,
 * as in TPC-H Q15) is not computed again: its materialized result is read a second time.
 */
final class AggregatePlanner {
    private final PipelinePlanner planner;

    /**
     * With more aggregates than this, each state update becomes its own small private method
     * (which the JIT inlines), so the fused loop stays far below the 8 KB method limit.
     */
    static final int OUT_OF_LINE_STATES = 4;

    AggregatePlanner(PipelinePlanner planner) {
        this.planner = planner;
    }

    PipelineClass produce(Aggregate agg, PipelinePlanner.RowConsumer consumer) {
        Optional<Integer> shared = planner.sharedAggregate(agg);
        if (shared.isPresent()) return planner.scanResult(shared.get(), agg.schema(), consumer);
        Schema in = agg.input().schema();
        List<DataType> keyTypes = agg.groupKeys().stream().map(k -> in.field(k).type()).toList();
        List<AggState> states = new ArrayList<>();
        int stateBytes = 0;
        int rowCount = -1; // offset of the count shared by the states that count the group's rows
        for (AggCall call : agg.aggs()) {
            if (call.distinct()) throw PipelinePlanner.unsupported("DISTINCT inside an aggregate (the frontend rewrites it)");
            Optional<DataType> argType = call.args().isEmpty() ? Optional.empty() : Optional.of(in.field(call.args().getFirst()).type());
            boolean countsRows = AggState.countsRows(call, !call.args().isEmpty() && in.field(call.args().getFirst()).nullable());
            AggState s;
            if (countsRows && rowCount >= 0) {
                s = new AggState(call, argType, rowCount, stateBytes, false);
            } else {
                if (countsRows) rowCount = stateBytes;
                s = new AggState(call, argType, stateBytes, stateBytes + 8, true);
                stateBytes += 8;
            }
            states.add(s);
            stateBytes += AggState.valueBytes(call, argType);
        }
        // an entry's size is a multiple of 8; every slot here is 8 bytes wide, so it already is
        EntryLayout layout = new EntryLayout(keyTypes, stateBytes);
        int base = layout.extraOffset();
        int tableId = planner.newHashTable();
        boolean global = agg.groupKeys().isEmpty();
        List<Integer> stringSlots = new ArrayList<>(layout.stringSlots());
        for (AggState s : states) s.stringSlot().ifPresent(o -> stringSlots.add(base + o));
        Step.HashTableResource spec = new Step.HashTableResource(tableId, layout.entryBytes(),
                global ? Step.Role.GLOBAL_AGGREGATE : Step.Role.GROUPED_AGGREGATE, stringSlots);
        int resultId = planner.newResult();
        Schema outSchema = agg.schema();

        PipelineClass p = planner.produce(agg.input(), (pc, ec, row) -> {
            pc.ops.add((global ? "aggregate" : "hash aggregate ht" + tableId + " by " + agg.groupKeys().stream().map(k -> in.field(k).name()).toList())
                    + " " + agg.aggs().stream().map(a -> a.func() + "").toList());
            ThisField ht = pc.resource(spec, HashTable.class);
            CodeBuilder cb = ec.cb;
            LocalVar entsVar = pc.body.fresh("ents", J.SEGMENT);
            Local ents = new Local(entsVar);
            Local e;
            if (global) {
                pc.prologue.add(If.of(J.eq(J.vcall(ht, HashTable.class, "size"), J.c(0L)), Block.of(J.eval(J.vcall(ht, HashTable.class, "insert", J.c(0L))))));
                pc.prologue.add(new Declare(entsVar, J.vcall(ht, HashTable.class, "entries")));
                e = cb.declare("e", JType.LONG, J.c(0L));
            } else {
                // read per row: inserts move the segment, and the consumer may be emitted more than once
                // (an outer join emits its downstream twice), so no copy of it may outlive a row
                cb.emit(new Declare(entsVar, J.vcall(ht, HashTable.class, "entries")));
                List<Value> keys = new ArrayList<>();
                for (int k : agg.groupKeys()) keys.add(ec.materialize(row.get(k).load(cb)));
                // rows clustered on the group key (data sorted or loaded in key order) hit the previous
                // row's group: test it first, by its keys alone, so such rows are not even hashed
                // (field holds its offset + 1, 0 for none; an offset past the table's end, after a
                // spill emptied it, is never trusted)
                ThisField last = pc.field("last", JType.LONG);
                e = cb.declare("e", JType.LONG, J.bin(dev.kiln.codegen.tree.BinOp.SUB, last, J.c(1L)));
                JExpr inTable = J.and(J.ge(e, J.c(0L)), J.lt(e, J.mul(J.vcall(ht, HashTable.class, "size"), J.c((long) layout.entryBytes()))));
                JExpr same = J.and(inTable, layout.keysEqual(ht, ents, e, keys, true));
                Block lookup = cb.block(() -> {
                    Local h = cb.declare("h", JType.LONG, EntryLayout.hash(keys));
                    cb.emit(J.assign(e, J.vcall(ht, HashTable.class, "head", h)));
                    JExpr found = J.and(J.eq(J.loadLong(ents, e), h), layout.keysEqual(ht, ents, e, keys, true));
                    cb.emit(new While(Optional.empty(), J.ge(e, J.c(0L)),
                            Block.of(If.of(found, Block.of(new Break(Optional.empty()))), J.assign(e, J.vcall(ht, HashTable.class, "next", e)))));
                    Block insert = cb.block(() -> {
                        cb.emit(J.assign(e, J.vcall(ht, HashTable.class, "insert", h)));
                        cb.emit(J.assign(ents, J.vcall(ht, HashTable.class, "entries")));
                        for (int k = 0; k < keys.size(); k++) layout.store(cb, ht, ents, e, k, keys.get(k));
                    });
                    cb.emit(If.of(J.lt(e, J.c(0L)), insert));
                    cb.emit(new dev.kiln.codegen.tree.AssignThisField(last.name(), JType.LONG, J.add(e, J.c(1L))));
                });
                cb.emit(If.of(J.not(same), lookup));
            }
            Local stateBase = cb.declare("base", JType.LONG, J.add(e, J.c((long) base)));
            boolean outOfLine = states.size() > OUT_OF_LINE_STATES;
            for (AggState s : AggState.inUpdateOrder(states)) {
                Optional<Value> arg = s.call().args().isEmpty() ? Optional.empty() : Optional.of(row.get(s.call().args().getFirst()).load(cb));
                if (outOfLine) {
                    updateOutOfLine(pc, ec, s, ht, ents, stateBase, arg);
                } else {
                    s.update(ec, ht, ents, stateBase, arg);
                }
            }
        });
        {
            // finish(): one output row per entry
            ThisField ht = p.resource(spec, HashTable.class);
            CodeBuilder cb = p.finish;
            ThisField coll = p.resource(new Step.CollectorResource(resultId, outSchema), BatchCollector.class);
            if (global) cb.emit(If.of(J.eq(J.vcall(ht, HashTable.class, "size"), J.c(0L)), Block.of(J.eval(J.vcall(ht, HashTable.class, "insert", J.c(0L))))));
            Local ents = cb.declare("ents", J.SEGMENT, J.vcall(ht, HashTable.class, "entries"));
            Local count = cb.declare("count", JType.LONG, J.vcall(ht, HashTable.class, "size"));
            LocalVar k = cb.fresh("k", JType.LONG);
            Local kl = new Local(k);
            ExprCompiler ec = new ExprCompiler(p, cb);
            Block body = cb.block(() -> {
                Local e = cb.declare("e", JType.LONG, J.mul(kl, J.c((long) layout.entryBytes())));
                for (int i = 0; i < keyTypes.size(); i++) {
                    Value v = layout.column(ht, ents, e, i, in.field(agg.groupKeys().get(i)).nullable()).load(cb);
                    Sinks.append(cb, J.vcall(coll, BatchCollector.class, "builder", J.c(i)), v);
                }
                for (int i = 0; i < states.size(); i++) {
                    Value v = states.get(i).result(ec, ht, ents, J.add(e, J.c((long) base)));
                    Sinks.append(cb, J.vcall(coll, BatchCollector.class, "builder", J.c(keyTypes.size() + i)), v);
                }
                cb.emit(J.eval(J.vcall(coll, BatchCollector.class, "rowAppended")));
            });
            cb.emit(new For(Optional.empty(), new Declare(k, J.c(0L)), J.lt(kl, count), J.assign(kl, J.add(kl, J.c(1L))), body));
        }
        mergeMethod(p, spec, layout, keyTypes, agg, states, base);
        p.ops.add("emit r" + resultId);
        planner.finishPipeline(p);
        planner.registerAggregate(agg, resultId);
        return planner.scanResult(resultId, outSchema, consumer);
    }

    /**
     * {@code merge(src, from, to)}: for each entry {@code from ≤ k < to} of {@code src}, find or
     * insert its group in this instance's table and combine the states (see
     * {@link PipelineBase#merge}).
     */
    private static void mergeMethod(PipelineClass p, Step.HashTableResource spec, EntryLayout layout, List<DataType> keyTypes,
                                    Aggregate agg, List<AggState> states, int base) {
        Schema in = agg.input().schema();
        ThisField ht = p.resource(spec, HashTable.class);
        CodeBuilder cb = new CodeBuilder();
        LocalVar srcVar = cb.fresh("src", JType.of(HashTable.class));
        LocalVar fromVar = cb.fresh("from", JType.LONG);
        LocalVar toVar = cb.fresh("to", JType.LONG);
        Local src = new Local(srcVar);
        Local sents = cb.declare("sents", J.SEGMENT, J.vcall(src, HashTable.class, "entries"));
        LocalVar kVar = cb.fresh("k", JType.LONG);
        Local k = new Local(kVar);
        Block body = cb.block(() -> {
            Local se = cb.declare("se", JType.LONG, J.mul(k, J.c((long) layout.entryBytes())));
            Local h = cb.declare("h", JType.LONG, J.loadLong(sents, se));
            {
                List<Value> keys = new ArrayList<>();
                ExprCompiler ec = new ExprCompiler(p, cb);
                for (int i = 0; i < keyTypes.size(); i++) {
                    keys.add(ec.materialize(layout.column(src, sents, se, i, in.field(agg.groupKeys().get(i)).nullable()).load(cb)));
                }
                Local ents = cb.declare("ents", J.SEGMENT, J.vcall(ht, HashTable.class, "entries"));
                Local e = cb.declare("e", JType.LONG, J.vcall(ht, HashTable.class, "head", h));
                JExpr found = J.and(J.eq(J.loadLong(ents, e), h), layout.keysEqual(ht, ents, e, keys, true));
                cb.emit(new While(Optional.empty(), J.ge(e, J.c(0L)),
                        Block.of(If.of(found, Block.of(new Break(Optional.empty()))), J.assign(e, J.vcall(ht, HashTable.class, "next", e)))));
                cb.emit(If.of(J.lt(e, J.c(0L)), cb.block(() -> {
                    cb.emit(J.assign(e, J.vcall(ht, HashTable.class, "insert", h)));
                    cb.emit(J.assign(ents, J.vcall(ht, HashTable.class, "entries")));
                    for (int i = 0; i < keys.size(); i++) layout.store(cb, ht, ents, e, i, keys.get(i));
                })));
                Local tbase = cb.declare("tbase", JType.LONG, J.add(e, J.c((long) base)));
                Local sbase = cb.declare("sbase", JType.LONG, J.add(se, J.c((long) base)));
                for (AggState s : AggState.inUpdateOrder(states)) s.combine(cb, ht, ents, tbase, src, sents, sbase);
            }
        });
        cb.emit(new For(Optional.empty(), new Declare(kVar, new Local(fromVar)), J.lt(k, new Local(toVar)), J.assign(k, J.add(k, J.c(1L))), body));
        p.extraMethods.add(new dev.kiln.codegen.tree.MethodDef("merge", JType.VOID, List.of(srcVar, fromVar, toVar), cb.close(), true));
    }

    /** Emits a call to a private method holding the update of one aggregate state. */
    private static void updateOutOfLine(PipelineClass pc, ExprCompiler ec, AggState s, ThisField ht, Local ents, Local base, Optional<Value> arg) {
        CodeBuilder mcb = new CodeBuilder();
        List<LocalVar> params = new ArrayList<>();
        List<JExpr> args = new ArrayList<>();
        LocalVar entsParam = mcb.fresh("ents", J.SEGMENT);
        LocalVar baseParam = mcb.fresh("base", JType.LONG);
        params.add(entsParam);
        params.add(baseParam);
        args.add(ents);
        args.add(base);
        Optional<Value> inner = arg.map(v -> {
            Value m = ec.materialize(v);
            LocalVar n = mcb.fresh("n", JType.BOOLEAN);
            params.add(n);
            args.add(m.isNull());
            return switch (m) {
                case Value.Scalar sc -> {
                    LocalVar x = mcb.fresh("v", sc.value().type());
                    params.add(x);
                    args.add(sc.value());
                    yield new Value.Scalar(sc.type(), new Local(n), new Local(x));
                }
                case Value.Str st -> {
                    LocalVar seg = mcb.fresh("s", J.SEGMENT);
                    LocalVar off = mcb.fresh("o", JType.LONG);
                    LocalVar len = mcb.fresh("l", JType.INT);
                    params.add(seg);
                    params.add(off);
                    params.add(len);
                    args.add(st.segment());
                    args.add(st.offset());
                    args.add(st.length());
                    yield new Value.Str(new Local(n), new Local(seg), new Local(off), new Local(len));
                }
            };
        });
        s.update(new ExprCompiler(pc, mcb), ht, new Local(entsParam), new Local(baseParam), inner);
        String name = pc.methodName("update_" + s.call().func().name().toLowerCase(java.util.Locale.ROOT));
        pc.extraMethods.add(new dev.kiln.codegen.tree.MethodDef(name, JType.VOID, params, mcb.close(), false));
        ec.cb.emit(J.eval(new dev.kiln.codegen.tree.InvokeThis(name, JType.VOID, args)));
    }
}
