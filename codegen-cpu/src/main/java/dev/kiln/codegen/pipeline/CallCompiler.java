package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.Block;
import dev.kiln.codegen.tree.Convert;
import dev.kiln.codegen.tree.If;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Local;
import dev.kiln.codegen.tree.NullConst;
import dev.kiln.codegen.tree.Ternary;
import dev.kiln.codegen.tree.ThisField;
import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import dev.kiln.runtime.fn.LikePattern;
import java.util.List;
import java.util.Optional;

/** Code for {@link Call}s: one small method per operator family. */
final class CallCompiler {
    private final ExprCompiler ec;
    private final CodeBuilder cb;

    CallCompiler(ExprCompiler ec) {
        this.ec = ec;
        this.cb = ec.cb;
    }

    Value compile(Call c, Row row) {
        return switch (c.op()) {
            case AND -> logic(c, row, true);
            case OR -> logic(c, row, false);
            case COALESCE -> coalesce(c, row);
            default -> strict(c, row);
        };
    }

    private Value strict(Call c, Row row) {
        List<Expr> args = c.args();
        Op op = c.op();
        if (op == Op.LIKE) return like(c, row);
        Value a = ec.compile(args.get(0), row);
        if (args.size() == 1) return unary(c, a);
        Value b = ec.compile(args.get(1), row);
        if (op == Op.HOP_START) {
            Value j = ec.compile(args.get(3), row);
            JExpr isNull = J.or(J.or(a.isNull(), b.isNull()), j.isNull());
            JExpr v = J.call(Fn.class, "hopStart", ((Value.Scalar) a).value(), J.toLong(((Value.Scalar) b).value()), J.toLong(((Value.Scalar) j).value()));
            return new Value.Scalar(c.type(), isNull, ec.guarded(isNull, v, "hop"));
        }
        return switch (op) {
            case PLUS, MINUS, TIMES, DIVIDE, MOD -> Arithmetic.binary(ec, op, c.type(), a, b);
            case EQ, NE, LT, LE, GT, GE -> {
                JExpr isNull = J.or(a.isNull(), b.isNull());
                JExpr cmp = Comparisons.compare(op, a, b);
                if (a instanceof Value.Str && !isNull.equals(J.FALSE)) cmp = new Ternary(isNull, J.FALSE, cmp);
                yield new Value.Scalar(DataType.BOOLEAN, isNull, cmp);
            }
            case IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM -> {
                Value x = ec.materialize(a);
                Value y = ec.materialize(b);
                JExpr bothPresentEqual = J.and(J.and(J.not(x.isNull()), J.not(y.isNull())), Comparisons.equal(x, y));
                JExpr same = J.or(J.and(x.isNull(), y.isNull()), bothPresentEqual);
                yield new Value.Scalar(DataType.BOOLEAN, J.FALSE, op == Op.IS_NOT_DISTINCT_FROM ? same : J.not(same));
            }
            case NULLIF -> {
                Value x = ec.materialize(a);
                Value y = ec.materialize(b);
                JExpr equal = J.and(J.not(y.isNull()), Comparisons.equal(x, y));
                Local isNull = cb.declare("nn", JType.BOOLEAN, J.or(x.isNull(), equal));
                yield switch (x) {
                    case Value.Scalar s -> new Value.Scalar(s.type(), isNull, s.value());
                    case Value.Str s -> new Value.Str(isNull, s.segment(), s.offset(), s.length());
                };
            }
            case SUBSTRING -> StringOps.substring(ec, (Value.Str) a, b, args.size() > 2 ? Optional.of(ec.compile(args.get(2), row)) : Optional.empty());
            case CONCAT -> StringOps.concat(ec, (Value.Str) a, (Value.Str) b);
            case ADD_DAYS, ADD_MONTHS, ADD_MICROS, TIME_BUCKET, DATE_DIFF_DAYS -> Temporal.binary(ec, op, c.type(), a, b);
            case ROUND -> Arithmetic.round(ec, c.type(), a, Optional.of(b));
            case DOT, COSINE_SIMILARITY -> vectors(c, (Value.Str) a, (Value.Str) b);
            default -> throw ExprCompiler.unsupported("operator " + op + " with " + args.size() + " arguments");
        };
    }

    /** DOT / COSINE_SIMILARITY of two TENSOR cells, by a runtime helper that reads FLOAT32 vectors in place. */
    private Value vectors(Call c, Value.Str a, Value.Str b) {
        JExpr isNull = J.or(a.isNull(), b.isNull());
        JExpr ta = J.c(((DataType.TensorType) a.type()).tensor().element().ordinal());
        JExpr tb = J.c(((DataType.TensorType) b.type()).tensor().element().ordinal());
        JExpr v = J.call(dev.kiln.runtime.fn.Vectors.class, c.op() == Op.DOT ? "dot" : "cosine", a.segment(), a.offset(), a.length(), ta,
                b.segment(), b.offset(), b.length(), tb);
        return new Value.Scalar(DataType.DOUBLE, isNull, ec.guarded(isNull, v, c.op() == Op.DOT ? "dot" : "cos"));
    }

