package dev.kiln.ir.rel;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.DataType.DecimalType;
import dev.kiln.ir.type.DataType.IntType;
import java.util.List;

/**
 * The operand and result types each {@link Op} accepts, restating ir/expr/package-info as checks
 * (independently of TypeRules, which builds expressions: the validator must not trust the code it
 * checks). Used by {@link PlanValidator}.
 */
final class CallTyping {
    private CallTyping() {}

    /** What is wrong with the call's operand types, result type or nullability claim; null if nothing. */
    static String problem(Call c) {
        String p = types(c);
        if (p != null) return p;
        return mayBeNull(c) && !c.nullable() ? c.op() + " claims NOT NULL but can be NULL (an operand is nullable)" : null;
    }

    private static boolean mayBeNull(Call c) {
        return switch (c.op()) {
            case IS_NULL, IS_NOT_NULL, IS_TRUE, IS_FALSE, IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM -> false;
            case COALESCE -> c.args().stream().allMatch(Expr::nullable);
            case NULLIF -> true;
            default -> c.args().stream().anyMatch(Expr::nullable);
        };
    }

    private static String types(Call c) {
        Op op = c.op();
        List<Expr> a = c.args();
        DataType t = c.type();
        String arity = arity(c);
        if (arity != null) return arity;
        return switch (op) {
            case PLUS, MINUS, TIMES, DIVIDE, MOD -> arithmetic(op, a.get(0).type(), a.get(1).type(), t);
            case NEGATE, ABS -> first(!a.getFirst().type().isNumeric() ? op + " needs a numeric operand, not " + a.getFirst().type().sql() : null,
                    result(c, a.getFirst().type()));
            case EQ, NE, LT, LE, GT, GE, IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM -> first(sameType(c, a), result(c, DataType.BOOLEAN));
            case AND, OR -> first(all(c, a, DataType.BOOLEAN), result(c, DataType.BOOLEAN));
            case NOT, IS_TRUE, IS_FALSE -> first(all(c, a, DataType.BOOLEAN), result(c, DataType.BOOLEAN));
            case IS_NULL, IS_NOT_NULL -> first(result(c, DataType.BOOLEAN));
            case LIKE -> first(all(c, a, DataType.VARCHAR), result(c, DataType.BOOLEAN),
                    a.stream().skip(1).allMatch(CallTyping::isConstant) ? null : "LIKE pattern and escape must be literals");
            case SUBSTRING -> first(operand(c, 0, DataType.VARCHAR),
                    a.stream().skip(1).allMatch(x -> x.type() instanceof IntType) ? null : "SUBSTRING start and length must be integers",
                    result(c, DataType.VARCHAR));
            case UPPER, LOWER, TRIM -> first(all(c, a, DataType.VARCHAR), result(c, DataType.VARCHAR));
            case CONCAT -> first(all(c, a, DataType.VARCHAR), result(c, DataType.VARCHAR));
            case CHAR_LENGTH -> first(all(c, a, DataType.VARCHAR), wideInteger(c));
            case ADD_DAYS, ADD_MONTHS -> first(isDateOrTimestamp(a.get(0).type()) ? null : op + " needs a DATE or TIMESTAMP, not " + a.get(0).type().sql(),
                    a.get(1).type() instanceof IntType ? null : op + " needs an integer count, not " + a.get(1).type().sql(),
                    result(c, a.get(0).type()));
            case ADD_MICROS -> first(operand(c, 0, DataType.TIMESTAMP),
                    a.get(1).type() instanceof IntType ? null : "ADD_MICROS needs an integer count, not " + a.get(1).type().sql(),
                    result(c, DataType.TIMESTAMP));
            case HOP_START -> first(operand(c, 0, DataType.TIMESTAMP),
                    a.stream().skip(1).allMatch(x -> x.type() instanceof IntType) ? null : "HOP_START needs integer slide, size and window number",
                    result(c, DataType.TIMESTAMP));
            case TIME_BUCKET -> first(operand(c, 0, DataType.TIMESTAMP),
                    a.get(1).type() instanceof IntType ? null : "TIME_BUCKET needs an integer width in microseconds, not " + a.get(1).type().sql(),
                    result(c, DataType.TIMESTAMP));
            case DATE_DIFF_DAYS -> first(all(c, a, DataType.DATE), wideInteger(c));
            case EXTRACT_YEAR, EXTRACT_QUARTER, EXTRACT_MONTH, EXTRACT_DAY, EXTRACT_DOW, EXTRACT_DOY,
                 EXTRACT_HOUR, EXTRACT_MINUTE, EXTRACT_SECOND -> first(isDateOrTimestamp(a.getFirst().type()) ? null : op + " needs a DATE or TIMESTAMP, not " + a.getFirst().type().sql(),
                    result(c, DataType.BIGINT));
            case COALESCE -> first(all(c, a, t));
            case NULLIF -> first(all(c, a, t));
            case ROUND -> first(numericKeepingKind(c, false),
                    a.size() < 2 || a.get(1).type() instanceof IntType ? null : "ROUND digits must be an integer, not " + a.get(1).type().sql());
            case FLOOR, CEIL -> first(numericKeepingKind(c, true));
            case EXP, LN -> first(all(c, a, DataType.DOUBLE), result(c, DataType.DOUBLE));
            case DOT, COSINE_SIMILARITY -> first(dev.kiln.ir.expr.TypeRules.vectorProblem(op, a.get(0).type(), a.get(1).type()), result(c, DataType.DOUBLE));
        };
    }

