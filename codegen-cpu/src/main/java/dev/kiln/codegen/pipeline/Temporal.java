package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.BinOp;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JType;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;

/** Date and timestamp arithmetic and EXTRACT (DATE = int days, TIMESTAMP = long micros). */
final class Temporal {
    private Temporal() {}

    static Value binary(ExprCompiler ec, Op op, DataType type, Value a, Value b) {
        JExpr x = ((Value.Scalar) a).value();
        JExpr y = ((Value.Scalar) b).value();
        JExpr isNull = J.or(a.isNull(), b.isNull());
        boolean ts = a.type() instanceof DataType.TimestampType;
        JExpr compute = switch (op) {
            case ADD_DAYS -> ts ? J.call(Math.class, "addExact", x, J.mul(J.toLong(y), J.c(86_400_000_000L)))
                    : J.call(Math.class, "addExact", x, J.convert(y, JType.INT));
            case ADD_MONTHS -> J.call(Fn.class, ts ? "addMonthsTs" : "addMonths", x, J.convert(y, JType.INT));
            case ADD_MICROS -> J.call(Math.class, "addExact", x, J.toLong(y));
            case TIME_BUCKET -> J.call(Fn.class, "timeBucket", x, J.toLong(y));
            case DATE_DIFF_DAYS -> J.convert(J.bin(BinOp.SUB, J.toLong(x), J.toLong(y)), J.jtype(type));
            default -> throw ExprCompiler.unsupported(op.name());
        };
        return new Value.Scalar(type, isNull, ec.guarded(isNull, compute, "dt"));
    }

    static Value extract(ExprCompiler ec, Op op, DataType type, Value.Scalar a) {
        boolean ts = a.type() instanceof DataType.TimestampType;
        String field = switch (op) {
            case EXTRACT_YEAR -> "Year";
            case EXTRACT_QUARTER -> "Quarter";
            case EXTRACT_MONTH -> "Month";
            case EXTRACT_DAY -> "Day";
            case EXTRACT_DOW -> "Dow";
            case EXTRACT_DOY -> "Doy";
            case EXTRACT_HOUR -> "Hour";
            case EXTRACT_MINUTE -> "Minute";
            case EXTRACT_SECOND -> "Second";
            default -> throw ExprCompiler.unsupported(op.name());
        };
        JExpr days = ts ? J.call(Fn.class, "daysOf", a.value()) : a.value();
        JExpr v = switch (op) {
            case EXTRACT_HOUR, EXTRACT_MINUTE, EXTRACT_SECOND -> {
                if (!ts) throw new dev.kiln.ir.KilnException("EXTRACT(" + field.toUpperCase() + ") needs a TIMESTAMP, not a DATE");
                yield J.call(Fn.class, "extract" + field, a.value());
            }
            default -> J.call(Fn.class, "extract" + field, days);
        };
        return new Value.Scalar(type, a.isNull(), J.convert(v, J.jtype(type)));
    }
}
