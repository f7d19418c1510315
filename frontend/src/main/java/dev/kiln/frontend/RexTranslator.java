package dev.kiln.frontend;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimestampString;

/**
 * Translates Calcite row expressions into Kiln expressions over an input schema. Types are
 * re-derived with {@link TypeRules} rather than taken from Calcite, so every operator gets the
 * operand types the backends expect.
 */
final class RexTranslator {
    private final Schema input;
    private final RexBuilder rexBuilder;
    /** PREDICT calls already computed by an Infer below: the call's digest to its column */
    private final java.util.Map<String, Integer> inferred;

    RexTranslator(Schema input, RexBuilder rexBuilder) {
        this(input, rexBuilder, java.util.Map.of());
    }

    RexTranslator(Schema input, RexBuilder rexBuilder, java.util.Map<String, Integer> inferred) {
        this(input, java.util.Optional.empty(), rexBuilder, inferred);
    }

    /** Over an input whose Calcite fields sit in its columns as {@code slots} say (an input with STRUCT fields). */
    RexTranslator(Schema input, java.util.Optional<List<StructSlots.Value>> slots, RexBuilder rexBuilder, java.util.Map<String, Integer> inferred) {
        this.input = input;
        this.slots = slots;
        this.rexBuilder = rexBuilder;
        this.inferred = inferred;
    }

    /** Where the input's Calcite fields sit among its columns; empty when field i is column i. */
    private final java.util.Optional<List<StructSlots.Value>> slots;

    Expr translate(RexNode node) {
        return switch (node) {
            case RexInputRef r when slots.isEmpty() -> new ColumnRef(r.getIndex(), input.field(r.getIndex()).type(), input.field(r.getIndex()).nullable());
            case RexInputRef r -> StructSlots.scalar(value(r), "here");
            case org.apache.calcite.rex.RexFieldAccess f -> StructSlots.scalar(value(f), "here");
            case RexLiteral l -> literal(l);
            case RexCall c when c.getKind() == SqlKind.ROW -> StructSlots.scalar(value(c), "here");
            case RexCall c -> call(c);
            default -> throw new KilnException("expression " + node + " (" + node.getKind() + ") is not supported yet");
        };
    }

    /**
     * The value of an expression that may be a STRUCT: an input field that is one, a field of
     * one ({@code image.height}), or a {@code ROW(...)} that puts one together.
     */
    StructSlots.Value value(RexNode node) {
        return switch (node) {
            case RexInputRef r when slots.isPresent() -> slots.get().get(r.getIndex());
            case org.apache.calcite.rex.RexFieldAccess f -> switch (value(f.getReferenceExpr())) {
                case StructSlots.StructValue s -> s.fields().get(f.getField().getIndex());
                case StructSlots.One o -> throw new KilnException("field " + f.getField().getName() + " of " + f.getReferenceExpr() + ": that value is not a STRUCT");
            };
            case RexCall c when c.getKind() == SqlKind.ROW -> new StructSlots.StructValue(c.getType().getFieldNames(), c.getOperands().stream().map(this::value).toList());
            default -> new StructSlots.One(translate(node));
        };
    }

    List<Expr> translate(List<RexNode> nodes) {
        List<Expr> out = new ArrayList<>(nodes.size());
        for (RexNode n : nodes) out.add(translate(n));
        return out;
    }