    /**
     * Result type of arithmetic per the rules: same integer type (at least INTEGER) in and out;
     * DOUBLE in and out; DECIMAL operands with the DECIMAL result the rules derive (no DIVIDE).
     */
    static String arithmetic(Op op, DataType x, DataType y, DataType result) {
        String operands = op + " on " + x.sql() + " and " + y.sql();
        return switch (result) {
            case IntType r -> {
                if (!x.equals(r) || !y.equals(r)) yield operands + " giving " + r.sql() + ": both operands must be " + r.sql();
                yield r.bits() < 32 ? operands + ": integer arithmetic is done in INTEGER or BIGINT, not " + r.sql() : null;
            }
            case DataType.DoubleType r -> x.equals(r) && y.equals(r) ? null : operands + " giving DOUBLE: both operands must be DOUBLE";
            case DecimalType r -> {
                if (!(x instanceof DecimalType dx) || !(y instanceof DecimalType dy)) yield operands + " giving " + r.sql() + ": both operands must be DECIMAL";
                DecimalType expected = decimalResult(op, dx, dy);
                if (expected == null) yield operands + ": DECIMAL " + op + " is computed in DOUBLE";
                yield expected.equals(r) ? null : operands + " is " + expected.sql() + ", not " + r.sql();
            }
            default -> operands + " cannot give " + result.sql();
        };
    }

    /** The DECIMAL result of PLUS, MINUS, MOD and TIMES; null for DIVIDE (done in DOUBLE). */
    static DecimalType decimalResult(Op op, DecimalType x, DecimalType y) {
        int max = DecimalType.MAX_PRECISION;
        return switch (op) {
            case PLUS, MINUS, MOD -> {
                int s = Math.max(x.scale(), y.scale());
                int p = Math.min(max, Math.max(x.precision() - x.scale(), y.precision() - y.scale()) + s + 1);
                yield DataType.decimal(Math.max(p, s), s);
            }
            case TIMES -> {
                int s = Math.min(max, x.scale() + y.scale());
                yield DataType.decimal(Math.max(Math.min(max, x.precision() + y.precision()), s), s);
            }
            default -> null;
        };
    }

