package dev.kiln.ir.expr;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.type.DataType;
import java.util.List;
import java.util.Optional;

/**
 * Builds typed expressions following the rules in this package's documentation: finds common
 * types, inserts the casts operands need and derives result types, so that every backend sees
 * operators applied to exactly one combination of operand types.
 */
public final class TypeRules {
    private TypeRules() {}

    /** DECIMAL view of an integer type: digits that any value of it can need. */
    static DataType.DecimalType asDecimal(DataType t) {
        return switch (t) {
            case DataType.DecimalType d -> d;
            case DataType.IntType i -> DataType.decimal(switch (i.bits()) {
                case 8 -> 3;
                case 16 -> 5;
                case 32 -> 10;
                default -> 18;
            }, 0);
            default -> throw new IllegalArgumentException(t.sql() + " is not exact numeric");
        };
    }

    public static DataType commonType(DataType a, DataType b) {
        if (a.equals(b)) return a;
        if (a.isNumeric() && b.isNumeric()) {
            if (a instanceof DataType.DoubleType || b instanceof DataType.DoubleType) return DataType.DOUBLE;
            if (a instanceof DataType.IntType x && b instanceof DataType.IntType y) return x.bits() >= y.bits() ? x : y;
            DataType.DecimalType x = asDecimal(a);
            DataType.DecimalType y = asDecimal(b);
            int s = Math.max(x.scale(), y.scale());
            int p = Math.min(DataType.DecimalType.MAX_PRECISION, Math.max(x.precision() - x.scale(), y.precision() - y.scale()) + s);
            return DataType.decimal(Math.max(p, s == 0 ? 1 : s), s);
        }
        if ((a instanceof DataType.DateType && b instanceof DataType.TimestampType) || (b instanceof DataType.DateType && a instanceof DataType.TimestampType)) {
            return DataType.TIMESTAMP;
        }
        throw new KilnException("cannot combine " + a.sql() + " with " + b.sql() + ": CAST one side to the other's type, e.g. CAST(x AS " + castHint(a, b).sql() + ")");
    }

    /** The type to suggest casting to: text is usually the side that should be parsed. */
    private static DataType castHint(DataType a, DataType b) {
        return a instanceof DataType.VarcharType ? b : a;
    }

    public static Expr castTo(Expr e, DataType t) {
        if (e.type().equals(t)) return e;
        if (e instanceof NullLiteral) return new NullLiteral(t);
        return new Cast(e, t);
    }

    public static Expr compare(Op op, Expr a, Expr b) {
        if (!op.isComparison() && op != Op.IS_DISTINCT_FROM && op != Op.IS_NOT_DISTINCT_FROM) {
            throw new IllegalArgumentException("operator " + op.symbol() + " is not a comparison");
        }
        DataType t;
        try {
            t = commonType(a.type(), b.type());
        } catch (KilnException e) {
            throw new KilnException("cannot compare " + a.type().sql() + " with " + b.type().sql() + " using " + op.symbol()
                    + ": CAST one side, e.g. CAST(x AS " + castHint(a.type(), b.type()).sql() + ")");
        }
        boolean nullable = op == Op.IS_DISTINCT_FROM || op == Op.IS_NOT_DISTINCT_FROM ? false : a.nullable() || b.nullable();
        return new Call(op, List.of(castTo(a, t), castTo(b, t)), DataType.BOOLEAN, nullable);
    }