    static Expr literal(RexLiteral l) {
        if (l.isNull()) return new NullLiteral(TypeMapping.fromCalcite(l.getType()));
        SqlTypeName t = l.getType().getSqlTypeName();
        return switch (t) {
            case BOOLEAN -> Literal.of(l.getValueAs(Boolean.class));
            case TINYINT, SMALLINT, INTEGER, BIGINT -> new Literal(l.getValueAs(BigDecimal.class).longValueExact(), TypeMapping.fromCalcite(l.getType()));
            case DECIMAL -> {
                BigDecimal v = l.getValueAs(BigDecimal.class);
                if (l.getType().getScale() == 0 && v.stripTrailingZeros().scale() <= 0) {
                    // integral: INTEGER if it fits, else BIGINT
                    if (v.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) yield new Literal(v.longValueExact(), DataType.INTEGER);
                    if (v.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) yield new Literal(v.longValueExact(), DataType.BIGINT);
                }
                BigDecimal scaled = v.setScale(Math.max(0, l.getType().getScale()), java.math.RoundingMode.UNNECESSARY);
                if (Math.max(scaled.precision(), scaled.scale()) > DataType.DecimalType.MAX_PRECISION) {
                    throw new KilnException("the number " + v.toPlainString() + " has more than " + DataType.DecimalType.MAX_PRECISION
                            + " digits, the most a Kiln DECIMAL holds: write it as a DOUBLE, e.g. " + v.doubleValue());
                }
                yield Literal.of(scaled);
            }
            case FLOAT, REAL, DOUBLE -> Literal.of(l.getValueAs(Double.class));
            case CHAR, VARCHAR -> Literal.of(l.getValueAs(String.class));
            case DATE -> Literal.of(LocalDate.parse(l.getValueAs(DateString.class).toString()));
            case TIMESTAMP -> new Literal(LocalDateTime.parse(l.getValueAs(TimestampString.class).toString().replace(' ', 'T')), DataType.TIMESTAMP);
            default -> throw new KilnException("literal " + l + " of type " + l.getType().getFullTypeString() + " is not supported here");
        };
    }

    private Expr call(RexCall c) {
        if (ModelCalls.isPredict(c.getOperator().getName())) {
            Integer col = inferred.get(c.toString());
            if (col == null) throw new KilnException(c.getOperator().getName() + " is supported in the SELECT list (and in views and sub-queries there); to filter on a prediction, select it in a sub-query");
            return new ColumnRef(col, input.field(col).type(), input.field(col).nullable());
        }
        List<RexNode> ops = c.getOperands();
        SqlKind kind = c.getKind();
        return switch (kind) {
            case AND -> TypeRules.and(translate(ops));
            case OR -> or(c);
            case NOT -> TypeRules.not(translate(ops.getFirst()));
            case EQUALS -> TypeRules.compare(Op.EQ, translate(ops.get(0)), translate(ops.get(1)));
            case NOT_EQUALS -> TypeRules.compare(Op.NE, translate(ops.get(0)), translate(ops.get(1)));
            case LESS_THAN -> TypeRules.compare(Op.LT, translate(ops.get(0)), translate(ops.get(1)));
            case LESS_THAN_OR_EQUAL -> TypeRules.compare(Op.LE, translate(ops.get(0)), translate(ops.get(1)));
            case GREATER_THAN -> TypeRules.compare(Op.GT, translate(ops.get(0)), translate(ops.get(1)));
            case GREATER_THAN_OR_EQUAL -> TypeRules.compare(Op.GE, translate(ops.get(0)), translate(ops.get(1)));
            case IS_DISTINCT_FROM -> TypeRules.compare(Op.IS_DISTINCT_FROM, translate(ops.get(0)), translate(ops.get(1)));
            case IS_NOT_DISTINCT_FROM -> TypeRules.compare(Op.IS_NOT_DISTINCT_FROM, translate(ops.get(0)), translate(ops.get(1)));
            case IS_NULL, IS_NOT_NULL -> switch (value(ops.getFirst())) {
                case StructSlots.StructValue s -> kind == SqlKind.IS_NULL ? StructSlots.isNull(s) : TypeRules.not(StructSlots.isNull(s));
                case StructSlots.One o -> TypeRules.isNull(o.expr(), kind == SqlKind.IS_NOT_NULL);
            };
            case IS_TRUE -> bool(Op.IS_TRUE, translate(ops.getFirst()));
            case IS_FALSE -> bool(Op.IS_FALSE, translate(ops.getFirst()));
            case IS_NOT_TRUE -> TypeRules.not(bool(Op.IS_TRUE, translate(ops.getFirst())));
            case IS_NOT_FALSE -> TypeRules.not(bool(Op.IS_FALSE, translate(ops.getFirst())));
            case PLUS, MINUS -> plusMinus(c);
            case TIMES -> TypeRules.arithmetic(Op.TIMES, translate(ops.get(0)), translate(ops.get(1)));
            case DIVIDE -> TypeRules.arithmetic(Op.DIVIDE, translate(ops.get(0)), translate(ops.get(1)));
            case MOD -> TypeRules.arithmetic(Op.MOD, translate(ops.get(0)), translate(ops.get(1)));
            case MINUS_PREFIX -> TypeRules.negate(translate(ops.getFirst()));
            case PLUS_PREFIX -> translate(ops.getFirst());
            case CAST, REINTERPRET -> TypeRules.castTo(translate(ops.getFirst()), TypeMapping.fromCalcite(c.getType()));
            case CASE -> caseWhen(ops);
            case LIKE -> like(c);
            case SEARCH -> translate(RexUtil.expandSearch(rexBuilder, null, c));
            case EXTRACT -> extract(c);
            case COALESCE -> TypeRules.coalesce(translate(ops));
            case NULLIF -> {
                Expr a = translate(ops.get(0));
                Expr b = TypeRules.castTo(translate(ops.get(1)), a.type());
                yield new Call(Op.NULLIF, List.of(a, b), a.type(), true);
            }
            case TRIM -> trim(c);
            case FLOOR, CEIL -> floorCeil(c);
            default -> function(c);
        };
    }

