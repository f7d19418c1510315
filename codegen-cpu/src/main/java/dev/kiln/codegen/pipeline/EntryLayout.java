package dev.kiln.codegen.pipeline;


import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Local;
import dev.kiln.codegen.tree.Ternary;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import dev.kiln.runtime.fn.Hashing;
import dev.kiln.runtime.fn.Strings;
import dev.kiln.runtime.hash.HashTable;
import dev.kiln.runtime.hash.StringHeap;
import java.util.List;

/**
 * Byte layout of a hash-table entry after the 16-byte header: one slot per value (8 bytes, or
 * 16 for a string: heap offset + length), then one long of NULL flags. Generates the code that
 * stores values into an entry, loads them back, compares keys and hashes them.
 */
final class EntryLayout {
    private final List<DataType> types;
    private final int[] offsets;
    private final int nullWordOffset;
    private final int size;

    EntryLayout(List<DataType> types) {
        this(types, 0);
    }

    /** @param extraBytes room after the NULL word for aggregate states */
    EntryLayout(List<DataType> types, int extraBytes) {
        if (types.size() > 64) throw ExprCompiler.unsupported("more than 64 keys or payload columns in one hash table");
        this.types = List.copyOf(types);
        this.offsets = new int[types.size()];
        int off = HashTable.HEADER;
        for (int i = 0; i < types.size(); i++) {
            offsets[i] = off;
            off += types.get(i) instanceof DataType.VarcharType ? 16 : 8;
        }
        nullWordOffset = off;
        off += 8;
        this.size = off + extraBytes;
    }

