package dev.kiln.optimizer.cost;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.InList;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.stats.ColumnStats;
import dev.kiln.ir.stats.StatsKey;
import dev.kiln.ir.type.DataType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The estimated fraction of input rows for which a predicate is TRUE. Comparisons of a column
 * with a constant use the column's histogram (else min/max with a uniform spread, else a default);
 * equality uses 1/NDV; a conjunction combines the range bounds on one column into one range
 * (so {@code x BETWEEN a AND b} is F(b) - F(a), not F(&ge;a)·F(&le;b)) and multiplies the rest
 * (independence); OR is s1 + s2 - s1·s2; NOT is 1 - s. A column compared with a column is
 * 1/max(NDV). NULLs never satisfy a comparison, so every column estimate is scaled by the
 * non-NULL fraction.
 */
public final class Selectivity {
    private Selectivity() {}

    static final double DEFAULT_EQ = 0.05;
    static final double DEFAULT_RANGE = 1.0 / 3;
    static final double DEFAULT_LIKE = 0.1;
    static final double DEFAULT_OTHER = 0.25;
    static final double DEFAULT_IS_NULL = 0.05;

    public static double of(Expr predicate, RelEstimate input) {
        return clamp(estimate(predicate, input));
    }

    private static double clamp(double s) {
        return Double.isNaN(s) ? DEFAULT_OTHER : Math.max(0, Math.min(1, s));
    }

    private static double estimate(Expr e, RelEstimate in) {
        return switch (e) {
            case Literal l -> Boolean.TRUE.equals(l.value()) ? 1 : 0;
            case NullLiteral n -> 0;
            case ColumnRef r -> 0.5; // a BOOLEAN column
            case InList list -> inList(list, in);
            case Call c -> call(c, in);
            case Cast c -> DEFAULT_OTHER;
            case dev.kiln.ir.expr.Case c -> DEFAULT_OTHER;
        };
    }

    private static double call(Call c, RelEstimate in) {
        return switch (c.op()) {
            case AND -> conjunction(Exprs.conjuncts(c), in);
            case OR -> {
                double s = 0;
                for (Expr a : c.args()) {
                    double x = clamp(estimate(a, in));
                    s = s + x - s * x;
                }
                yield s;
            }
            case NOT -> 1 - clamp(estimate(c.arg(0), in));
            case IS_NULL -> column(c.arg(0)).map(r -> nullFraction(r, in)).orElse(DEFAULT_IS_NULL);
            case IS_NOT_NULL -> column(c.arg(0)).map(r -> 1 - nullFraction(r, in)).orElse(1 - DEFAULT_IS_NULL);
            case EQ, NE, LT, LE, GT, GE -> comparison(c, in);
            case LIKE -> like(c, in);
            default -> DEFAULT_OTHER;
        };
    }

    /** Range bounds on one column, gathered from the comparisons of a conjunction. */
    private static final class Range {
        double lo = Double.NEGATIVE_INFINITY;
        boolean loInclusive = true;
        double hi = Double.POSITIVE_INFINITY;
        boolean hiInclusive = true;
    }

    private static double conjunction(List<Expr> parts, RelEstimate in) {
        Map<Integer, Range> ranges = new LinkedHashMap<>();
        List<Expr> rest = new ArrayList<>();
        for (Expr p : parts) {
            Optional<Bound> b = bound(p);
            if (b.isPresent() && histogramOrMinMax(b.get().column(), in)) {
                Range r = ranges.computeIfAbsent(b.get().column(), k -> new Range());
                Bound x = b.get();
                if (x.lower()) {
                    if (x.key() > r.lo || (x.key() == r.lo && !x.inclusive())) {
                        r.lo = x.key();
                        r.loInclusive = x.inclusive();
                    }
                } else if (x.key() < r.hi || (x.key() == r.hi && !x.inclusive())) {
                    r.hi = x.key();
                    r.hiInclusive = x.inclusive();
                }
            } else {
                rest.add(p);
            }
        }
        double s = 1;
        for (var e : ranges.entrySet()) s *= range(e.getKey(), e.getValue(), in);
        for (Expr p : rest) s *= clamp(estimate(p, in));
        return s;
    }

    /** {@code column (>|>=|<|<=) constant}, normalized so the column is on the left. */
    private record Bound(int column, boolean lower, boolean inclusive, double key) {}