    private static Expr bool(Op op, Expr a) {
        return new Call(op, List.of(a), DataType.BOOLEAN, false);
    }

    /** OR; a disjunction of equalities between one expression and constants becomes an IN list. */
    private Expr or(RexCall c) {
        List<Expr> parts = translate(c.getOperands());
        Expr subject = null;
        List<Expr> values = new ArrayList<>();
        for (Expr p : parts) {
            if (p instanceof Call eq && eq.op() == Op.EQ && (eq.arg(1) instanceof Literal || eq.arg(1) instanceof NullLiteral)
                    && (subject == null || subject.equals(eq.arg(0)))) {
                subject = eq.arg(0);
                values.add(eq.arg(1));
            } else {
                return TypeRules.or(parts);
            }
        }
        return parts.size() > 1 ? TypeRules.inList(subject, values) : parts.getFirst();
    }

    private Expr plusMinus(RexCall c) {
        RexNode a = c.getOperands().get(0);
        RexNode b = c.getOperands().get(1);
        boolean minus = c.getKind() == SqlKind.MINUS;
        if (isInterval(b) && !isInterval(a)) return datePlus(translate(a), b, minus);
        if (isInterval(a) && !isInterval(b) && !minus) return datePlus(translate(b), a, false);
        Expr x = translate(a);
        Expr y = translate(b);
        if (x.type() instanceof DataType.DateType && y.type() instanceof DataType.DateType && minus) {
            return new Call(Op.DATE_DIFF_DAYS, List.of(x, y), DataType.INTEGER, x.nullable() || y.nullable());
        }
        return TypeRules.arithmetic(minus ? Op.MINUS : Op.PLUS, x, y);
    }

    private static boolean isInterval(RexNode n) {
        return SqlTypeFamily.INTERVAL_DAY_TIME.contains(n.getType()) || SqlTypeFamily.INTERVAL_YEAR_MONTH.contains(n.getType());
    }

