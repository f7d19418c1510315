package dev.kiln.ir.eval;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Sort;
import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.rel.Values;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Executes a plan on boxed rows with nested loops and hash maps: the reference semantics of
 * every relational operator, used as the test oracle for compiled pipelines.
 */
public final class Interpreter {
    private Interpreter() {}

    public static List<Object[]> execute(Rel plan, Function<TableRef, List<Object[]>> tables) {
        return switch (plan) {
            case TableScan s -> {
                List<Object[]> out = new ArrayList<>();
                for (Object[] row : tables.apply(s.table())) {
                    Object[] r = new Object[s.columns().size()];
                    for (int i = 0; i < r.length; i++) r[i] = row[s.columns().get(i)];
                    out.add(r);
                }
                yield out;
            }
            case Values v -> v.rows().stream().map(r -> r.stream().map(e -> ExprEvaluator.eval(e, new Object[0])).toArray()).toList();
            case Filter f -> execute(f.input(), tables).stream().filter(r -> ExprEvaluator.isTrue(f.condition(), r)).toList();
            case Project p -> execute(p.input(), tables).stream().map(r -> {
                Object[] o = new Object[p.exprs().size()];
                for (int i = 0; i < o.length; i++) o[i] = ExprEvaluator.eval(p.exprs().get(i), r);
                return o;
            }).toList();
            case Join j -> join(j, execute(j.left(), tables), execute(j.right(), tables));
            case Aggregate a -> aggregate(a, execute(a.input(), tables));
            case Sort s -> sort(s, execute(s.input(), tables));
        };
    }

    private static List<Object[]> join(Join j, List<Object[]> left, List<Object[]> right) {
        int lw = j.left().schema().size();
        int rw = j.right().schema().size();
        List<Object[]> out = new ArrayList<>();
        boolean[] rightMatched = new boolean[right.size()];
        for (Object[] l : left) {
            boolean matched = false;
            for (int ri = 0; ri < right.size(); ri++) {
                Object[] both = concat(l, right.get(ri));
                if (!ExprEvaluator.isTrue(j.condition(), both)) continue;
                matched = true;
                rightMatched[ri] = true;
                if (j.kind() == JoinKind.SEMI || j.kind() == JoinKind.ANTI) break;
                out.add(both);
            }
            switch (j.kind()) {
                case LEFT, FULL -> {
                    if (!matched) out.add(concat(l, new Object[rw]));
                }
                case SEMI -> {
                    if (matched) out.add(l);
                }
                case ANTI -> {
                    if (!matched) out.add(l);
                }
                default -> { }
            }
        }
        if (j.kind() == JoinKind.RIGHT || j.kind() == JoinKind.FULL) {
            for (int ri = 0; ri < right.size(); ri++) {
                if (!rightMatched[ri]) out.add(concat(new Object[lw], right.get(ri)));
            }
        }
        return out;
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Grouping key with SQL grouping equality (NULLs equal, 1.0 = 1.00, -0.0 = 0.0). */
    private record Key(Object[] values) {
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key k)) return false;
            for (int i = 0; i < values.length; i++) {
                Object a = values[i];
                Object b = k.values[i];
                if (a == null || b == null) {
                    if (a != b) return false;
                } else if (dev.kiln.ir.eval.Values.compare(a, b) != 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = 1;
            for (Object v : values) {
                Object n = v instanceof BigDecimal d ? d.stripTrailingZeros() : v instanceof Double d && d == 0.0 ? 0.0 : v;
                h = h * 31 + (n == null ? 0 : n.hashCode());
            }
            return h;
        }
    }