    /** Offsets of the string slots (heap offset, then length) among the values. */
    java.util.List<Integer> stringSlots() {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i) instanceof DataType.VarcharType) out.add(offsets[i]);
        }
        return out;
    }

    int entryBytes() {
        return size;
    }

    /** First byte after the NULL word: where aggregate states start. */
    int extraOffset() {
        return nullWordOffset + 8;
    }

    static JExpr heap(JExpr table) {
        return J.vcall(J.vcall(table, HashTable.class, "strings"), StringHeap.class, "segment");
    }

    /** Stores value i (and its NULL flag) into the entry at {@code entry}. */
    void store(CodeBuilder cb, JExpr table, JExpr ents, JExpr entry, int i, Value v) {
        JExpr at = J.add(entry, J.c((long) offsets[i]));
        switch (v) {
            case Value.Str s -> {
                JExpr len = new Ternary(s.isNull(), J.c(0), s.length());
                JExpr append = J.vcall(J.vcall(table, HashTable.class, "strings"), StringHeap.class, "append", s.segment(), s.offset(), len);
                JExpr strOff = s.isNull().equals(J.FALSE) ? append : new Ternary(s.isNull(), J.c(0L), append);
                cb.emit(J.storeLong(ents, at, strOff));
                cb.emit(J.storeLong(ents, J.add(at, J.c(8L)), J.convert(len, JType.LONG)));
            }
            case Value.Scalar s -> {
                JExpr x = normalized(s);
                if (x.type().equals(JType.DOUBLE)) {
                    cb.emit(J.storeDouble(ents, at, x));
                } else {
                    cb.emit(J.storeLong(ents, at, x));
                }
            }
        }
        if (!v.isNull().equals(J.FALSE)) {
            JExpr word = J.add(entry, J.c((long) nullWordOffset));
            JExpr bit = J.c(1L << i);
            JExpr updated = J.bin(dev.kiln.codegen.tree.BinOp.OR, J.loadLong(ents, word), new Ternary(v.isNull(), bit, J.c(0L)));
            cb.emit(J.storeLong(ents, word, updated));
        }
    }

    /** Column i of the entry as a row column (loaded where used). */
    Row.Column column(JExpr table, JExpr ents, JExpr entry, int i, boolean nullable) {
        return new EntryColumn(this, table, ents, entry, i, nullable);
    }

    /** Slot {@code i} of the entry at offset {@code entry}, read where it is used. */
    record EntryColumn(EntryLayout layout, JExpr table, JExpr ents, JExpr entry, int i, boolean nullable) implements Row.Column {
        public Value load(CodeBuilder cb) {
            return layout.load(cb, table, ents, entry, i, layout.types.get(i), nullable);
        }

        /** The same slot of the entry at another offset. */
        EntryColumn at(JExpr otherEntry) {
            return new EntryColumn(layout, table, ents, otherEntry, i, nullable);
        }
    }

    private Value load(CodeBuilder cb, JExpr table, JExpr ents, JExpr entry, int i, DataType t, boolean nullable) {
        JExpr at = J.add(entry, J.c((long) offsets[i]));
        JExpr isNull = nullable
                ? J.ne(J.bin(dev.kiln.codegen.tree.BinOp.AND, J.loadLong(ents, J.add(entry, J.c((long) nullWordOffset))), J.c(1L << i)), J.c(0L))
                : J.FALSE;
        if (t instanceof DataType.VarcharType) {
            Local off = cb.declare("ko", JType.LONG, J.loadLong(ents, at));
            Local len = cb.declare("kl", JType.INT, J.convert(J.loadLong(ents, J.add(at, J.c(8L))), JType.INT));
            return new Value.Str(isNull, heap(table), off, len);
        }
        JType jt = J.jtype(t);
        JExpr raw = jt.equals(JType.DOUBLE) ? J.loadDouble(ents, at) : J.loadLong(ents, at);
        JExpr v = jt.equals(JType.BOOLEAN) ? J.ne(raw, J.c(0L)) : J.convert(raw, jt);
        return new Value.Scalar(t, isNull, v);
    }

    /** Do the entry's first {@code n} slots equal these values (NULL equal to NULL when nullsEqual)? */
    JExpr keysEqual(JExpr table, JExpr ents, JExpr entry, List<Value> keys, boolean nullsEqual) {
        JExpr all = J.TRUE;
        boolean anyNullable = false;
        for (int i = 0; i < keys.size(); i++) {
            Value k = keys.get(i);
            JExpr at = J.add(entry, J.c((long) offsets[i]));
            JExpr eq = switch (k) {
                case Value.Str s -> {
                    JExpr storedLen = J.convert(J.loadLong(ents, J.add(at, J.c(8L))), JType.INT);
                    JExpr bytesEqual = J.call(Strings.class, "equals", heap(table), J.loadLong(ents, at), storedLen, s.segment(), s.offset(), s.length());
                    // a NULL key has no bytes to compare: it was stored empty (the NULL word tells it apart)
                    yield s.isNull().equals(J.FALSE) ? bytesEqual : new Ternary(s.isNull(), J.eq(storedLen, J.c(0)), bytesEqual);
                }
                case Value.Scalar s -> s.value().type().equals(JType.DOUBLE)
                        ? Comparisons.doubles(Op.EQ, J.loadDouble(ents, at), normalized(s))
                        : J.eq(J.loadLong(ents, at), normalized(s));
            };
            if (!k.isNull().equals(J.FALSE)) anyNullable = true;
            all = J.and(all, eq);
        }
        if (nullsEqual && anyNullable) {
            all = J.and(J.eq(J.loadLong(ents, J.add(entry, J.c((long) nullWordOffset))), nullWord(keys)), all);
        }
        return all;
    }

    /**
     * The 8-byte slot content of a fixed-width value: NULL as 0 (whatever garbage the value
     * expression computed under its NULL flag), -0.0 as +0.0, so equal keys have equal bits.
     */
    static JExpr normalized(Value.Scalar s) {
        JExpr x = s.value();
        if (x.type().equals(JType.DOUBLE)) {
            JExpr v = J.add(x, J.c(0.0)); // -0.0 + 0.0 == +0.0
            return s.isNull().equals(J.FALSE) ? v : new Ternary(s.isNull(), J.c(0.0), v);
        }
        JExpr v = J.toLong(x);
        return s.isNull().equals(J.FALSE) ? v : new Ternary(s.isNull(), J.c(0L), v);
    }

    /** The NULL-flag word these key values would have. */
    static JExpr nullWord(List<Value> keys) {
        JExpr w = J.c(0L);
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).isNull().equals(J.FALSE)) continue;
            w = J.bin(dev.kiln.codegen.tree.BinOp.OR, w, new Ternary(keys.get(i).isNull(), J.c(1L << i), J.c(0L)));
        }
        return w;
    }

    /** 64-bit hash of the key values; NULL keys hash to a constant. */
    static JExpr hash(List<Value> keys) {
        JExpr h = null;
        for (Value k : keys) {
            JExpr one = switch (k) {
                case Value.Str s -> J.call(Hashing.class, "hashBytes", s.segment(), s.offset(), s.length());
                case Value.Scalar s -> s.value().type().equals(JType.DOUBLE)
                        ? J.call(Hashing.class, "hashDouble", s.value())
                        : J.call(Hashing.class, "hashLong", J.toLong(s.value()));
            };
            if (!k.isNull().equals(J.FALSE)) one = new Ternary(k.isNull(), new dev.kiln.codegen.tree.StaticField(Hashing.class, "NULL_HASH", JType.LONG), one);
            h = h == null ? one : J.call(Hashing.class, "combine", h, one);
        }
        return h == null ? J.c(0L) : h;
    }

}
