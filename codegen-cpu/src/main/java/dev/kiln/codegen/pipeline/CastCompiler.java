package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.BinOp;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JType;
import dev.kiln.ir.type.DataType;

/** CAST between scalar types with SQL rules: range and precision checks, HALF_UP rounding. */
final class CastCompiler {
    private final ExprCompiler ec;

    CastCompiler(ExprCompiler ec) {
        this.ec = ec;
    }

    Value compile(Value in, DataType to) {
        DataType from = in.type();
        if (from.equals(to)) return in;
        if (to instanceof DataType.VarcharType) return toText(in);
        if (in instanceof Value.Str s) return fromText(s, to);
        JExpr x = ((Value.Scalar) in).value();
        JExpr isNull = in.isNull();
        JExpr r = switch (to) {
            case DataType.IntType t -> switch (from) {
                case DataType.IntType f -> t.bits() >= f.bits() ? J.convert(x, J.jtype(t))
                        : J.convert(J.call(Fn.class, "checkRange", J.toLong(x), J.c(t.bits())), J.jtype(t));
                case DataType.DecimalType f -> J.convert(J.call(Fn.class, "decimalToLong", x, J.c(f.scale()), J.c(t.bits())), J.jtype(t));
                case DataType.DoubleType f -> J.convert(J.call(Fn.class, "doubleToLong", x, J.c(t.bits())), J.jtype(t));
                case DataType.BooleanType f -> J.convert(J.toLong(x), J.jtype(t));
                default -> throw invalid(from, to);
            };
            case DataType.DecimalType t -> switch (from) {
                case DataType.IntType f -> J.call(Fn.class, "intToDecimal", J.toLong(x), J.c(t.scale()), J.c(t.precision()));
                case DataType.DecimalType f -> f.scale() == t.scale() && f.precision() <= t.precision() ? x
                        : J.call(Fn.class, "rescaleChecked", x, J.c(f.scale()), J.c(t.scale()), J.c(t.precision()));
                case DataType.DoubleType f -> J.call(Fn.class, "doubleToDecimal", x, J.c(t.scale()), J.c(t.precision()));
                default -> throw invalid(from, to);
            };
            case DataType.DoubleType t -> switch (from) {
                case DataType.IntType f -> J.convert(x, JType.DOUBLE);
                case DataType.DecimalType f -> J.call(Fn.class, "decimalToDouble", x, J.c(f.scale()));
                default -> throw invalid(from, to);
            };
            case DataType.TimestampType t -> switch (from) {
                case DataType.DateType f -> J.mul(J.toLong(x), J.c(86_400_000_000L));
                default -> throw invalid(from, to);
            };
            case DataType.DateType t -> switch (from) {
                case DataType.TimestampType f -> J.call(Fn.class, "daysOf", x);
                default -> throw invalid(from, to);
            };
            case DataType.BooleanType t -> switch (from) {
                case DataType.IntType f -> J.bin(BinOp.NE, J.toLong(x), J.c(0L));
                default -> throw invalid(from, to);
            };
            default -> throw invalid(from, to);
        };
        return new Value.Scalar(to, isNull, ec.guarded(isNull, r, "cast"));
    }

    private Value toText(Value in) {
        if (in instanceof Value.Str) return in;
        JExpr x = ((Value.Scalar) in).value();
        JExpr bytes = switch (in.type()) {
            case DataType.IntType t -> J.call(Fn.class, "formatLong", J.toLong(x));
            case DataType.DecimalType t -> J.call(Fn.class, "formatDecimal", x, J.c(t.scale()));
            case DataType.DoubleType t -> J.call(Fn.class, "formatDouble", x);
            case DataType.DateType t -> J.call(Fn.class, "formatDate", x);
            case DataType.TimestampType t -> J.call(Fn.class, "formatTimestamp", x);
            case DataType.BooleanType t -> J.call(Fn.class, "formatBoolean", x);
            default -> throw invalid(in.type(), DataType.VARCHAR);
        };
        return StringOps.fresh(ec, in.isNull(), bytes);
    }

    private Value fromText(Value.Str s, DataType to) {
        JExpr[] v = {s.segment(), s.offset(), s.length()};
        JExpr r = switch (to) {
            case DataType.IntType t -> J.convert(J.call(Fn.class, "parseLong", v[0], v[1], v[2], J.c(t.bits())), J.jtype(t));
            case DataType.DecimalType t -> J.call(Fn.class, "parseDecimal", v[0], v[1], v[2], J.c(t.precision()), J.c(t.scale()));
            case DataType.DoubleType t -> J.call(Fn.class, "parseDouble", v);
            case DataType.DateType t -> J.call(Fn.class, "parseDate", v);
            case DataType.TimestampType t -> J.call(Fn.class, "parseTimestamp", v);
            case DataType.BooleanType t -> J.call(Fn.class, "parseBoolean", v);
            default -> throw invalid(DataType.VARCHAR, to);
        };
        return new Value.Scalar(to, s.isNull(), ec.guarded(s.isNull(), r, "parse"));
    }

    private static dev.kiln.ir.KilnException invalid(DataType from, DataType to) {
        return new dev.kiln.ir.KilnException("cannot CAST " + from.sql() + " to " + to.sql());
    }
}
