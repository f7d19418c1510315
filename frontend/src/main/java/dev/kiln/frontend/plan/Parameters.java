package dev.kiln.frontend.plan;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.rel.PlanExprs;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a plan built with {@link Functions#param}: each is a typed placeholder in the
 * logical plan until {@link #bind} replaces it with a literal of its type. Binding happens before
 * optimization, so the optimizer sees ordinary literals; since generated classes take literals as
 * parameters, every binding of a plan reuses the classes compiled for the first.
 */
public final class Parameters {
    private Parameters() {}

    /** The parameters of a plan, by name, in the order they appear. */
    public static Map<String, DataType> find(Rel plan) {
        Map<String, DataType> out = new LinkedHashMap<>();
        // a parameter of a non-text type is a cast of the marker: the marker inside is not a second use
        java.util.Set<Expr> inner = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        PlanExprs.visit(plan, e -> {
            if (e instanceof Cast c && name(c).isPresent()) inner.add(c.input());
        });
        PlanExprs.visit(plan, e -> name(e).filter(n -> !inner.contains(e)).ifPresent(n -> {
            DataType t = e.type();
            DataType before = out.putIfAbsent(n, t);
            if (before != null && !before.equals(t)) {
                throw new KilnException("parameter '" + n + "' is used as " + before.sql() + " and as " + t.sql() + "; give each use its own name");
            }
        }));
        return out;
    }

    /** The plan with every parameter replaced by its value (Java values as for literals; null for NULL). */
    public static Rel bind(Rel plan, Map<String, ?> values) {
        Map<String, DataType> params = find(plan);
        for (String n : params.keySet()) {
            if (!values.containsKey(n)) throw new KilnException("parameter '" + n + "' (" + params.get(n).sql() + ") has no value; parameters: " + params.keySet());
        }
        for (String n : values.keySet()) {
            if (!params.containsKey(n)) throw new KilnException("there is no parameter '" + n + "'; parameters: " + params.keySet());
        }
        // rewriting is bottom-up: the marker inside a cast is seen first and left for its cast
        return PlanExprs.rewrite(plan, e -> name(e).filter(n -> e.type().equals(params.get(n)))
                .<Expr>map(n -> literal(n, values.get(n), params.get(n))).orElse(e));
    }

    /** The parameter this expression stands for, if it is one. */
    private static Optional<String> name(Expr e) {
        Expr inner = e instanceof Cast c ? c.input() : e;
        if (inner instanceof Literal l && l.value() instanceof String s && s.startsWith(Resolver.PARAM_MARKER)) {
            return Optional.of(s.substring(Resolver.PARAM_MARKER.length()));
        }
        return Optional.empty();
    }

    /** A value as a literal of the parameter's type, or an error saying which Java types fit. */
    public static Expr literal(String name, Object v, DataType t) {
        if (v == null) return new NullLiteral(t);
        Object value = switch (t) {
            case DataType.IntType i when v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte -> {
                long x = ((Number) v).longValue();
                if (x < i.minValue() || x > i.maxValue()) throw new KilnException("parameter '" + name + "': " + v + " is out of range for " + t.sql());
                yield x;
            }
            case DataType.DecimalType d when v instanceof BigDecimal || v instanceof Integer || v instanceof Long -> {
                BigDecimal b = v instanceof BigDecimal x ? x : BigDecimal.valueOf(((Number) v).longValue());
                BigDecimal scaled;
                try {
                    scaled = b.setScale(d.scale(), RoundingMode.UNNECESSARY);
                } catch (ArithmeticException e) {
                    throw new KilnException("parameter '" + name + "': " + v + " has more than " + d.scale() + " decimal places for " + t.sql());
                }
                if (scaled.precision() > d.precision()) throw new KilnException("parameter '" + name + "': " + v + " does not fit " + t.sql());
                yield scaled;
            }
            case DataType.DoubleType x when v instanceof Number n -> n.doubleValue();
            case DataType.VarcharType x when v instanceof String -> v;
            case DataType.DateType x when v instanceof LocalDate -> v;
            case DataType.TimestampType x when v instanceof LocalDateTime -> v;
            case DataType.BooleanType x when v instanceof Boolean -> v;
            default -> throw new KilnException("parameter '" + name + "' is " + t.sql() + " and cannot take a " + v.getClass().getSimpleName() + " (" + v + ")");
        };
        return new Literal(value, t);
    }
}
