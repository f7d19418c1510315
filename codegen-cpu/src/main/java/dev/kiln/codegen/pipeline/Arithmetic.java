package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.BinOp;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Unary;
import dev.kiln.codegen.tree.UnOp;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import java.util.Optional;

/**
 * Arithmetic with SQL semantics: exact integer and DECIMAL operations that raise an error on
 * overflow (Math.*Exact, which the JIT turns into a flag check), division by zero as an error,
 * DECIMAL operands rescaled to the result scale first (see ir/expr/package-info).
 */
final class Arithmetic {
    private Arithmetic() {}

    static Value binary(ExprCompiler ec, Op op, DataType type, Value a, Value b) {
        JExpr x = ((Value.Scalar) a).value();
        JExpr y = ((Value.Scalar) b).value();
        JExpr isNull = J.or(a.isNull(), b.isNull());
        JExpr compute = switch (type) {
            case DataType.IntType t -> narrow(t, integer(op, x, y));
            case DataType.DecimalType d -> decimal(op, d, (DataType.DecimalType) a.type(), (DataType.DecimalType) b.type(), x, y);
            case DataType.DoubleType d -> switch (op) {
                case PLUS -> J.add(x, y);
                case MINUS -> J.bin(BinOp.SUB, x, y);
                case TIMES -> J.mul(x, y);
                case DIVIDE -> J.call(Fn.class, "divide", x, y);
                case MOD -> J.call(Fn.class, "mod", x, y);
                default -> throw ExprCompiler.unsupported(op + " on DOUBLE");
            };
            default -> throw ExprCompiler.unsupported(op + " on " + type.sql());
        };
        if (compute.type().equals(JType.DOUBLE) && op != Op.DIVIDE && op != Op.MOD) {
            // plain IEEE arithmetic cannot throw: no guard needed
            return new Value.Scalar(type, isNull, compute);
        }
        return new Value.Scalar(type, isNull, ec.guarded(isNull, compute, "ar"));
    }

    private static JExpr integer(Op op, JExpr x, JExpr y) {
        return switch (op) {
            case PLUS -> J.call(Math.class, "addExact", x, y);
            case MINUS -> J.call(Math.class, "subtractExact", x, y);
            case TIMES -> J.call(Math.class, "multiplyExact", x, y);
            case DIVIDE -> J.call(Fn.class, "divide", x, y);
            case MOD -> J.call(Fn.class, "mod", x, y);
            default -> throw ExprCompiler.unsupported(op + " on integers");
        };
    }

    /** TINYINT and SMALLINT are computed in int and range-checked. */
    private static JExpr narrow(DataType.IntType t, JExpr v) {
        return t.bits() < 32 ? J.call(Fn.class, "checkRange", v, J.c(t.bits())) : v;
    }

    private static JExpr decimal(Op op, DataType.DecimalType r, DataType.DecimalType ta, DataType.DecimalType tb, JExpr x, JExpr y) {
        return switch (op) {
            case PLUS -> J.call(Math.class, "addExact", upscale(x, ta.scale(), r.scale()), upscale(y, tb.scale(), r.scale()));
            case MINUS -> J.call(Math.class, "subtractExact", upscale(x, ta.scale(), r.scale()), upscale(y, tb.scale(), r.scale()));
            case MOD -> {
                int s = Math.max(ta.scale(), tb.scale());
                JExpr m = J.call(Fn.class, "mod", upscale(x, ta.scale(), s), upscale(y, tb.scale(), s));
                yield s == r.scale() ? m : J.call(Fn.class, "rescale", m, J.c(s), J.c(r.scale()));
            }
            case TIMES -> {
                int s = ta.scale() + tb.scale();
                yield s == r.scale() ? J.call(Math.class, "multiplyExact", x, y)
                        : J.call(Fn.class, "multiplyRescale", x, y, J.c(s - r.scale()));
            }
            default -> throw ExprCompiler.unsupported(op + " on DECIMAL (the frontend casts DECIMAL division to DOUBLE)");
        };
    }

    /** Multiplies an unscaled value by 10^(to - from), exactly. */
    static JExpr upscale(JExpr v, int from, int to) {
        if (to == from) return v;
        if (to < from) throw new IllegalStateException("cannot upscale from scale " + from + " to " + to);
        return J.call(Math.class, "multiplyExact", v, J.c(Fn.POW10[to - from]));
    }

    static Value unary(ExprCompiler ec, Op op, DataType type, Value a) {
        JExpr x = ((Value.Scalar) a).value();
        boolean dbl = x.type().equals(JType.DOUBLE);
        JExpr compute = switch (op) {
            case NEGATE -> dbl ? new Unary(UnOp.NEG, x) : J.call(Math.class, "negateExact", x);
            case ABS -> dbl ? J.call(Math.class, "abs", x) : J.call(Math.class, "absExact", x);
            case FLOOR, CEIL -> switch (a.type()) {
                case DataType.DoubleType d -> J.call(Math.class, op == Op.FLOOR ? "floor" : "ceil", x);
                case DataType.DecimalType d -> J.call(Fn.class, op == Op.FLOOR ? "floorDecimal" : "ceilDecimal", x, J.c(d.scale()),
                        J.c(((DataType.DecimalType) type).scale()));
                default -> x;
            };
            case EXP -> J.call(Math.class, "exp", x);
            case LN -> J.call(dev.kiln.ir.eval.NumericFunctions.class, "ln", x);
            default -> throw ExprCompiler.unsupported(op.name());
        };
        if (type instanceof DataType.IntType t) compute = narrow(t, compute);
        return new Value.Scalar(type, a.isNull(), ec.guarded(a.isNull(), compute, "un"));
    }

    static Value round(ExprCompiler ec, DataType type, Value a, Optional<Value> digits) {
        JExpr x = ((Value.Scalar) a).value();
        JExpr d = digits.map(v -> J.convert(((Value.Scalar) v).value(), JType.INT)).orElse(J.c(0));
        JExpr isNull = digits.map(v -> J.or(a.isNull(), v.isNull())).orElse(a.isNull());
        JExpr compute = switch (a.type()) {
            case DataType.DoubleType t -> J.call(Fn.class, "roundDouble", x, d);
            case DataType.DecimalType t -> J.call(Fn.class, "roundDecimal", x, J.c(t.scale()), d, J.c(((DataType.DecimalType) type).scale()));
            default -> x;
        };
        return new Value.Scalar(type, isNull, ec.guarded(isNull, compute, "rd"));
    }
}