    public static Expr arithmetic(Op op, Expr a, Expr b) {
        if (op != Op.PLUS && op != Op.MINUS && op != Op.TIMES && op != Op.DIVIDE && op != Op.MOD) {
            throw new IllegalArgumentException("operator " + op.symbol() + " is not arithmetic");
        }
        DataType ta = a.type();
        DataType tb = b.type();
        if (!ta.isNumeric() || !tb.isNumeric()) {
            throw new KilnException("cannot apply " + op.symbol() + " to " + ta.sql() + " and " + tb.sql() + ": both operands must be numeric");
        }
        boolean nullable = a.nullable() || b.nullable();
        if (ta instanceof DataType.DoubleType || tb instanceof DataType.DoubleType
                || (op == Op.DIVIDE && (ta instanceof DataType.DecimalType || tb instanceof DataType.DecimalType))) {
            return new Call(op, List.of(castTo(a, DataType.DOUBLE), castTo(b, DataType.DOUBLE)), DataType.DOUBLE, nullable);
        }
        if (ta instanceof DataType.IntType x && tb instanceof DataType.IntType y) {
            DataType.IntType t = x.bits() >= y.bits() ? x : y;
            if (t.bits() < 32) t = DataType.INTEGER;
            return new Call(op, List.of(castTo(a, t), castTo(b, t)), t, nullable);
        }
        DataType.DecimalType x = asDecimal(ta);
        DataType.DecimalType y = asDecimal(tb);
        Expr ca = castTo(a, x);
        Expr cb = castTo(b, y);
        int max = DataType.DecimalType.MAX_PRECISION;
        DataType.DecimalType r = switch (op) {
            case PLUS, MINUS, MOD -> {
                int s = Math.max(x.scale(), y.scale());
                int p = Math.min(max, Math.max(x.precision() - x.scale(), y.precision() - y.scale()) + s + 1);
                yield DataType.decimal(Math.max(p, s), s);
            }
            case TIMES -> {
                int s = Math.min(max, x.scale() + y.scale());
                yield DataType.decimal(Math.max(Math.min(max, x.precision() + y.precision()), s), s);
            }
            default -> throw new KilnException("operator " + op.symbol() + " is not arithmetic");
        };
        return new Call(op, List.of(ca, cb), r, nullable);
    }

    public static Expr negate(Expr a) {
        if (!a.type().isNumeric()) throw new KilnException("cannot negate a " + a.type().sql());
        return new Call(Op.NEGATE, List.of(a), a.type(), a.nullable());
    }

    public static Expr and(List<Expr> parts) {
        requireBoolean(parts, "AND");
        return new Call(Op.AND, parts, DataType.BOOLEAN, parts.stream().anyMatch(Expr::nullable));
    }

    public static Expr or(List<Expr> parts) {
        requireBoolean(parts, "OR");
        return new Call(Op.OR, parts, DataType.BOOLEAN, parts.stream().anyMatch(Expr::nullable));
    }

    public static Expr not(Expr a) {
        requireBoolean(List.of(a), "NOT");
        return new Call(Op.NOT, List.of(a), DataType.BOOLEAN, a.nullable());
    }

    public static Expr isNull(Expr a, boolean negated) {
        return new Call(negated ? Op.IS_NOT_NULL : Op.IS_NULL, List.of(a), DataType.BOOLEAN, false);
    }

    private static void requireBoolean(List<Expr> parts, String op) {
        for (Expr p : parts) {
            if (!(p.type() instanceof DataType.BooleanType)) throw new KilnException(op + " needs BOOLEAN operands, not " + p.type().sql());
        }
    }

    /** Searched CASE; all results cast to their common type. */
    public static Expr caseWhen(List<Case.When> branches, Expr otherwise) {
        DataType t = otherwise instanceof NullLiteral ? null : otherwise.type();
        for (Case.When w : branches) {
            if (w.result() instanceof NullLiteral) continue;
            t = t == null ? w.result().type() : commonType(t, w.result().type());
        }
        if (t == null) t = otherwise.type();
        DataType type = t;
        boolean nullable = otherwise.nullable() || branches.stream().anyMatch(w -> w.result().nullable());
        List<Case.When> cast = branches.stream().map(w -> new Case.When(w.condition(), castTo(w.result(), type))).toList();
        return new Case(cast, castTo(otherwise, type), type, nullable);
    }

    public static Expr inList(Expr value, List<Expr> list) {
        DataType t = value.type();
        for (Expr e : list) t = commonType(t, e.type());
        DataType type = t;
        boolean nullable = value.nullable() || list.stream().anyMatch(Expr::nullable);
        return new InList(castTo(value, type), list.stream().map(e -> castTo(e, type)).toList(), nullable);
    }

    public static Expr coalesce(List<Expr> args) {
        DataType t = null;
        for (Expr e : args) if (!(e instanceof NullLiteral)) t = t == null ? e.type() : commonType(t, e.type());
        if (t == null) t = args.getFirst().type();
        DataType type = t;
        boolean nullable = args.stream().allMatch(Expr::nullable);
        return new Call(Op.COALESCE, args.stream().map(e -> castTo(e, type)).toList(), type, nullable);
    }