    private static List<Object[]> aggregate(Aggregate a, List<Object[]> input) {
        Map<Key, List<Object[]>> groups = new LinkedHashMap<>();
        for (Object[] row : input) {
            Object[] k = a.groupKeys().stream().map(i -> row[i]).toArray();
            groups.computeIfAbsent(new Key(k), x -> new ArrayList<>()).add(row);
        }
        if (groups.isEmpty() && a.groupKeys().isEmpty()) groups.put(new Key(new Object[0]), List.of());
        List<Object[]> out = new ArrayList<>();
        for (Map.Entry<Key, List<Object[]>> g : groups.entrySet()) {
            Object[] r = new Object[a.groupKeys().size() + a.aggs().size()];
            System.arraycopy(g.getKey().values(), 0, r, 0, a.groupKeys().size());
            for (int i = 0; i < a.aggs().size(); i++) r[a.groupKeys().size() + i] = aggregate(a.aggs().get(i), g.getValue());
            out.add(r);
        }
        return out;
    }

    private static Object aggregate(AggCall c, List<Object[]> rows) {
        List<Object> values = new ArrayList<>();
        for (Object[] row : rows) {
            if (c.args().isEmpty()) values.add(Boolean.TRUE);
            else values.add(row[c.args().getFirst()]);
        }
        if (c.func() == dev.kiln.ir.rel.AggFunc.SINGLE_VALUE) {
            if (values.size() > 1) throw new KilnException("more than one row returned by a subquery used as an expression");
            return values.isEmpty() ? null : values.getFirst();
        }
        List<Object> present = values.stream().filter(v -> v != null).toList();
        if (c.distinct()) {
            List<Object> distinct = new ArrayList<>();
            for (Object v : present) if (distinct.stream().noneMatch(d -> dev.kiln.ir.eval.Values.equal(d, v))) distinct.add(v);
            present = distinct;
        }
        return switch (c.func()) {
            case COUNT -> (long) present.size();
            case SUM -> present.isEmpty() ? null : sum(c.type(), present);
            case AVG -> {
                if (present.isEmpty()) yield null;
                double total = 0;
                if (present.getFirst() instanceof Double) {
                    for (Object v : present) total += (Double) v;
                } else {
                    BigDecimal s = BigDecimal.ZERO;
                    for (Object v : present) s = s.add(v instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) v);
                    total = s.doubleValue();
                }
                yield total / present.size();
            }
            case MIN -> present.stream().min(dev.kiln.ir.eval.Values::compare).orElse(null);
            case MAX -> present.stream().max(dev.kiln.ir.eval.Values::compare).orElse(null);
            case ANY_VALUE -> present.isEmpty() ? null : present.getFirst();
            case SINGLE_VALUE -> throw new IllegalStateException("handled above");
        };
    }

    private static Object sum(DataType type, List<Object> values) {
        return switch (type) {
            case DataType.IntType t -> {
                long s = 0;
                for (Object v : values) {
                    try {
                        s = Math.addExact(s, (Long) v);
                    } catch (ArithmeticException e) {
                        throw dev.kiln.ir.eval.Values.overflow(t, "in SUM");
                    }
                }
                yield s;
            }
            case DataType.DecimalType t -> {
                BigDecimal s = BigDecimal.ZERO;
                for (Object v : values) s = s.add((BigDecimal) v);
                yield dev.kiln.ir.eval.Values.checkDecimal(s, t, "in SUM");
            }
            default -> {
                double s = 0;
                for (Object v : values) s += (Double) v;
                yield s;
            }
        };
    }

    private static List<Object[]> sort(Sort s, List<Object[]> input) {
        List<Object[]> rows = new ArrayList<>(input);
        Comparator<Object[]> cmp = (x, y) -> 0;
        for (SortKey k : s.keys()) {
            Comparator<Object[]> one = (x, y) -> {
                Object a = x[k.column()];
                Object b = y[k.column()];
                if (a == null || b == null) {
                    if (a == b) return 0;
                    return (a == null) == k.nullsFirst() ? -1 : 1;
                }
                int c = dev.kiln.ir.eval.Values.compare(a, b);
                return k.ascending() ? c : -c;
            };
            cmp = cmp.thenComparing(one);
        }
        rows.sort(cmp);
        int from = (int) Math.min(s.offset(), rows.size());
        int to = s.limit() < 0 ? rows.size() : (int) Math.min(rows.size(), from + s.limit());
        return rows.subList(from, to);
    }

}
