package dev.kiln.ir.eval;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.InList;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.Temporal;
import java.util.List;

/**
 * Reference semantics of IR expressions, one row at a time on boxed values as {@link Literal}
 * holds them (Boolean; Long for every integer width; BigDecimal at exactly its type's scale;
 * Double; LocalDate; LocalDateTime; String), Java null being SQL NULL. Deliberately plain: it is
 * the oracle generated code is tested against, never an execution path.
 *
 * <p>Evaluation order, which decides which error a row raises: operands left to right; AND stops
 * at the first FALSE, OR at the first TRUE, COALESCE at the first non-NULL, CASE at the first TRUE
 * condition, IN at the first equal element; every other operator evaluates all its operands and is
 * NULL if any is NULL (strict), without evaluating its own body then (so 1/NULL is NULL, not an error).
 * The expression must be well typed ({@link dev.kiln.ir.rel.PlanValidator}).
 */
public final class ExprEvaluator {
    private ExprEvaluator() {}

    public static Object eval(Expr e, Object[] row) {
        return switch (e) {
            case ColumnRef r -> row[r.index()];
            case Literal l -> l.value();
            case NullLiteral n -> null;
            case Cast c -> Casts.cast(eval(c.input(), row), c.input().type(), c.type());
            case Case c -> caseWhen(c, row);
            case InList in -> inList(in, row);
            case Call c -> call(c, row);
        };
    }

    /** Whether a predicate is TRUE (not FALSE, not NULL) on the row: what Filter and Join keep. */
    public static boolean isTrue(Expr e, Object[] row) {
        return Boolean.TRUE.equals(eval(e, row));
    }

    private static Object caseWhen(Case c, Object[] row) {
        for (Case.When w : c.branches()) {
            if (isTrue(w.condition(), row)) return eval(w.result(), row);
        }
        return eval(c.otherwise(), row);
    }

    /** TRUE if some element equals the value; else NULL if the value or any element is NULL; else FALSE. */
    private static Boolean inList(InList in, Object[] row) {
        Object v = eval(in.value(), row);
        boolean sawNull = v == null;
        for (Expr item : in.list()) {
            Object x = eval(item, row);
            if (x == null) sawNull = true;
            else if (v != null && Comparisons.compare(v, x) == 0) return true;
        }
        return sawNull ? null : false;
    }

    private static Object call(Call c, Object[] row) {
        List<Expr> args = c.args();
        switch (c.op()) {
            case AND -> {
                Boolean acc = true;
                for (Expr a : args) {
                    acc = Logic.and(acc, (Boolean) eval(a, row));
                    if (Boolean.FALSE.equals(acc)) return false;
                }
                return acc;
            }
            case OR -> {
                Boolean acc = false;
                for (Expr a : args) {
                    acc = Logic.or(acc, (Boolean) eval(a, row));
                    if (Boolean.TRUE.equals(acc)) return true;
                }
                return acc;
            }
            case COALESCE -> {
                for (Expr a : args) {
                    Object v = eval(a, row);
                    if (v != null) return v;
                }
                return null;
            }
            default -> { }
        }
        Object[] v = new Object[args.size()];
        for (int i = 0; i < v.length; i++) v[i] = eval(args.get(i), row);
        switch (c.op()) {
            case IS_NULL -> { return v[0] == null; }
            case IS_NOT_NULL -> { return v[0] != null; }
            case IS_TRUE -> { return Boolean.TRUE.equals(v[0]); }
            case IS_FALSE -> { return Boolean.FALSE.equals(v[0]); }
            case IS_DISTINCT_FROM -> { return Comparisons.isDistinctFrom(v[0], v[1]); }
            case IS_NOT_DISTINCT_FROM -> { return !Comparisons.isDistinctFrom(v[0], v[1]); }
            case NULLIF -> { return v[0] != null && v[1] != null && Comparisons.compare(v[0], v[1]) == 0 ? null : v[0]; }
            default -> { }
        }
        for (Object x : v) {
            if (x == null) return null;
        }
        return strict(c, v);
    }

