package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.BinOp;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JType;
import dev.kiln.ir.expr.Op;
import dev.kiln.runtime.fn.Strings;

/** Comparison code for two values of the same type (NULL flags handled by the caller). */
final class Comparisons {
    private Comparisons() {}

    static JExpr equal(Value a, Value b) {
        return compare(Op.EQ, a, b);
    }

    static JExpr compare(Op op, Value a, Value b) {
        if (a instanceof Value.Str sa && b instanceof Value.Str sb) {
            JExpr[] args = {sa.segment(), sa.offset(), sa.length(), sb.segment(), sb.offset(), sb.length()};
            if (op == Op.EQ) return J.call(Strings.class, "equals", args);
            if (op == Op.NE) return J.not(J.call(Strings.class, "equals", args));
            return J.bin(binOp(op), J.call(Strings.class, "compare", args), J.c(0));
        }
        JExpr x = ((Value.Scalar) a).value();
        JExpr y = ((Value.Scalar) b).value();
        if (x.type().equals(JType.BOOLEAN)) {
            x = J.toLong(x);
            y = J.toLong(y);
        }
        if (x.type().equals(JType.DOUBLE)) return doubles(op, x, y);
        return J.bin(binOp(op), x, y);
    }

    /** Two DOUBLEs compared in SQL's order (NaN equal to itself and above every number), not Java's. */
    static JExpr doubles(Op op, JExpr x, JExpr y) {
        return J.call(dev.kiln.runtime.fn.DoubleOrder.class, op.name().toLowerCase(java.util.Locale.ROOT), x, y);
    }

    static BinOp binOp(Op op) {
        return switch (op) {
            case EQ -> BinOp.EQ;
            case NE -> BinOp.NE;
            case LT -> BinOp.LT;
            case LE -> BinOp.LE;
            case GT -> BinOp.GT;
            case GE -> BinOp.GE;
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }

}