    /** date ± INTERVAL: whole days → ADD_DAYS, months/years → ADD_MONTHS, other day-time on timestamps → ADD_MICROS. */
    private Expr datePlus(Expr date, RexNode interval, boolean minus) {
        if (!(interval instanceof RexLiteral lit)) throw new KilnException("only constant INTERVALs are supported in date arithmetic, not " + interval);
        BigDecimal v = lit.getValueAs(BigDecimal.class);
        if (minus) v = v.negate();
        boolean nullable = date.nullable();
        if (SqlTypeFamily.INTERVAL_YEAR_MONTH.contains(interval.getType())) {
            return new Call(Op.ADD_MONTHS, List.of(date, new Literal(v.longValueExact(), DataType.INTEGER)), date.type(), nullable);
        }
        BigDecimal[] days = v.divideAndRemainder(BigDecimal.valueOf(86_400_000L));
        if (days[1].signum() == 0 && !(date.type() instanceof DataType.TimestampType)) {
            return new Call(Op.ADD_DAYS, List.of(date, new Literal(days[0].longValueExact(), DataType.INTEGER)), date.type(), nullable);
        }
        Expr ts = TypeRules.castTo(date, DataType.TIMESTAMP);
        return new Call(Op.ADD_MICROS, List.of(ts, new Literal(v.longValueExact() * 1000, DataType.BIGINT)), DataType.TIMESTAMP, nullable);
    }

    private Expr caseWhen(List<RexNode> ops) {
        List<Case.When> branches = new ArrayList<>();
        for (int i = 0; i + 1 < ops.size(); i += 2) branches.add(new Case.When(translate(ops.get(i)), translate(ops.get(i + 1))));
        Expr otherwise = ops.size() % 2 == 1 ? translate(ops.getLast()) : new NullLiteral(branches.getFirst().result().type());
        return TypeRules.caseWhen(branches, otherwise);
    }

    private Expr like(RexCall c) {
        List<Expr> args = translate(c.getOperands());
        for (Expr a : args) {
            if (!(a.type() instanceof DataType.VarcharType)) throw new KilnException("LIKE needs VARCHAR operands, not " + a.type().sql());
        }
        boolean nullable = args.stream().anyMatch(Expr::nullable);
        Expr like = new Call(Op.LIKE, args, DataType.BOOLEAN, nullable);
        return c.getOperator().getName().toUpperCase(java.util.Locale.ROOT).startsWith("NOT") ? TypeRules.not(like) : like;
    }

    private Expr extract(RexCall c) {
        TimeUnitRange unit = ((RexLiteral) c.getOperands().get(0)).getValueAs(TimeUnitRange.class);
        Expr d = translate(c.getOperands().get(1));
        Op op = switch (unit) {
            case YEAR -> Op.EXTRACT_YEAR;
            case QUARTER -> Op.EXTRACT_QUARTER;
            case MONTH -> Op.EXTRACT_MONTH;
            case DAY -> Op.EXTRACT_DAY;
            case DOW -> Op.EXTRACT_DOW;
            case DOY -> Op.EXTRACT_DOY;
            case HOUR -> Op.EXTRACT_HOUR;
            case MINUTE -> Op.EXTRACT_MINUTE;
            case SECOND -> Op.EXTRACT_SECOND;
            default -> throw new KilnException("EXTRACT(" + unit + " FROM ...) is not supported yet");
        };
        if (!(d.type() instanceof DataType.DateType || d.type() instanceof DataType.TimestampType)) {
            throw new KilnException("EXTRACT needs a DATE or TIMESTAMP, not " + d.type().sql());
        }
        return new Call(op, List.of(d), DataType.BIGINT, d.nullable());
    }

    private Expr trim(RexCall c) {
        String flag = c.getOperands().get(0).toString();
        Expr chars = translate(c.getOperands().get(1));
        if (!flag.contains("BOTH") || !(chars instanceof Literal l) || !" ".equals(l.value())) {
            throw new KilnException("only TRIM(BOTH ' ' FROM s) is supported yet");
        }
        Expr s = translate(c.getOperands().get(2));
        return new Call(Op.TRIM, List.of(s), DataType.VARCHAR, s.nullable());
    }

    private Expr floorCeil(RexCall c) {
        if (c.getOperands().size() != 1) throw new KilnException(c.getKind() + " with a time unit is not supported yet");
        Expr a = translate(c.getOperands().getFirst());
        DataType t = a.type() instanceof DataType.DecimalType d ? DataType.decimal(d.precision(), 0) : a.type();
        return new Call(c.getKind() == SqlKind.FLOOR ? Op.FLOOR : Op.CEIL, List.of(a), t, a.nullable());
    }

