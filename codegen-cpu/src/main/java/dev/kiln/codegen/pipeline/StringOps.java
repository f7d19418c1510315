package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Local;
import dev.kiln.codegen.tree.NullConst;
import dev.kiln.codegen.tree.Ternary;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * String operators over (segment, offset, length) views. SUBSTRING and TRIM are zero-copy (they
 * narrow the view); UPPER, LOWER and || build new bytes in a heap segment.
 */
final class StringOps {
    private StringOps() {}

    static Value substring(ExprCompiler ec, Value.Str s, Value start, Optional<Value> count) {
        JExpr st = J.toLong(((Value.Scalar) start).value());
        JExpr isNull = J.or(s.isNull(), start.isNull());
        JExpr packed;
        if (count.isPresent()) {
            isNull = J.or(isNull, count.get().isNull());
            packed = J.call(Fn.class, "substring", s.segment(), s.offset(), s.length(), st, J.toLong(((Value.Scalar) count.get()).value()));
        } else {
            packed = J.call(Fn.class, "substring", s.segment(), s.offset(), s.length(), st);
        }
        return narrowed(ec, s, isNull, packed);
    }

    /** A view narrowed by a packed (relative start << 32 | length) computed by a helper. */
    private static Value narrowed(ExprCompiler ec, Value.Str s, JExpr isNull, JExpr packed) {
        Local n = ec.cb.declare("sn", JType.BOOLEAN, isNull);
        Local p = ec.cb.declare("sp", JType.LONG, isNull.equals(J.FALSE) ? packed : new Ternary(n, J.c(0L), packed));
        JExpr off = J.add(s.offset(), J.bin(dev.kiln.codegen.tree.BinOp.USHR, p, J.c(32)));
        JExpr len = J.convert(J.bin(dev.kiln.codegen.tree.BinOp.AND, p, J.c(0xFFFFFFFFL)), JType.INT);
        return new Value.Str(n, s.segment(), ec.cb.declare("so", JType.LONG, off), ec.cb.declare("sl", JType.INT, len));
    }

    static Value concat(ExprCompiler ec, Value.Str a, Value.Str b) {
        JExpr isNull = J.or(a.isNull(), b.isNull());
        JExpr bytes = J.call(Fn.class, "concat", a.segment(), a.offset(), a.length(), b.segment(), b.offset(), b.length());
        return fresh(ec, isNull, bytes);
    }

    static Value unary(ExprCompiler ec, Op op, DataType type, Value.Str s) {
        JExpr[] view = {s.segment(), s.offset(), s.length()};
        return switch (op) {
            case UPPER -> fresh(ec, s.isNull(), J.call(Fn.class, "upper", view));
            case LOWER -> fresh(ec, s.isNull(), J.call(Fn.class, "lower", view));
            case TRIM -> narrowed(ec, s, s.isNull(), J.call(Fn.class, "trim", view));
            case CHAR_LENGTH -> {
                JExpr len = J.call(Fn.class, "charLength", view);
                JExpr typed = J.convert(len, J.jtype(type));
                yield new Value.Scalar(type, s.isNull(), s.isNull().equals(J.FALSE) ? typed : new Ternary(s.isNull(), J.zero(J.jtype(type)), typed));
            }
            default -> throw ExprCompiler.unsupported(op.name());
        };
    }

    /** Wraps bytes produced by a helper (or nothing, when NULL) as a heap-segment view. */
    static Value fresh(ExprCompiler ec, JExpr isNull, JExpr bytes) {
        Local n = ec.cb.declare("fn", JType.BOOLEAN, isNull);
        JExpr seg = J.call(MemorySegment.class, "ofArray", bytes);
        Local s = ec.cb.declare("fs", J.SEGMENT, isNull.equals(J.FALSE) ? seg : new Ternary(n, new NullConst(J.SEGMENT), seg));
        JExpr len = new Ternary(n, J.c(0), J.convert(J.vcall(s, MemorySegment.class, "byteSize"), JType.INT));
        return new Value.Str(n, s, J.c(0L), ec.cb.declare("fl", JType.INT, len));
    }
}