    private Value unary(Call c, Value a) {
        return switch (c.op()) {
            case NOT -> new Value.Scalar(DataType.BOOLEAN, a.isNull(), J.not(((Value.Scalar) a).value()));
            case IS_NULL -> new Value.Scalar(DataType.BOOLEAN, J.FALSE, a.isNull());
            case IS_NOT_NULL -> new Value.Scalar(DataType.BOOLEAN, J.FALSE, J.not(a.isNull()));
            case IS_TRUE -> new Value.Scalar(DataType.BOOLEAN, J.FALSE, ExprCompiler.isTrue(a));
            case IS_FALSE -> new Value.Scalar(DataType.BOOLEAN, J.FALSE, J.and(J.not(a.isNull()), J.not(((Value.Scalar) a).value())));
            case NEGATE, ABS, FLOOR, CEIL, EXP, LN -> Arithmetic.unary(ec, c.op(), c.type(), a);
            case ROUND -> Arithmetic.round(ec, c.type(), a, Optional.empty());
            case UPPER, LOWER, TRIM, CHAR_LENGTH -> StringOps.unary(ec, c.op(), c.type(), (Value.Str) a);
            case EXTRACT_YEAR, EXTRACT_QUARTER, EXTRACT_MONTH, EXTRACT_DAY, EXTRACT_DOW, EXTRACT_DOY,
                 EXTRACT_HOUR, EXTRACT_MINUTE, EXTRACT_SECOND -> Temporal.extract(ec, c.op(), c.type(), (Value.Scalar) a);
            default -> throw ExprCompiler.unsupported("operator " + c.op() + " with one argument");
        };
    }

    /**
     * Three-valued AND (OR when {@code and} is false), evaluated left to right and stopping at
     * the first FALSE (TRUE): later operands are compiled inside the "not decided yet" branch.
     */
    private Value logic(Call c, Row row, boolean and) {
        Local decided = cb.declare(and ? "anyFalse" : "anyTrue", JType.BOOLEAN, J.FALSE);
        Local anyNull = cb.declare("anyNull", JType.BOOLEAN, J.FALSE);
        emitLogic(c.args(), 0, row, and, decided, anyNull);
        JExpr value = and ? J.and(J.not(decided), J.not(anyNull)) : decided;
        JExpr isNull = J.and(J.not(decided), anyNull);
        return new Value.Scalar(DataType.BOOLEAN, cb.declare("ln", JType.BOOLEAN, isNull), cb.declare("lv", JType.BOOLEAN, value));
    }

    private void emitLogic(List<Expr> args, int i, Row row, boolean and, Local decided, Local anyNull) {
        Value v = ec.compile(args.get(i), row);
        JExpr value = ((Value.Scalar) v).value();
        JExpr decisive = J.and(J.not(v.isNull()), and ? J.not(value) : value);
        Block rest = cb.block(() -> {
            if (!v.isNull().equals(J.FALSE)) cb.emit(If.of(v.isNull(), Block.of(J.assign(anyNull, J.TRUE))));
            if (i + 1 < args.size()) emitLogic(args, i + 1, row, and, decided, anyNull);
        });
        cb.emit(new If(decisive, Block.of(J.assign(decided, J.TRUE)), Optional.of(rest)));
    }

    private Value coalesce(Call c, Row row) {
        boolean str = c.type() instanceof DataType.VarcharType;
        Local isNull = cb.declare("cn", JType.BOOLEAN, J.TRUE);
        Local value = str ? null : cb.declare("cv", J.jtype(c.type()), J.zero(J.jtype(c.type())));
        Local seg = str ? cb.declare("cs", J.SEGMENT, new NullConst(J.SEGMENT)) : null;
        Local off = str ? cb.declare("co", JType.LONG, J.c(0L)) : null;
        Local len = str ? cb.declare("cl", JType.INT, J.c(0)) : null;
        emitCoalesce(c.args(), 0, row, isNull, value, seg, off, len);
        return str ? new Value.Str(isNull, seg, off, len) : new Value.Scalar(c.type(), isNull, value);
    }

    private void emitCoalesce(List<Expr> args, int i, Row row, Local isNull, Local value, Local seg, Local off, Local len) {
        Value v = ec.materialize(ec.compile(args.get(i), row));
        ec.assignTo(v, isNull, value, seg, off, len);
        if (i + 1 < args.size()) {
            Block rest = cb.block(() -> emitCoalesce(args, i + 1, row, isNull, value, seg, off, len));
            cb.emit(If.of(isNull, rest));
        }
    }

    private Value like(Call c, Row row) {
        Value.Str s = (Value.Str) ec.compile(c.arg(0), row);
        String pattern = constantString(c.arg(1), "LIKE pattern");
        char escape = 0;
        if (c.args().size() > 2) {
            String esc = constantString(c.arg(2), "LIKE escape");
            if (esc.length() != 1) throw new dev.kiln.ir.KilnException("LIKE ESCAPE must be a single character, not '" + esc + "'");
            escape = esc.charAt(0);
        }
        // compiled once here (a malformed pattern fails now, with its message); the matcher is a parameter
        ThisField matcher = ec.cls.param(LikePattern.compile(pattern, escape), JType.of(LikePattern.class),
                raw -> new Convert(raw, JType.of(LikePattern.class)));
        JExpr matches = J.vcall(matcher, LikePattern.class, "matches", s.segment(), s.offset(), s.length());
        JExpr v = s.isNull().equals(J.FALSE) ? matches : new Ternary(s.isNull(), J.FALSE, matches);
        return new Value.Scalar(DataType.BOOLEAN, s.isNull(), v);
    }

    static String constantString(Expr e, String what) {
        Expr x = e instanceof Cast cast ? cast.input() : e;
        if (x instanceof Literal l && l.value() instanceof String s) return s;
        throw ExprCompiler.unsupported("a " + what + " that is not a constant string");
    }
}