    private Expr function(RexCall c) {
        String name = c.getOperator().getName().toUpperCase(java.util.Locale.ROOT);
        if (name.equals("$TUMBLE") || name.equals("TUMBLE")) return tumble(c);
        if (isHop(c)) return hop(c);
        if (isSession(c)) throw new KilnException("SESSION windows are supported in GROUP BY only, e.g. GROUP BY SESSION(ts, INTERVAL '30' SECOND), user_id");
        List<Expr> args = translate(c.getOperands());
        boolean nullable = args.stream().anyMatch(Expr::nullable);
        return switch (name) {
            case "SUBSTRING" -> {
                List<Expr> a = new ArrayList<>();
                a.add(requireText(args.get(0), name));
                for (int i = 1; i < args.size(); i++) a.add(TypeRules.castTo(args.get(i), DataType.BIGINT));
                yield new Call(Op.SUBSTRING, a, DataType.VARCHAR, nullable);
            }
            case "UPPER" -> new Call(Op.UPPER, List.of(requireText(args.getFirst(), name)), DataType.VARCHAR, nullable);
            case "LOWER" -> new Call(Op.LOWER, List.of(requireText(args.getFirst(), name)), DataType.VARCHAR, nullable);
            case "||", "CONCAT" -> {
                Expr acc = TypeRules.castTo(args.getFirst(), DataType.VARCHAR);
                for (int i = 1; i < args.size(); i++) {
                    Expr next = TypeRules.castTo(args.get(i), DataType.VARCHAR);
                    acc = new Call(Op.CONCAT, List.of(acc, next), DataType.VARCHAR, acc.nullable() || next.nullable());
                }
                yield acc;
            }
            case "CHAR_LENGTH", "CHARACTER_LENGTH", "LENGTH" -> new Call(Op.CHAR_LENGTH, List.of(requireText(args.getFirst(), name)), DataType.INTEGER, nullable);
            case "DOT" -> TypeRules.vectorFunction(Op.DOT, args.get(0), args.get(1));
            case "COSINE_SIMILARITY" -> TypeRules.vectorFunction(Op.COSINE_SIMILARITY, args.get(0), args.get(1));
            case "ABS" -> new Call(Op.ABS, List.of(args.getFirst()), args.getFirst().type(), nullable);
            case "EXP", "LN" -> new Call(name.equals("EXP") ? Op.EXP : Op.LN, List.of(TypeRules.castTo(args.getFirst(), DataType.DOUBLE)), DataType.DOUBLE, nullable);
            case "ROUND" -> {
                Expr x = args.getFirst();
                int digits = args.size() > 1 && args.get(1) instanceof Literal l ? ((Long) l.value()).intValue() : 0;
                DataType t = x.type() instanceof DataType.DecimalType d ? DataType.decimal(d.precision(), Math.max(0, Math.min(d.scale(), digits))) : x.type();
                List<Expr> a = args.size() > 1 ? List.of(x, TypeRules.castTo(args.get(1), DataType.INTEGER)) : List.of(x);
                yield new Call(Op.ROUND, a, t, nullable);
            }
            default -> throw new KilnException("function " + name + " is not supported yet");
        };
    }

    /** GROUP BY TUMBLE(ts, INTERVAL ...): the window's start, TIME_BUCKET(ts, width); TUMBLE_START/END refer to it. */
    private Expr tumble(RexCall c) {
        List<RexNode> ops = c.getOperands();
        if (ops.size() != 2) throw new KilnException("TUMBLE with an alignment time is not supported yet; use TUMBLE(time, INTERVAL ...)");
        if (!(ops.get(1) instanceof RexLiteral width) || !width.getType().getSqlTypeName().getFamily().equals(org.apache.calcite.sql.type.SqlTypeFamily.INTERVAL_DAY_TIME)) {
            throw new KilnException("TUMBLE needs a constant day-time INTERVAL as its width, e.g. TUMBLE(ts, INTERVAL '10' SECOND)");
        }
        long micros = Math.multiplyExact(width.getValueAs(BigDecimal.class).longValueExact(), 1000L);
        if (micros <= 0) throw new KilnException("a TUMBLE window's width must be positive, not " + width);
        return TypeRules.timeBucket(translate(ops.get(0)), new Literal(micros, DataType.BIGINT));
    }

