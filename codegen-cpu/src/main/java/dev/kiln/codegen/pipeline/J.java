package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.Assign;
import dev.kiln.codegen.tree.BinOp;
import dev.kiln.codegen.tree.Binary;
import dev.kiln.codegen.tree.Const;
import dev.kiln.codegen.tree.Convert;
import dev.kiln.codegen.tree.Eval;
import dev.kiln.codegen.tree.InvokeStatic;
import dev.kiln.codegen.tree.InvokeVirtual;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JStmt;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Local;
import dev.kiln.codegen.tree.StaticField;
import dev.kiln.codegen.tree.Unary;
import dev.kiln.codegen.tree.UnOp;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.PhysicalKind;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** Terse constructors for code-tree nodes, so generators read like the code they produce. */
final class J {
    private J() {}

    static final JType SEGMENT = JType.of(MemorySegment.class);
    static final JExpr FALSE = Const.of(false);
    static final JExpr TRUE = Const.of(true);

    static JExpr c(int v) { return Const.of(v); }
    static JExpr c(long v) { return Const.of(v); }
    static JExpr c(double v) { return Const.of(v); }
    static JExpr c(boolean v) { return Const.of(v); }
    static JExpr c(String v) { return Const.of(v); }

    static JExpr call(Class<?> owner, String method, JExpr... args) {
        return new InvokeStatic(owner, method, List.of(args));
    }

    static JExpr vcall(JExpr target, Class<?> owner, String method, JExpr... args) {
        return new InvokeVirtual(target, owner, method, List.of(args));
    }

    static JExpr bin(BinOp op, JExpr a, JExpr b) { return new Binary(op, a, b); }
    static JExpr add(JExpr a, JExpr b) { return bin(BinOp.ADD, a, b); }
    static JExpr mul(JExpr a, JExpr b) { return bin(BinOp.MUL, a, b); }
    static JExpr eq(JExpr a, JExpr b) { return bin(BinOp.EQ, a, b); }
    static JExpr ne(JExpr a, JExpr b) { return bin(BinOp.NE, a, b); }
    static JExpr lt(JExpr a, JExpr b) { return bin(BinOp.LT, a, b); }
    static JExpr ge(JExpr a, JExpr b) { return bin(BinOp.GE, a, b); }

    static JExpr not(JExpr a) {
        if (a.equals(TRUE)) return FALSE;
        if (a.equals(FALSE)) return TRUE;
        return new Unary(UnOp.NOT, a);
    }

    /** Short-circuit OR that drops constant FALSE operands. */
    static JExpr or(JExpr a, JExpr b) {
        if (a.equals(FALSE)) return b;
        if (b.equals(FALSE)) return a;
        if (a.equals(TRUE) || b.equals(TRUE)) return TRUE;
        return bin(BinOp.LOGICAL_OR, a, b);
    }

    static JExpr and(JExpr a, JExpr b) {
        if (a.equals(TRUE)) return b;
        if (b.equals(TRUE)) return a;
        if (a.equals(FALSE) || b.equals(FALSE)) return FALSE;
        return bin(BinOp.LOGICAL_AND, a, b);
    }

    static JExpr convert(JExpr e, JType to) {
        return e.type().equals(to) ? e : new Convert(e, to);
    }

    static JStmt assign(Local target, JExpr value) {
        return new Assign(target.v(), value);
    }

    static JStmt eval(JExpr call) {
        return new Eval(call);
    }

    /** JVM type that holds a value of this physical kind in generated code. */
    static JType jtype(PhysicalKind kind) {
        return switch (kind) {
            case BOOL -> JType.BOOLEAN;
            case I8, I16, I32 -> JType.INT;
            case I64 -> JType.LONG;
            case F64 -> JType.DOUBLE;
            case VARCHAR, STRUCT, TENSOR -> throw new IllegalArgumentException(kind + " has no single JVM primitive");
        };
    }

    static JType jtype(DataType type) {
        return jtype(type.physical());
    }

    static JExpr zero(JType t) {
        if (t.equals(JType.BOOLEAN)) return FALSE;
        if (t.equals(JType.INT)) return c(0);
        if (t.equals(JType.LONG)) return c(0L);
        if (t.equals(JType.DOUBLE)) return c(0.0);
        throw new IllegalArgumentException("no zero for " + t);
    }

    private static JExpr layout(String name, Class<?> type) {
        return new StaticField(ValueLayout.class, name, JType.of(type));
    }

    /** Reads one fixed-width value at a byte offset; the result has {@link #jtype(PhysicalKind)}. */
    static JExpr load(JExpr segment, PhysicalKind kind, JExpr byteOffset) {
        return switch (kind) {
            case BOOL -> ne(convert(vcall(segment, MemorySegment.class, "get", layout("JAVA_BYTE", ValueLayout.OfByte.class), byteOffset), JType.INT), c(0));
            case I8 -> convert(vcall(segment, MemorySegment.class, "get", layout("JAVA_BYTE", ValueLayout.OfByte.class), byteOffset), JType.INT);
            case I16 -> convert(vcall(segment, MemorySegment.class, "get", layout("JAVA_SHORT_UNALIGNED", ValueLayout.OfShort.class), byteOffset), JType.INT);
            case I32 -> vcall(segment, MemorySegment.class, "get", layout("JAVA_INT_UNALIGNED", ValueLayout.OfInt.class), byteOffset);
            case I64 -> vcall(segment, MemorySegment.class, "get", layout("JAVA_LONG_UNALIGNED", ValueLayout.OfLong.class), byteOffset);
            case F64 -> vcall(segment, MemorySegment.class, "get", layout("JAVA_DOUBLE_UNALIGNED", ValueLayout.OfDouble.class), byteOffset);
            default -> throw new IllegalArgumentException("cannot load " + kind);
        };
    }

    static JExpr loadLong(JExpr segment, JExpr byteOffset) {
        return load(segment, PhysicalKind.I64, byteOffset);
    }

    static JExpr loadDouble(JExpr segment, JExpr byteOffset) {
        return load(segment, PhysicalKind.F64, byteOffset);
    }

    static JStmt storeLong(JExpr segment, JExpr byteOffset, JExpr value) {
        return eval(vcall(segment, MemorySegment.class, "set", layout("JAVA_LONG_UNALIGNED", ValueLayout.OfLong.class), byteOffset, value));
    }

    static JStmt storeDouble(JExpr segment, JExpr byteOffset, JExpr value) {
        return eval(vcall(segment, MemorySegment.class, "set", layout("JAVA_DOUBLE_UNALIGNED", ValueLayout.OfDouble.class), byteOffset, value));
    }

    /** Widens any integer-like or boolean primitive to long, for hashing and 8-byte slots. */
    static JExpr toLong(JExpr e) {
        JType t = e.type();
        if (t.equals(JType.LONG)) return e;
        if (t.equals(JType.BOOLEAN)) return new dev.kiln.codegen.tree.Ternary(e, c(1L), c(0L));
        return convert(e, JType.LONG);
    }
}
