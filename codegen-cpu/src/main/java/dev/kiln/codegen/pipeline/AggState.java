package dev.kiln.codegen.pipeline;


import dev.kiln.codegen.tree.Block;
import dev.kiln.codegen.tree.If;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Local;
import dev.kiln.codegen.tree.Ternary;
import dev.kiln.codegen.tree.Throw;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.type.DataType;
import dev.kiln.runtime.fn.Strings;
import dev.kiln.runtime.hash.HashTable;
import dev.kiln.runtime.hash.StringHeap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state of one aggregate inside a hash entry, at offsets from the states' base: a count of
 * accepted rows (8 bytes) and the running value (8 bytes, or 16 for a string: heap offset +
 * length; none for COUNT). The count doubles as the "seen a non-NULL value" flag, so
 * SUM/MIN/MAX of nothing is NULL and COUNT is the count itself.
 *
 * <p>States whose count is the group's row count (COUNT(*), and the aggregates of a NOT NULL
 * argument) share one count: the first of them owns it ({@code updatesCount}), the others read
 * it. The owner is updated and combined after the others ({@link #inUpdateOrder}), so that
 * they see the count before the current row or source entry adds to it. TPC-H Q1's eight
 * aggregates keep one count instead of eight.
 */
record AggState(AggCall call, Optional<DataType> argType, int countOffset, int valueOffset, boolean updatesCount) {
    /** Whether this aggregate's count is the group's row count, given whether its argument may be NULL. */
    static boolean countsRows(AggCall call, boolean argNullable) {
        return call.func() != AggFunc.SINGLE_VALUE && (call.args().isEmpty() || !argNullable);
    }

    /** Bytes of the running value (none for COUNT, whose count is its value). */
    static int valueBytes(AggCall call, Optional<DataType> argType) {
        if (call.func() == AggFunc.COUNT) return 0;
        boolean str = argType.isPresent() && argType.get() instanceof DataType.VarcharType;
        return str ? 16 : 8;
    }

    /** The states in the order their updates and combinations are emitted: count owners last. */
    static List<AggState> inUpdateOrder(List<AggState> states) {
        List<AggState> order = new ArrayList<>();
        for (AggState s : states) if (!s.updatesCount) order.add(s);
        for (AggState s : states) if (s.updatesCount) order.add(s);
        return order;
    }

    private JExpr countAt(JExpr base) {
        return J.add(base, J.c((long) countOffset));
    }

    private JExpr valueAt(JExpr base) {
        return J.add(base, J.c((long) valueOffset));
    }

    /** Emits the update of this state by one input value (absent for COUNT(*)). */
    void update(ExprCompiler ec, JExpr ht, JExpr ents, JExpr base, Optional<Value> arg) {
        CodeBuilder cb = ec.cb;
        JExpr cnt = J.loadLong(ents, countAt(base));
        if (arg.isEmpty()) {
            if (updatesCount) cb.emit(J.storeLong(ents, countAt(base), J.add(cnt, J.c(1L))));
            return;
        }
        Value v = arg.get();
        Block accept = cb.block(() -> {
            switch (call.func()) {
                case COUNT -> { }
                case SUM, AVG -> {
                    JExpr x = ((Value.Scalar) v).value();
                    if (x.type().equals(JType.DOUBLE)) {
                        cb.emit(J.storeDouble(ents, valueAt(base), J.add(J.loadDouble(ents, valueAt(base)), x)));
                    } else {
                        cb.emit(J.storeLong(ents, valueAt(base), J.call(Math.class, "addExact", J.loadLong(ents, valueAt(base)), J.toLong(x))));
                    }
                }
                case MIN, MAX -> {
                    JExpr better = switch (v) {
                        case Value.Str s -> J.bin(call.func() == AggFunc.MIN ? dev.kiln.codegen.tree.BinOp.LT : dev.kiln.codegen.tree.BinOp.GT,
                                J.call(Strings.class, "compare", s.segment(), s.offset(), s.length(), EntryLayout.heap(ht),
                                        J.loadLong(ents, valueAt(base)), J.convert(J.loadLong(ents, J.add(valueAt(base), J.c(8L))), JType.INT)), J.c(0));
                        case Value.Scalar s -> {
                            JExpr cur = s.value().type().equals(JType.DOUBLE) ? J.loadDouble(ents, valueAt(base)) : J.loadLong(ents, valueAt(base));
                            if (s.value().type().equals(JType.DOUBLE)) yield Comparisons.doubles(call.func() == AggFunc.MIN ? Op.LT : Op.GT, s.value(), cur);
                            yield J.bin(call.func() == AggFunc.MIN ? dev.kiln.codegen.tree.BinOp.LT : dev.kiln.codegen.tree.BinOp.GT, J.toLong(s.value()), cur);
                        }
                    };
                    Block store = cb.block(() -> storeValue(cb, ht, ents, base, v));
                    cb.emit(If.of(J.or(J.eq(cnt, J.c(0L)), better), store));
                }
                case SINGLE_VALUE -> {
                    cb.emit(If.of(J.ne(cnt, J.c(0L)), Block.of(new Throw(J.call(AggErrors.class, "scalarSubqueryMultipleRows")))));
                    cb.emit(cb.block(() -> storeValue(cb, ht, ents, base, v)));
                }
                case ANY_VALUE -> cb.emit(If.of(J.eq(cnt, J.c(0L)), cb.block(() -> storeValue(cb, ht, ents, base, v))));
            }
            if (updatesCount) cb.emit(J.storeLong(ents, countAt(base), J.add(J.loadLong(ents, countAt(base)), J.c(1L))));
        });
        if (v.isNull().equals(J.FALSE)) {
            for (var s : accept.stmts()) cb.emit(s);
        } else if (call.func() == AggFunc.SINGLE_VALUE) {
            // a NULL still counts as the subquery's row: only the value store is skipped
            cb.emit(If.of(J.ne(cnt, J.c(0L)), Block.of(new Throw(J.call(AggErrors.class, "scalarSubqueryMultipleRows")))));
            cb.emit(new If(v.isNull(), Block.of(J.storeLong(ents, countAt(base), J.c(Long.MIN_VALUE))), Optional.of(accept)));
        } else {
            cb.emit(If.of(J.not(v.isNull()), accept));
        }
    }

    private void storeValue(CodeBuilder cb, JExpr ht, JExpr ents, JExpr base, Value v) {
        switch (v) {
            case Value.Str s -> {
                JExpr off = J.vcall(J.vcall(ht, HashTable.class, "strings"), StringHeap.class, "append", s.segment(), s.offset(), s.length());
                cb.emit(J.storeLong(ents, valueAt(base), off));
                cb.emit(J.storeLong(ents, J.add(valueAt(base), J.c(8L)), J.convert(s.length(), JType.LONG)));
            }
            case Value.Scalar s -> {
                if (s.value().type().equals(JType.DOUBLE)) cb.emit(J.storeDouble(ents, valueAt(base), s.value()));
                else cb.emit(J.storeLong(ents, valueAt(base), J.toLong(s.value())));
            }
        }
    }

    /** Is the running value stored as a double (else as a long, or a string's offset + length)? */
    private boolean doubleValue() {
        return argType.isPresent() && argType.get().physical() == dev.kiln.ir.type.PhysicalKind.F64;
    }

    /** Offset from the states' base of this state's string slot (heap offset, then length), if it holds a string. */
    Optional<Integer> stringSlot() {
        return stringValue() ? Optional.of(valueOffset) : Optional.empty();
    }

    /** Does the running value hold a string (COUNT of strings has no running value)? */
    private boolean stringValue() {
        return call.func() != AggFunc.COUNT && argType.isPresent() && argType.get() instanceof DataType.VarcharType;
    }

    /**
     * Emits the combination of the state at {@code sbase} in {@code sents} (an entry of the
     * table {@code src}, filled by another thread) into this state at {@code base}: what the
     * state would be had one thread seen both threads' rows.
     */
    void combine(CodeBuilder cb, JExpr ht, JExpr ents, JExpr base, JExpr src, JExpr sents, JExpr sbase) {
        Local sc = cb.declare("sc", JType.LONG, J.loadLong(sents, countAt(sbase)));
        Local tc = cb.declare("tc", JType.LONG, J.loadLong(ents, countAt(base)));
        Runnable sumCounts = () -> {
            if (updatesCount) cb.emit(J.storeLong(ents, countAt(base), J.add(tc, sc)));
        };
        switch (call.func()) {
            case COUNT -> sumCounts.run();
            case SUM, AVG -> cb.emit(If.of(J.ne(sc, J.c(0L)), cb.block(() -> {
                if (doubleValue()) {
                    cb.emit(J.storeDouble(ents, valueAt(base), J.add(J.loadDouble(ents, valueAt(base)), J.loadDouble(sents, valueAt(sbase)))));
                } else {
                    cb.emit(J.storeLong(ents, valueAt(base), J.call(Math.class, "addExact", J.loadLong(ents, valueAt(base)), J.loadLong(sents, valueAt(sbase)))));
                }
                sumCounts.run();
            })));
            case MIN, MAX -> cb.emit(If.of(J.ne(sc, J.c(0L)), cb.block(() -> {
                dev.kiln.codegen.tree.BinOp op = call.func() == AggFunc.MIN ? dev.kiln.codegen.tree.BinOp.LT : dev.kiln.codegen.tree.BinOp.GT;
                JExpr better;
                if (stringValue()) {
                    better = J.bin(op, J.call(Strings.class, "compare", EntryLayout.heap(src), J.loadLong(sents, valueAt(sbase)),
                            J.convert(J.loadLong(sents, J.add(valueAt(sbase), J.c(8L))), JType.INT), EntryLayout.heap(ht),
                            J.loadLong(ents, valueAt(base)), J.convert(J.loadLong(ents, J.add(valueAt(base), J.c(8L))), JType.INT)), J.c(0));
                } else if (doubleValue()) {
                    better = Comparisons.doubles(call.func() == AggFunc.MIN ? Op.LT : Op.GT, J.loadDouble(sents, valueAt(sbase)), J.loadDouble(ents, valueAt(base)));
                } else {
                    better = J.bin(op, J.loadLong(sents, valueAt(sbase)), J.loadLong(ents, valueAt(base)));
                }
                cb.emit(If.of(J.or(J.eq(tc, J.c(0L)), better), cb.block(() -> copyValue(cb, ht, ents, base, src, sents, sbase))));
                sumCounts.run();
            })));
            case ANY_VALUE -> cb.emit(If.of(J.ne(sc, J.c(0L)), cb.block(() -> {
                cb.emit(If.of(J.eq(tc, J.c(0L)), cb.block(() -> copyValue(cb, ht, ents, base, src, sents, sbase))));
                sumCounts.run();
            })));
            case SINGLE_VALUE -> cb.emit(If.of(J.ne(sc, J.c(0L)), cb.block(() -> {
                // both threads saw a row of the scalar subquery: more than one row in all
                cb.emit(If.of(J.ne(tc, J.c(0L)), Block.of(new Throw(J.call(AggErrors.class, "scalarSubqueryMultipleRows")))));
                // a positive count holds a value; MIN_VALUE marks a NULL row
                cb.emit(If.of(J.bin(dev.kiln.codegen.tree.BinOp.GT, sc, J.c(0L)), cb.block(() -> copyValue(cb, ht, ents, base, src, sents, sbase))));
                cb.emit(J.storeLong(ents, countAt(base), sc));
            })));
        }
    }

    /** Copies the running value from a source entry (a string into this table's heap). */
    private void copyValue(CodeBuilder cb, JExpr ht, JExpr ents, JExpr base, JExpr src, JExpr sents, JExpr sbase) {
        if (stringValue()) {
            Local len = cb.declare("cl", JType.INT, J.convert(J.loadLong(sents, J.add(valueAt(sbase), J.c(8L))), JType.INT));
            JExpr off = J.vcall(J.vcall(ht, HashTable.class, "strings"), StringHeap.class, "append", EntryLayout.heap(src),
                    J.loadLong(sents, valueAt(sbase)), len);
            cb.emit(J.storeLong(ents, valueAt(base), off));
            cb.emit(J.storeLong(ents, J.add(valueAt(base), J.c(8L)), J.convert(len, JType.LONG)));
        } else {
            cb.emit(J.storeLong(ents, valueAt(base), J.loadLong(sents, valueAt(sbase))));
        }
    }

    /** The final value of this aggregate for the entry at {@code base}. */
    Value result(ExprCompiler ec, JExpr ht, JExpr ents, JExpr base) {
        CodeBuilder cb = ec.cb;
        Local cnt = cb.declare("cnt", JType.LONG, J.loadLong(ents, countAt(base)));
        DataType t = call.type();
        if (call.func() == AggFunc.COUNT) return new Value.Scalar(t, J.FALSE, cnt);
        // SINGLE_VALUE marks a NULL row with MIN_VALUE in the count
        JExpr isNull = call.func() == AggFunc.SINGLE_VALUE ? J.bin(dev.kiln.codegen.tree.BinOp.LE, cnt, J.c(0L)) : J.eq(cnt, J.c(0L));
        if (call.func() == AggFunc.AVG) {
            DataType arg = argType.orElseThrow();
            JExpr avg = switch (arg) {
                case DataType.DoubleType d -> J.bin(dev.kiln.codegen.tree.BinOp.DIV, J.loadDouble(ents, valueAt(base)), J.convert(cnt, JType.DOUBLE));
                case DataType.DecimalType d -> J.call(AggErrors.class, "average", J.loadLong(ents, valueAt(base)), J.c(d.scale()), cnt);
                default -> J.call(AggErrors.class, "average", J.loadLong(ents, valueAt(base)), J.c(0), cnt);
            };
            return new Value.Scalar(t, isNull, new Ternary(isNull, J.c(0.0), avg));
        }
        if (t instanceof DataType.VarcharType) {
            Local off = cb.declare("ao", JType.LONG, J.loadLong(ents, valueAt(base)));
            Local len = cb.declare("al", JType.INT, J.convert(J.loadLong(ents, J.add(valueAt(base), J.c(8L))), JType.INT));
            return new Value.Str(isNull, EntryLayout.heap(ht), off, len);
        }
        JType jt = J.jtype(t);
        JExpr raw = jt.equals(JType.DOUBLE) ? J.loadDouble(ents, valueAt(base)) : J.loadLong(ents, valueAt(base));
        JExpr v = jt.equals(JType.BOOLEAN) ? J.ne(raw, J.c(0L)) : J.convert(raw, jt);
        return new Value.Scalar(t, isNull, v);
    }
}