    static boolean isSession(RexCall c) {
        String name = c.getOperator().getName().toUpperCase(java.util.Locale.ROOT);
        return name.equals("$SESSION") || name.equals("SESSION");
    }

    /** SESSION(ts, gap)'s gap in microseconds, checked. */
    static long sessionGap(RexCall c) {
        List<RexNode> ops = c.getOperands();
        if (ops.size() != 2 || !(ops.get(1) instanceof RexLiteral l) || !l.getType().getSqlTypeName().getFamily().equals(org.apache.calcite.sql.type.SqlTypeFamily.INTERVAL_DAY_TIME)) {
            throw new KilnException("SESSION needs a constant day-time INTERVAL as its gap, e.g. SESSION(ts, INTERVAL '30' SECOND)");
        }
        long gap = Math.multiplyExact(l.getValueAs(BigDecimal.class).longValueExact(), 1000L);
        if (gap <= 0) throw new KilnException("a SESSION window's gap must be positive, not " + l);
        return gap;
    }

    static boolean isHop(RexCall c) {
        String name = c.getOperator().getName().toUpperCase(java.util.Locale.ROOT);
        return name.equals("$HOP") || name.equals("HOP");
    }

    /** HOP(ts, slide, size)'s slide and size in microseconds, checked. */
    static long[] hopWidths(RexCall c) {
        List<RexNode> ops = c.getOperands();
        if (ops.size() != 3) throw new KilnException("HOP with an alignment time is not supported yet; use HOP(time, INTERVAL slide, INTERVAL size)");
        long[] w = new long[2];
        for (int i = 0; i < 2; i++) {
            if (!(ops.get(i + 1) instanceof RexLiteral l) || !l.getType().getSqlTypeName().getFamily().equals(org.apache.calcite.sql.type.SqlTypeFamily.INTERVAL_DAY_TIME)) {
                throw new KilnException("HOP needs constant day-time INTERVALs as its slide and size, e.g. HOP(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND)");
            }
            w[i] = Math.multiplyExact(l.getValueAs(BigDecimal.class).longValueExact(), 1000L);
        }
        if (w[0] <= 0 || w[1] <= 0) throw new KilnException("a HOP window's slide and size must be positive");
        if (w[1] % w[0] != 0) throw new KilnException("a HOP window's size must be a multiple of its slide (size " + w[1] / 1000 + " ms, slide " + w[0] / 1000 + " ms)");
        return w;
    }

    /** The window start of row (ts, $hop): the input's last column is the window number that the rows were crossed with. */
    private Expr hop(RexCall c) {
        long[] w = hopWidths(c);
        Expr ts = translate(c.getOperands().getFirst());
        if (!(ts.type() instanceof DataType.TimestampType)) throw new KilnException("HOP needs a TIMESTAMP, not " + ts.type().sql());
        int j = input.size() - 1;
        if (!input.field(j).name().equals("$hop")) throw new KilnException("HOP is supported in GROUP BY only");
        return new Call(Op.HOP_START, List.of(ts, new Literal(w[0], DataType.BIGINT), new Literal(w[1], DataType.BIGINT), new ColumnRef(j, DataType.BIGINT, false)),
                DataType.TIMESTAMP, ts.nullable());
    }

    private static Expr requireText(Expr e, String fn) {
        if (!(e.type() instanceof DataType.VarcharType)) throw new KilnException(fn + " needs a VARCHAR argument, not " + e.type().sql());
        return e;
    }
}