    private static Optional<Bound> bound(Expr e) {
        if (!(e instanceof Call c) || c.args().size() != 2) return Optional.empty();
        Op op = switch (c.op()) {
            case LT, LE, GT, GE -> c.op();
            default -> null;
        };
        if (op == null) return Optional.empty();
        Optional<ColumnRef> col = column(c.arg(0));
        Optional<Double> k = constantKey(c.arg(1));
        if (col.isEmpty() || k.isEmpty()) {
            col = column(c.arg(1));
            k = constantKey(c.arg(0));
            op = op.flip();
        }
        if (col.isEmpty() || k.isEmpty()) return Optional.empty();
        return Optional.of(new Bound(col.get().index(), op == Op.GT || op == Op.GE, op == Op.LE || op == Op.GE, k.get()));
    }

    private static boolean histogramOrMinMax(int column, RelEstimate in) {
        return in.column(column).map(c -> c.histogram().isPresent() || (c.min().isPresent() && c.max().isPresent())).orElse(false);
    }

    /** Fraction of rows with the column inside the range (the column has a histogram or min/max). */
    private static double range(int column, Range r, RelEstimate in) {
        ColumnStats cs = in.column(column).orElseThrow();
        double eq = 1 / Math.max(1, in.ndv(column).orElse(1));
        double upper = r.hi == Double.POSITIVE_INFINITY ? 1 : fractionBelow(cs, r.hi) + (r.hiInclusive ? eq : 0);
        double lower = r.lo == Double.NEGATIVE_INFINITY ? 0 : fractionBelow(cs, r.lo) + (r.loInclusive ? 0 : eq);
        return Math.max(0, Math.min(1, upper) - Math.min(1, lower)) * (1 - cs.nullFraction());
    }

    /** Fraction of the non-NULL values strictly below {@code key}. */
    private static double fractionBelow(ColumnStats cs, double key) {
        if (cs.histogram().isPresent()) return cs.histogram().get().fractionBelow(key);
        double min = cs.min().orElseThrow();
        double max = cs.max().orElseThrow();
        if (key <= min) return 0;
        if (key > max) return 1;
        return max > min ? (key - min) / (max - min) : 1;
    }

    private static double comparison(Call c, RelEstimate in) {
        Expr a = c.arg(0);
        Expr b = c.arg(1);
        Optional<ColumnRef> ca = column(a);
        Optional<ColumnRef> cb = column(b);
        if (ca.isPresent() && cb.isPresent()) {
            double ndv = Math.max(in.ndv(ca.get().index()).orElse(1 / DEFAULT_EQ), in.ndv(cb.get().index()).orElse(1 / DEFAULT_EQ));
            double eq = 1 / Math.max(1, ndv);
            return switch (c.op()) {
                case EQ -> eq;
                case NE -> 1 - eq;
                default -> DEFAULT_RANGE;
            };
        }
        Optional<Bound> bound = bound(c);
        if (bound.isPresent()) {
            if (!histogramOrMinMax(bound.get().column(), in)) return DEFAULT_RANGE;
            return conjunction(List.of(c), in);
        }
        ColumnRef col = ca.orElse(cb.orElse(null));
        Optional<Double> k = ca.isPresent() ? constantKey(b) : constantKey(a);
        boolean constant = ca.isPresent() ? isConstant(b) : isConstant(a);
        if (col == null || !constant) return c.op() == Op.EQ ? DEFAULT_EQ : c.op() == Op.NE ? 1 - DEFAULT_EQ : DEFAULT_RANGE;
        double eq = equality(col.index(), k, in);
        return c.op() == Op.EQ ? eq : c.op() == Op.NE ? Math.max(0, 1 - nullFraction(col, in) - eq) : DEFAULT_RANGE;
    }

    /** {@code column = constant}: 1/NDV of the non-NULL rows, 0 outside [min, max]. */
    private static double equality(int column, Optional<Double> key, RelEstimate in) {
        Optional<ColumnStats> cs = in.column(column);
        if (cs.isEmpty()) return DEFAULT_EQ;
        ColumnStats s = cs.get();
        if (key.isPresent() && s.min().isPresent() && s.max().isPresent()) {
            double k = key.get();
            if (k < s.min().getAsDouble() || k > s.max().getAsDouble()) return 0;
        }
        return (1 - s.nullFraction()) / Math.max(1, in.ndv(column).orElse(1 / DEFAULT_EQ));
    }

