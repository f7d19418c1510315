package dev.kiln.ir;

import dev.kiln.ir.eval.ExprEvaluator;
import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/** Terse builders for hand-written test expressions. */
public final class E {
    private E() {}

    public static final DataType INT = DataType.INTEGER;
    public static final DataType BIGINT = DataType.BIGINT;
    public static final DataType BOOL = DataType.BOOLEAN;
    public static final DataType TEXT = DataType.VARCHAR;
    public static final DataType DBL = DataType.DOUBLE;

    public static ColumnRef col(int i, DataType t) {
        return new ColumnRef(i, t, true);
    }

    public static Literal i32(long v) {
        return new Literal(v, DataType.INTEGER);
    }

    public static Literal i64(long v) {
        return new Literal(v, DataType.BIGINT);
    }

    public static Literal dbl(double v) {
        return Literal.of(v);
    }

    public static Literal str(String v) {
        return Literal.of(v);
    }

    /** DECIMAL literal of the given precision with the text's scale. */
    public static Literal dec(String text, int precision) {
        BigDecimal d = new BigDecimal(text);
        return new Literal(d, DataType.decimal(precision, Math.max(d.scale(), 0)));
    }

    public static Literal bool(boolean v) {
        return Literal.of(v);
    }

    public static NullLiteral nul(DataType t) {
        return new NullLiteral(t);
    }

    /** A call whose nullability is "any operand nullable". */
    public static Call call(Op op, DataType type, Expr... args) {
        return new Call(op, List.of(args), type, Arrays.stream(args).anyMatch(Expr::nullable));
    }

    public static Cast cast(Expr e, DataType t) {
        return new Cast(e, t);
    }

    public static Object eval(Expr e, Object... row) {
        return ExprEvaluator.eval(e, row);
    }

    public static String error(Runnable r) {
        try {
            r.run();
        } catch (KilnException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a KilnException");
    }
}