    /** Operators that are NULL when any operand is; here every operand is non-null. */
    private static Object strict(Call c, Object[] v) {
        Object a = v[0];
        Object b = v.length > 1 ? v[1] : null;
        Op op = c.op();
        return switch (op) {
            case EQ -> Comparisons.compare(a, b) == 0;
            case NE -> Comparisons.compare(a, b) != 0;
            case LT -> Comparisons.compare(a, b) < 0;
            case LE -> Comparisons.compare(a, b) <= 0;
            case GT -> Comparisons.compare(a, b) > 0;
            case GE -> Comparisons.compare(a, b) >= 0;
            case NOT -> !(Boolean) a;
            case PLUS, MINUS, TIMES, DIVIDE, MOD -> binaryArithmetic(op, c.type(), a, b);
            case NEGATE, ABS -> unaryArithmetic(op, c.type(), a);
            case LIKE -> StringFunctions.like((String) a, (String) b, v.length > 2 ? (String) v[2] : null);
            case SUBSTRING -> StringFunctions.substring((String) a, (Long) b, v.length > 2 ? (Long) v[2] : null);
            case UPPER -> StringFunctions.upper((String) a);
            case LOWER -> StringFunctions.lower((String) a);
            case TRIM -> StringFunctions.trim((String) a);
            case CONCAT -> {
                StringBuilder sb = new StringBuilder();
                for (Object x : v) sb.append((String) x);
                yield sb.toString();
            }
            case CHAR_LENGTH -> inIntType(c.type(), StringFunctions.charLength((String) a), "char_length");
            case ADD_DAYS -> DateFunctions.addDays((Temporal) a, (Long) b);
            case ADD_MONTHS -> DateFunctions.addMonths((Temporal) a, (Long) b);
            case ADD_MICROS -> DateFunctions.addMicros((LocalDateTime) a, (Long) b);
            case TIME_BUCKET -> DateFunctions.timeBucket((LocalDateTime) a, (Long) b);
            case HOP_START -> DateFunctions.addMicros(DateFunctions.timeBucket((LocalDateTime) a, (Long) b), -Math.multiplyExact((Long) v[3], (Long) b));
            case DATE_DIFF_DAYS -> inIntType(c.type(), DateFunctions.dateDiffDays((LocalDate) a, (LocalDate) b), a + " - " + b);
            case EXTRACT_YEAR, EXTRACT_QUARTER, EXTRACT_MONTH, EXTRACT_DAY, EXTRACT_DOW, EXTRACT_DOY,
                 EXTRACT_HOUR, EXTRACT_MINUTE, EXTRACT_SECOND -> DateFunctions.extract(op, (Temporal) a);
            case ROUND -> {
                long digits = v.length > 1 ? (Long) b : 0;
                yield switch (a) {
                    case BigDecimal d -> NumericFunctions.round(d, digits, (DataType.DecimalType) c.type());
                    case Double d -> NumericFunctions.round(d, digits);
                    default -> NumericFunctions.round((Long) a, digits, (DataType.IntType) c.type());
                };
            }
            case FLOOR -> switch (a) {
                case BigDecimal d -> NumericFunctions.floor(d, (DataType.DecimalType) c.type());
                case Double d -> Math.floor(d);
                default -> a;
            };
            case CEIL -> switch (a) {
                case BigDecimal d -> NumericFunctions.ceil(d, (DataType.DecimalType) c.type());
                case Double d -> Math.ceil(d);
                default -> a;
            };
            case EXP -> Math.exp((Double) a);
            case LN -> NumericFunctions.ln((Double) a);
            case DOT -> VectorFunctions.dot((dev.kiln.ir.tensor.Tensor) a, (dev.kiln.ir.tensor.Tensor) b);
            case COSINE_SIMILARITY -> VectorFunctions.cosine((dev.kiln.ir.tensor.Tensor) a, (dev.kiln.ir.tensor.Tensor) b);
            case AND, OR, COALESCE, IS_NULL, IS_NOT_NULL, IS_TRUE, IS_FALSE, IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM, NULLIF ->
                    throw new IllegalStateException(op + " is not strict and is evaluated before");
        };
    }

    static Object binaryArithmetic(Op op, DataType type, Object a, Object b) {
        return switch (type) {
            case DataType.IntType t -> {
                long x = (Long) a;
                long y = (Long) b;
                yield switch (op) {
                    case PLUS -> IntegerArithmetic.add(t, x, y);
                    case MINUS -> IntegerArithmetic.subtract(t, x, y);
                    case TIMES -> IntegerArithmetic.multiply(t, x, y);
                    case DIVIDE -> IntegerArithmetic.divide(t, x, y);
                    default -> IntegerArithmetic.mod(t, x, y);
                };
            }
            case DataType.DecimalType t -> {
                BigDecimal x = (BigDecimal) a;
                BigDecimal y = (BigDecimal) b;
                yield switch (op) {
                    case PLUS -> DecimalArithmetic.add(t, x, y);
                    case MINUS -> DecimalArithmetic.subtract(t, x, y);
                    case TIMES -> DecimalArithmetic.multiply(t, x, y);
                    case MOD -> DecimalArithmetic.mod(t, x, y);
                    default -> throw new IllegalArgumentException("DECIMAL " + op.symbol() + " is computed in DOUBLE (ir/expr/package-info)");
                };
            }
            case DataType.DoubleType t -> {
                double x = (Double) a;
                double y = (Double) b;
                yield switch (op) {
                    case PLUS -> DoubleArithmetic.add(x, y);
                    case MINUS -> DoubleArithmetic.subtract(x, y);
                    case TIMES -> DoubleArithmetic.multiply(x, y);
                    case DIVIDE -> DoubleArithmetic.divide(x, y);
                    default -> DoubleArithmetic.mod(x, y);
                };
            }
            default -> throw new IllegalArgumentException("no arithmetic on " + type.sql());
        };
    }

    static Object unaryArithmetic(Op op, DataType type, Object a) {
        boolean negate = op == Op.NEGATE;
        return switch (type) {
            case DataType.IntType t -> negate ? IntegerArithmetic.negate(t, (Long) a) : IntegerArithmetic.abs(t, (Long) a);
            case DataType.DecimalType t -> negate ? DecimalArithmetic.negate(t, (BigDecimal) a) : DecimalArithmetic.abs(t, (BigDecimal) a);
            case DataType.DoubleType t -> negate ? -(Double) a : Math.abs((Double) a);
            default -> throw new IllegalArgumentException("no arithmetic on " + type.sql());
        };
    }

    private static long inIntType(DataType type, long v, String operation) {
        return type instanceof DataType.IntType t ? IntegerArithmetic.check(t, v, operation) : v;
    }
}