    /** SUM → BIGINT / DECIMAL(18,s) / DOUBLE, AVG → DOUBLE, MIN/MAX/SINGLE_VALUE/ANY_VALUE keep the type; null if undefined. */
    static DataType aggregateType(AggFunc f, DataType arg) {
        return switch (f) {
            case COUNT -> DataType.BIGINT;
            case SUM -> switch (arg) {
                case IntType i -> DataType.BIGINT;
                case DecimalType d -> DataType.decimal(DecimalType.MAX_PRECISION, d.scale());
                case DataType.DoubleType d -> DataType.DOUBLE;
                default -> null;
            };
            case AVG -> arg.isNumeric() ? DataType.DOUBLE : null;
            case MIN, MAX, SINGLE_VALUE, ANY_VALUE -> PlanValidator.isScalar(arg) ? arg : null;
        };
    }

    /** ROUND/FLOOR/CEIL: DOUBLE → DOUBLE, an integer → itself, DECIMAL → DECIMAL (scale 0 for FLOOR/CEIL). */
    private static String numericKeepingKind(Call c, boolean integral) {
        DataType in = c.args().getFirst().type();
        DataType out = c.type();
        String bad = c.op() + " of " + in.sql() + " cannot give " + out.sql();
        return switch (in) {
            case DataType.DoubleType d -> out.equals(in) ? null : bad;
            case IntType i -> out.equals(in) ? null : bad;
            case DecimalType d -> out instanceof DecimalType r && (!integral || r.scale() == 0) ? null : bad;
            default -> c.op() + " needs a numeric operand, not " + in.sql();
        };
    }

    private static String wideInteger(Call c) {
        return c.type().equals(DataType.INTEGER) || c.type().equals(DataType.BIGINT) ? null
                : c.op() + " gives INTEGER or BIGINT, not " + c.type().sql();
    }

    private static boolean isDateOrTimestamp(DataType t) {
        return t instanceof DataType.DateType || t instanceof DataType.TimestampType;
    }

    private static boolean isConstant(Expr e) {
        return e instanceof Literal || e instanceof NullLiteral;
    }

    private static String arity(Call c) {
        int[] range = switch (c.op()) {
            case PLUS, MINUS, TIMES, DIVIDE, MOD, EQ, NE, LT, LE, GT, GE, IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM,
                 ADD_DAYS, ADD_MONTHS, ADD_MICROS, TIME_BUCKET, DATE_DIFF_DAYS, NULLIF, DOT, COSINE_SIMILARITY -> new int[] {2, 2};
            case AND, OR, COALESCE -> new int[] {1, Integer.MAX_VALUE};
            case CONCAT -> new int[] {2, Integer.MAX_VALUE};
            case LIKE, SUBSTRING -> new int[] {2, 3};
            case ROUND -> new int[] {1, 2};
            case HOP_START -> new int[] {4, 4};
            default -> new int[] {1, 1};
        };
        int min = range[0];
        int max = range[1];
        int n = c.args().size();
        if (n >= min && n <= max) return null;
        String wanted = min == max ? String.valueOf(min) : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
        return c.op() + " takes " + wanted + " operands, not " + n;
    }

    private static String sameType(Call c, List<Expr> a) {
        if (!PlanValidator.isScalar(a.get(0).type())) return c.op() + " on " + a.get(0).type().sql();
        return a.get(0).type().equals(a.get(1).type()) ? null
                : c.op() + " on different types " + a.get(0).type().sql() + " and " + a.get(1).type().sql() + " (CAST one side to the common type)";
    }

    private static String all(Call c, List<Expr> a, DataType t) {
        for (Expr x : a) {
            if (!x.type().equals(t)) return c.op() + " needs " + t.sql() + " operands, not " + x.type().sql();
        }
        return null;
    }

    private static String operand(Call c, int i, DataType t) {
        return c.args().get(i).type().equals(t) ? null : c.op() + " operand " + (i + 1) + " must be " + t.sql() + ", not " + c.args().get(i).type().sql();
    }

    private static String result(Call c, DataType t) {
        return c.type().equals(t) ? null : c.op() + " gives " + t.sql() + ", not " + c.type().sql();
    }

    /** The first non-null problem (all are computed: only call it once the arity is known to be right). */
    private static String first(String... problems) {
        for (String p : problems) if (p != null) return p;
        return null;
    }
}