    /** Result type of an aggregate over an argument of type {@code arg} (empty for COUNT(*)). */
    public static DataType aggregateType(AggFunc f, Optional<DataType> arg) {
        return switch (f) {
            case COUNT -> DataType.BIGINT;
            case SUM -> switch (arg.orElseThrow()) {
                case DataType.IntType i -> DataType.BIGINT;
                case DataType.DecimalType d -> DataType.decimal(DataType.DecimalType.MAX_PRECISION, d.scale());
                case DataType.DoubleType d -> DataType.DOUBLE;
                default -> throw new KilnException("SUM needs a numeric argument, not " + arg.get().sql());
            };
            case AVG -> {
                if (!arg.orElseThrow().isNumeric()) throw new KilnException("AVG needs a numeric argument, not " + arg.get().sql());
                yield DataType.DOUBLE;
            }
            case MIN, MAX, SINGLE_VALUE, ANY_VALUE -> arg.orElseThrow();
        };
    }


    /** SUBSTRING(s, start [, length]) with start counting from 1. */
    public static Expr substring(List<Expr> args) {
        List<Expr> a = new java.util.ArrayList<>();
        a.add(requireText(args.get(0), "SUBSTRING"));
        for (int i = 1; i < args.size(); i++) {
            if (!(args.get(i).type() instanceof DataType.IntType)) throw new KilnException("SUBSTRING start and length must be integers, not " + args.get(i).type().sql());
            a.add(castTo(args.get(i), DataType.BIGINT));
        }
        return new Call(Op.SUBSTRING, a, DataType.VARCHAR, args.stream().anyMatch(Expr::nullable));
    }

    /** A string function of one VARCHAR argument: UPPER, LOWER, TRIM (spaces) or CHAR_LENGTH (INTEGER). */
    public static Expr text(Op op, Expr s) {
        requireText(s, op.symbol().toUpperCase(java.util.Locale.ROOT));
        return switch (op) {
            case UPPER, LOWER, TRIM -> new Call(op, List.of(s), DataType.VARCHAR, s.nullable());
            case CHAR_LENGTH -> new Call(op, List.of(s), DataType.INTEGER, s.nullable());
            default -> throw new IllegalArgumentException(op + " is not a one-argument string function");
        };
    }

    /** a || b, non-text operands cast to VARCHAR. */
    public static Expr concat(Expr a, Expr b) {
        Expr x = castTo(a, DataType.VARCHAR);
        Expr y = castTo(b, DataType.VARCHAR);
        return new Call(Op.CONCAT, List.of(x, y), DataType.VARCHAR, x.nullable() || y.nullable());
    }

    /** s LIKE pattern [ESCAPE e]; the pattern and escape must be literals. */
    public static Expr like(List<Expr> args) {
        for (Expr a : args) {
            if (!(a.type() instanceof DataType.VarcharType)) throw new KilnException("LIKE needs VARCHAR operands, not " + a.type().sql());
        }
        for (int i = 1; i < args.size(); i++) {
            if (!(args.get(i) instanceof Literal)) throw new KilnException("the LIKE pattern and escape must be literals");
        }
        return new Call(Op.LIKE, args, DataType.BOOLEAN, args.stream().anyMatch(Expr::nullable));
    }

    public static Expr abs(Expr a) {
        if (!a.type().isNumeric()) throw new KilnException("ABS needs a numeric argument, not " + a.type().sql());
        return new Call(Op.ABS, List.of(a), a.type(), a.nullable());
    }

    /** ROUND(x [, digits]): a DECIMAL keeps its precision with at most {@code digits} of scale. */
    public static Expr round(Expr x, Optional<Expr> digits) {
        if (!x.type().isNumeric()) throw new KilnException("ROUND needs a numeric argument, not " + x.type().sql());
        int d = digits.isPresent() && digits.get() instanceof Literal l && l.value() instanceof Long v ? v.intValue() : 0;
        if (digits.isPresent() && !(digits.get().type() instanceof DataType.IntType)) throw new KilnException("ROUND digits must be an integer, not " + digits.get().type().sql());
        DataType t = x.type() instanceof DataType.DecimalType dt ? DataType.decimal(dt.precision(), Math.max(0, Math.min(dt.scale(), d))) : x.type();
        List<Expr> a = digits.isPresent() ? List.of(x, castTo(digits.get(), DataType.INTEGER)) : List.of(x);
        return new Call(Op.ROUND, a, t, x.nullable() || digits.map(Expr::nullable).orElse(false));
    }

    /** DOT or COSINE_SIMILARITY of two vectors (see {@link #vectorProblem}), a DOUBLE. */
    public static Call vectorFunction(Op op, Expr a, Expr b) {
        String p = vectorProblem(op, a.type(), b.type());
        if (p != null) throw new KilnException(p);
        return new Call(op, List.of(a, b), DataType.DOUBLE, a.nullable() || b.nullable());
    }

