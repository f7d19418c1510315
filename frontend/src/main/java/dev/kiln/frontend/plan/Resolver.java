package dev.kiln.frontend.plan;

import dev.kiln.frontend.plan.Column.Apply;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves plan-API columns against one input for one operation: looks names up (case-insensitive,
 * optionally qualified), builds typed IR expressions with {@link TypeRules} (the rules SQL uses),
 * and, for an uncorrelated scalar subquery, cross-joins the input with the subquery's single row,
 * so {@link #input()} may be wider after resolving than before. Errors name the operation, the
 * column and the columns there are.
 */
final class Resolver {
    /** A parameter is a cast of this marker text; binding replaces the whole cast with the value. */
    static final String PARAM_MARKER = "\u0000kiln.param:";

    private final String operation;
    private Rel input;
    private List<String> qualifiers;

    Resolver(String operation, Rel input, List<String> qualifiers) {
        this.operation = operation;
        this.input = input;
        this.qualifiers = qualifiers;
    }

    /** The input, with the columns of any scalar subquery appended. */
    Rel input() {
        return input;
    }

    List<String> qualifiers() {
        return qualifiers;
    }

    /** A scalar expression; aggregates are refused here. */
    Expr resolve(Column c) {
        return build(c, this::resolve);
    }

    /** A BOOLEAN condition. */
    Expr condition(Column c) {
        Expr e = resolve(c);
        if (!(e.type() instanceof DataType.BooleanType)) throw error("the condition " + c + " is " + e.type().sql() + ", not BOOLEAN");
        return e;
    }

    KilnException error(String message) {
        return new KilnException(operation + ": " + message);
    }

    /**
     * Builds {@code c} with {@code child} resolving its operands (the aggregate lowering passes its
     * own, which maps grouped sub-expressions and aggregates to the aggregate's output).
     */
    Expr build(Column c, Function<Column, Expr> child) {
        return switch (c) {
            case Column.Named n -> column(n);
            case Column.Lit l -> literal(l);
            case Column.Param p -> TypeRules.castTo(Literal.of(PARAM_MARKER + p.name()), p.type());
            case Column.Alias a -> child.apply(a.input());
            case Column.CastTo t -> cast(child.apply(t.input()), t.type());
            case Column.When w -> {
                List<Case.When> branches = new ArrayList<>();
                for (int i = 0; i < w.conditions().size(); i++) {
                    Expr cond = child.apply(w.conditions().get(i));
                    if (!(cond.type() instanceof DataType.BooleanType)) throw error("a WHEN condition is " + cond.type().sql() + ", not BOOLEAN: " + w.conditions().get(i));
                    branches.add(new Case.When(cond, child.apply(w.results().get(i))));
                }
                Expr otherwise = w.otherwise() == null ? new NullLiteral(branches.getFirst().result().type()) : child.apply(w.otherwise());
                yield typed(() -> TypeRules.caseWhen(branches, otherwise), c);
            }
            case Apply a -> {
                List<Expr> args = a.args().stream().map(child).toList();
                yield typed(() -> apply(a.fn(), args), c);
            }
            case Column.Agg g -> throw error("the aggregate " + g + " is only allowed in agg(...) or in a select(...) of aggregates");
            case Column.Order o -> throw error("the sort key " + o + " is only allowed in orderBy(...)");
            case Column.InSubquery s -> throw error(s + " is only allowed as a condition of filter(...), alone or ANDed with others");
            case Column.Scalar s -> scalar(s.subquery());
        };
    }

    private Expr typed(java.util.function.Supplier<Expr> build, Column c) {
        try {
            return build.get();
        } catch (KilnException e) {
            if (e.getMessage().startsWith(operation + ":")) throw e;
            throw error(e.getMessage() + ", in " + c);
        }
    }

    private static Expr apply(Column.Fn fn, List<Expr> a) {
        return switch (fn) {
            case PLUS -> TypeRules.arithmetic(Op.PLUS, a.get(0), a.get(1));
            case MINUS -> a.get(0).type() instanceof DataType.DateType && a.get(1).type() instanceof DataType.DateType
                    ? TypeRules.dateDiffDays(a.get(0), a.get(1))
                    : TypeRules.arithmetic(Op.MINUS, a.get(0), a.get(1));
            case TIMES -> TypeRules.arithmetic(Op.TIMES, a.get(0), a.get(1));
            case DIVIDE -> TypeRules.arithmetic(Op.DIVIDE, a.get(0), a.get(1));
            case MOD -> TypeRules.arithmetic(Op.MOD, a.get(0), a.get(1));
            case NEGATE -> TypeRules.negate(a.getFirst());
            case ABS -> TypeRules.abs(a.getFirst());
            case EQ -> TypeRules.compare(Op.EQ, a.get(0), a.get(1));
            case NE -> TypeRules.compare(Op.NE, a.get(0), a.get(1));
            case LT -> TypeRules.compare(Op.LT, a.get(0), a.get(1));
            case LE -> TypeRules.compare(Op.LE, a.get(0), a.get(1));
            case GT -> TypeRules.compare(Op.GT, a.get(0), a.get(1));
            case GE -> TypeRules.compare(Op.GE, a.get(0), a.get(1));
            case IS_DISTINCT_FROM -> TypeRules.compare(Op.IS_DISTINCT_FROM, a.get(0), a.get(1));
            case IS_NOT_DISTINCT_FROM -> TypeRules.compare(Op.IS_NOT_DISTINCT_FROM, a.get(0), a.get(1));
            case BETWEEN -> TypeRules.and(List.of(TypeRules.compare(Op.GE, a.get(0), a.get(1)), TypeRules.compare(Op.LE, a.get(0), a.get(2))));
            case IN -> a.size() == 1 ? Literal.of(false) : TypeRules.inList(a.getFirst(), a.subList(1, a.size()));
            case AND -> TypeRules.and(a);
            case OR -> TypeRules.or(a);
            case NOT -> TypeRules.not(a.getFirst());
            case IS_NULL -> TypeRules.isNull(a.getFirst(), false);
            case IS_NOT_NULL -> TypeRules.isNull(a.getFirst(), true);
            case LIKE -> TypeRules.like(a);
            case SUBSTRING -> TypeRules.substring(a);
            case UPPER -> TypeRules.text(Op.UPPER, a.getFirst());
            case LOWER -> TypeRules.text(Op.LOWER, a.getFirst());
            case TRIM -> TypeRules.text(Op.TRIM, a.getFirst());
            case LENGTH -> TypeRules.text(Op.CHAR_LENGTH, a.getFirst());
            case CONCAT -> TypeRules.concat(a.get(0), a.get(1));
            case YEAR -> TypeRules.extract(Op.EXTRACT_YEAR, a.getFirst());
            case QUARTER -> TypeRules.extract(Op.EXTRACT_QUARTER, a.getFirst());
            case MONTH -> TypeRules.extract(Op.EXTRACT_MONTH, a.getFirst());
            case DAY -> TypeRules.extract(Op.EXTRACT_DAY, a.getFirst());
            case DAY_OF_WEEK -> TypeRules.extract(Op.EXTRACT_DOW, a.getFirst());
            case DAY_OF_YEAR -> TypeRules.extract(Op.EXTRACT_DOY, a.getFirst());
            case HOUR -> TypeRules.extract(Op.EXTRACT_HOUR, a.getFirst());
            case MINUTE -> TypeRules.extract(Op.EXTRACT_MINUTE, a.getFirst());
            case SECOND -> TypeRules.extract(Op.EXTRACT_SECOND, a.getFirst());
            case ADD_DAYS -> TypeRules.addToDate(Op.ADD_DAYS, a.get(0), a.get(1));
            case ADD_MONTHS -> TypeRules.addToDate(Op.ADD_MONTHS, a.get(0), a.get(1));
            case DATE_DIFF -> TypeRules.dateDiffDays(a.get(0), a.get(1));
            case TIME_BUCKET -> TypeRules.timeBucket(a.get(0), a.get(1));
            case HOP_START -> new dev.kiln.ir.expr.Call(Op.HOP_START, List.of(a.get(0), a.get(1), a.get(2), TypeRules.castTo(a.get(3), dev.kiln.ir.type.DataType.BIGINT)),
                    dev.kiln.ir.type.DataType.TIMESTAMP, a.get(0).nullable());
            case COALESCE -> TypeRules.coalesce(a);
            case NULLIF -> TypeRules.nullIf(a.get(0), a.get(1));
            case ROUND -> TypeRules.round(a.get(0), a.size() > 1 ? Optional.of(a.get(1)) : Optional.empty());
            case FLOOR -> TypeRules.floorCeil(Op.FLOOR, a.getFirst());
            case CEIL -> TypeRules.floorCeil(Op.CEIL, a.getFirst());
        };
    }

    private Expr cast(Expr e, DataType t) {
        if (e.type() instanceof DataType.StructType || e.type() instanceof DataType.TensorType || t instanceof DataType.StructType || t instanceof DataType.TensorType) {
            throw error("cannot cast " + e.type().sql() + " to " + t.sql());
        }
        return TypeRules.castTo(e, t);
    }

    static Expr literal(Column.Lit l) {
        Object v = l.value();
        return switch (v) {
            case null -> new NullLiteral(l.nullType());
            case Integer i -> Literal.ofInt(i);
            case Long x -> Literal.of(x);
            case Double d -> Literal.of(d);
            case BigDecimal d -> Literal.of(d);
            case String s -> Literal.of(s);
            case LocalDate d -> Literal.of(d);
            case LocalDateTime t -> new Literal(t, DataType.TIMESTAMP);
            case Boolean b -> Literal.of(b);
            default -> throw new KilnException("a " + v.getClass().getName() + " cannot be a plan literal");
        };
    }

    /** The column {@code n} names: exactly one match among the input's columns, or an error listing them. */
    Expr column(Column.Named n) {
        int found = index(n);
        Field f = input.schema().field(found);
        return new ColumnRef(found, f.type(), f.nullable());
    }

    int index(Column.Named n) {
        List<Field> fields = input.schema().fields();
        List<Integer> matches = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            if (!fields.get(i).name().equalsIgnoreCase(n.name())) continue;
            if (n.qualifier() != null && (qualifiers.get(i) == null || !qualifiers.get(i).equalsIgnoreCase(n.qualifier()))) continue;
            matches.add(i);
        }
        if (matches.isEmpty()) matches = structFields(n, fields);
        if (matches.size() == 1) return matches.getFirst();
        if (matches.isEmpty()) {
            String struct = (n.qualifier() == null ? "" : n.qualifier() + ".") + n.name();
            List<String> fieldsOf = fields.stream().map(Field::name).filter(f -> f.toLowerCase(Locale.ROOT).startsWith(lower(struct) + ".")).toList();
            if (!fieldsOf.isEmpty()) {
                throw error("'" + struct + "' is a STRUCT, which the plan API reads as its fields' columns: name one, " + String.join(", ", fieldsOf));
            }
            throw error("unknown column '" + n + "'; available columns: " + describeColumns(input.schema().names(), qualifiers));
        }
        List<String> which = matches.stream().map(i -> qualifiers.get(i) == null ? fields.get(i).name() : qualifiers.get(i) + "." + fields.get(i).name()).toList();
        throw error("column '" + n + "' is ambiguous: it could be " + String.join(" or ", which) + "; qualify it, e.g. col(\"" + which.getFirst() + "\"), or give an input a name with as(...)");
    }

    /**
     * A struct's field, as SQL finds it: {@code col("image.height")} (read as qualifier "image")
     * names the column {@code image.height}; a bare {@code col("height")} names the one field
     * column {@code <struct>.height} when no column has that name.
     */
    private static List<Integer> structFields(Column.Named n, List<Field> fields) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            String name = fields.get(i).name();
            if (n.qualifier() != null ? name.equalsIgnoreCase(n.qualifier() + "." + n.name()) : name.toLowerCase(Locale.ROOT).endsWith("." + lower(n.name()))) out.add(i);
        }
        return out;
    }

    static String describeColumns(List<String> names, List<String> qualifiers) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) out.add(qualifiers.get(i) == null ? names.get(i) : qualifiers.get(i) + "." + names.get(i));
        return out.toString();
    }

    /** Cross-joins the input with the subquery's one row (its single value, NULL when empty) and refers to that column. */
    private Expr scalar(Relation sub) {
        if (sub.schema().size() != 1) {
            throw error("a scalar subquery must have one column, this one has " + sub.schema().size() + ": " + sub.schema().names());
        }
        Field f = sub.schema().field(0);
        Rel one = new Aggregate(sub.rel(), List.of(), List.of(new AggCall(AggFunc.SINGLE_VALUE, List.of(0), false, f.type(), true, f.name())));
        int at = input.schema().size();
        input = new Join(input, one, JoinKind.INNER, Literal.of(true));
        List<String> q = new ArrayList<>(qualifiers);
        q.add(null);
        qualifiers = q;
        return new ColumnRef(at, f.type(), true);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