    private static double inList(InList list, RelEstimate in) {
        Optional<ColumnRef> col = column(list.value());
        double s = 0;
        for (Expr v : list.list()) {
            if (col.isPresent() && isConstant(v)) s += equality(col.get().index(), constantKey(v), in);
            else s += DEFAULT_EQ;
        }
        return Math.min(1, s);
    }

    /** LIKE 'prefix%' is a range over the prefix's keys; no wildcard is an equality; else a default. */
    private static double like(Call c, RelEstimate in) {
        Optional<ColumnRef> col = column(c.arg(0));
        if (col.isEmpty() || !(c.arg(1) instanceof Literal l) || !(l.value() instanceof String pattern) || c.args().size() > 2) return DEFAULT_LIKE;
        int wild = firstWildcard(pattern);
        if (wild < 0) return equality(col.get().index(), Optional.of(StatsKey.ofString(pattern.getBytes(StandardCharsets.UTF_8))), in);
        if (wild == 0 || !histogramOrMinMax(col.get().index(), in)) return DEFAULT_LIKE;
        byte[] prefix = pattern.substring(0, wild).getBytes(StandardCharsets.UTF_8);
        Range r = new Range();
        r.lo = StatsKey.ofString(prefix);
        r.hi = StatsKey.afterPrefix(prefix);
        r.hiInclusive = false;
        double s = Math.max(range(col.get().index(), r, in), boundsShare(col.get().index(), r.lo, r.hi, in));
        // the rest of the pattern narrows further when it is more than a trailing '%'
        return pattern.substring(wild).equals("%") ? s : s / 2;
    }

    /**
     * The share of a text range by the histogram's bounds: string keys keep only a few leading
     * bytes, so interpolating inside a bucket says little about a prefix (a prefix as long as the
     * key is a single point). Instead count the bounds inside [lo, hi) — each stands for 1/B of the
     * rows — and, when none is, take half a bucket unless the range misses [min, max] entirely.
     */
    private static double boundsShare(int column, double lo, double hi, RelEstimate in) {
        ColumnStats cs = in.column(column).orElseThrow();
        if (cs.histogram().isEmpty()) return 0;
        List<Double> bounds = cs.histogram().get().bounds();
        if (hi <= bounds.getFirst() || lo > bounds.getLast()) return 0;
        int buckets = bounds.size() - 1;
        long inside = bounds.stream().filter(b -> b >= lo && b < hi).count();
        return Math.min(1, Math.max(inside, 0.5) / buckets) * (1 - cs.nullFraction());
    }

    private static int firstWildcard(String p) {
        for (int i = 0; i < p.length(); i++) if (p.charAt(i) == '%' || p.charAt(i) == '_') return i;
        return -1;
    }

    private static double nullFraction(ColumnRef r, RelEstimate in) {
        if (!r.nullable()) return 0;
        return in.column(r.index()).map(ColumnStats::nullFraction).orElse(DEFAULT_IS_NULL);
    }

    /** A column, looking through casts that keep the order of values (numeric widening, DATE → TIMESTAMP). */
    static Optional<ColumnRef> column(Expr e) {
        if (e instanceof ColumnRef r) return Optional.of(r);
        if (e instanceof Cast c && orderPreserving(c.input().type(), c.type())) return column(c.input());
        return Optional.empty();
    }

    private static boolean orderPreserving(DataType from, DataType to) {
        return from.isNumeric() && to.isNumeric() || from.equals(to);
    }

    private static boolean isConstant(Expr e) {
        return e instanceof Literal || e instanceof Cast c && isConstant(c.input());
    }

    /** The {@link StatsKey} of a constant (looking through a cast to a numeric type). */
    private static Optional<Double> constantKey(Expr e) {
        if (e instanceof Literal l) {
            OptionalDouble k = StatsKey.of(l.value(), l.type());
            return k.isPresent() ? Optional.of(k.getAsDouble()) : Optional.empty();
        }
        if (e instanceof Cast c && c.type().isNumeric() && c.input().type().isNumeric()) return constantKey(c.input());
        return Optional.empty();
    }
}