    /**
     * Why two operand types cannot be the vectors of DOT or COSINE_SIMILARITY, or null: both must
     * be TENSOR columns of a floating-point element type and rank 1, of the same length where both
     * lengths are fixed (rows of other lengths fail when they are met).
     */
    public static String vectorProblem(Op op, DataType a, DataType b) {
        for (DataType t : List.of(a, b)) {
            if (!(t instanceof DataType.TensorType tt) || !tt.tensor().element().isFloating() || tt.tensor().rank() != 1) {
                return op.symbol() + " takes two vectors (floating-point tensors of rank 1, such as embeddings), not " + t.sql();
            }
        }
        var da = ((DataType.TensorType) a).tensor().shape().dim(0);
        var db = ((DataType.TensorType) b).tensor().shape().dim(0);
        if (da instanceof dev.kiln.ir.tensor.Dim.Fixed x && db instanceof dev.kiln.ir.tensor.Dim.Fixed y && x.size() != y.size()) {
            return op.symbol() + " of vectors of different lengths, " + x.size() + " and " + y.size();
        }
        return null;
    }

    /** FLOOR or CEIL: a DECIMAL keeps its precision with scale 0. */
    public static Expr floorCeil(Op op, Expr a) {
        if (!a.type().isNumeric()) throw new KilnException(op.symbol().toUpperCase(java.util.Locale.ROOT) + " needs a numeric argument, not " + a.type().sql());
        DataType t = a.type() instanceof DataType.DecimalType d ? DataType.decimal(d.precision(), 0) : a.type();
        return new Call(op, List.of(a), t, a.nullable());
    }

    /** EXTRACT_YEAR ... EXTRACT_SECOND of a DATE or TIMESTAMP, as BIGINT. */
    public static Expr extract(Op op, Expr d) {
        if (!(d.type() instanceof DataType.DateType || d.type() instanceof DataType.TimestampType)) {
            throw new KilnException("EXTRACT needs a DATE or TIMESTAMP, not " + d.type().sql());
        }
        return new Call(op, List.of(d), DataType.BIGINT, d.nullable());
    }

    /** ADD_DAYS (DATE) or ADD_MONTHS (DATE or TIMESTAMP) of an integer count. */
    public static Expr addToDate(Op op, Expr date, Expr count) {
        if (!(date.type() instanceof DataType.DateType || (op == Op.ADD_MONTHS && date.type() instanceof DataType.TimestampType))) {
            throw new KilnException(op.symbol() + " needs a DATE" + (op == Op.ADD_MONTHS ? " or TIMESTAMP" : "") + ", not " + date.type().sql());
        }
        if (!(count.type() instanceof DataType.IntType)) throw new KilnException(op.symbol() + " needs an integer count, not " + count.type().sql());
        return new Call(op, List.of(date, castTo(count, DataType.INTEGER)), date.type(), date.nullable() || count.nullable());
    }

    /** The start of the tumbling window of {@code width} microseconds that holds a TIMESTAMP. */
    public static Expr timeBucket(Expr ts, Expr width) {
        if (!(ts.type() instanceof DataType.TimestampType)) throw new KilnException("a time window needs a TIMESTAMP, not " + ts.type().sql());
        if (!(width.type() instanceof DataType.IntType)) throw new KilnException("a time window's width must be an integer of microseconds, not " + width.type().sql());
        return new Call(Op.TIME_BUCKET, List.of(ts, castTo(width, DataType.BIGINT)), DataType.TIMESTAMP, ts.nullable() || width.nullable());
    }

    /** Days from {@code y} to {@code x}, both DATEs. */
    public static Expr dateDiffDays(Expr x, Expr y) {
        if (!(x.type() instanceof DataType.DateType) || !(y.type() instanceof DataType.DateType)) {
            throw new KilnException("a difference in days needs two DATEs, not " + x.type().sql() + " and " + y.type().sql());
        }
        return new Call(Op.DATE_DIFF_DAYS, List.of(x, y), DataType.INTEGER, x.nullable() || y.nullable());
    }

    /** NULLIF(a, b): b cast to a's type. */
    public static Expr nullIf(Expr a, Expr b) {
        commonType(a.type(), b.type());
        return new Call(Op.NULLIF, List.of(a, castTo(b, a.type())), a.type(), true);
    }

    private static Expr requireText(Expr e, String fn) {
        if (!(e.type() instanceof DataType.VarcharType)) throw new KilnException(fn + " needs a VARCHAR argument, not " + e.type().sql());
        return e;
    }
}
