package dev.kiln.ir.eval;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.Expr;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Executes a plan on boxed rows (values as {@link ExprEvaluator} describes), with nested loops
 * and a map for grouping: the reference semantics of every relational operator and the oracle
 * compiled pipelines are tested against. Row order is defined only by a Sort (stable, so ties
 * keep their input order); Aggregate emits groups in order of first appearance and Join in
 * nested-loop order, but callers must not rely on either. The plan is assumed valid
 * ({@link dev.kiln.ir.rel.PlanValidator}).
 */
public final class Interpreter {
    private Interpreter() {}

    /**
     * @param tables the rows of each table, each row holding every column of the table's schema
     *               in schema order (a scan picks its columns from them)
     */
    public static List<Object[]> execute(Rel plan, Function<TableRef, List<Object[]>> tables) {
        return switch (plan) {
            case TableScan s -> scan(s, tables.apply(s.table()));
            case Values v -> v.rows().stream().map(r -> r.stream().map(e -> ExprEvaluator.eval(e, new Object[0])).toArray()).toList();
            case Filter f -> execute(f.input(), tables).stream().filter(r -> ExprEvaluator.isTrue(f.condition(), r)).toList();
            case Project p -> execute(p.input(), tables).stream().map(r -> project(p.exprs(), r)).toList();
            case Join j -> join(j, execute(j.left(), tables), execute(j.right(), tables));
            case Aggregate a -> aggregate(a, execute(a.input(), tables));
            case Sort s -> sort(s, execute(s.input(), tables));
            case dev.kiln.ir.rel.Union u -> u.inputs().stream().flatMap(in -> execute(in, tables).stream()).toList();
            case dev.kiln.ir.rel.SessionWindow w -> sessions(w, execute(w.input(), tables));
            case dev.kiln.ir.rel.Infer i -> InferRows.run(i, execute(i.input(), tables));
        };
    }

    /** Each row with its session's start: per key, rows in time order, a new session wherever the gap to the previous row is at least the session gap. */
    static List<Object[]> sessions(dev.kiln.ir.rel.SessionWindow w, List<Object[]> input) {
        java.util.Map<List<Object>, List<Object[]>> byKey = new java.util.HashMap<>();
        List<Object[]> out = new ArrayList<>(input.size());
        for (Object[] row : input) {
            Object[] r = java.util.Arrays.copyOf(row, row.length + 1);
            out.add(r);
            if (row[w.time()] == null) continue;
            List<Object> key = new ArrayList<>();
            for (int k : w.keys()) key.add(row[k]);
            byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(r);
        }
        for (List<Object[]> rows : byKey.values()) {
            rows.sort(Comparator.comparing(r -> (java.time.LocalDateTime) r[w.time()]));
            java.time.LocalDateTime start = null;
            java.time.LocalDateTime previous = null;
            for (Object[] r : rows) {
                java.time.LocalDateTime t = (java.time.LocalDateTime) r[w.time()];
                if (previous == null || java.time.temporal.ChronoUnit.MICROS.between(previous, t) >= w.gapMicros()) start = t;
                r[r.length - 1] = start;
                previous = t;
            }
        }
        return out;
    }

    private static List<Object[]> scan(TableScan s, List<Object[]> rows) {
        if (rows == null) throw new KilnException("no rows were supplied for table " + s.table().name());
        int width = s.table().schema().size();
        List<Object[]> out = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            if (row.length != width) {
                throw new KilnException("table " + s.table().name() + " supplied a row of " + row.length
                        + " values but its schema has " + width + " columns");
            }
            Object[] r = new Object[s.columns().size()];
            for (int i = 0; i < r.length; i++) r[i] = row[s.columns().get(i)];
            out.add(r);
        }
        return out;
    }

    private static Object[] project(List<Expr> exprs, Object[] row) {
        Object[] out = new Object[exprs.size()];
        for (int i = 0; i < out.length; i++) out[i] = ExprEvaluator.eval(exprs.get(i), row);
        return out;
    }

    /**
     * Nested loops over left then right, the condition seeing the left row followed by the right
     * row. Outer joins pad the unmatched side with NULLs; SEMI keeps a left row once if some right
     * row makes the condition TRUE, ANTI if none does (a NULL condition is not a match);
     * RIGHT_SEMI and RIGHT_ANTI keep right rows the same way, after all left rows are seen.
     */
    static List<Object[]> join(Join j, List<Object[]> left, List<Object[]> right) {
        int leftWidth = j.left().schema().size();
        int rightWidth = j.right().schema().size();
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
                if (j.kind().projectsLeft()) out.add(both);
            }
            boolean keepUnmatched = switch (j.kind()) {
                case LEFT, FULL, ANTI -> !matched;
                case SEMI -> matched;
                case INNER, RIGHT, RIGHT_SEMI, RIGHT_ANTI -> false;
            };
            if (keepUnmatched) out.add(j.kind().projectsRight() ? concat(l, new Object[rightWidth]) : l);
        }
        if (j.kind() == JoinKind.RIGHT || j.kind() == JoinKind.FULL) {
            for (int ri = 0; ri < right.size(); ri++) {
                if (!rightMatched[ri]) out.add(concat(new Object[leftWidth], right.get(ri)));
            }
        }
        if (j.kind() == JoinKind.RIGHT_SEMI || j.kind() == JoinKind.RIGHT_ANTI) {
            for (int ri = 0; ri < right.size(); ri++) {
                if (rightMatched[ri] == (j.kind() == JoinKind.RIGHT_SEMI)) out.add(right.get(ri));
            }
        }
        return out;
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Groups by the keys under grouping equality; with no keys, exactly one row even for no input. */
    static List<Object[]> aggregate(Aggregate a, List<Object[]> input) {
        Map<GroupKey, List<Object[]>> groups = new LinkedHashMap<>();
        for (Object[] row : input) {
            Object[] key = new Object[a.groupKeys().size()];
            for (int i = 0; i < key.length; i++) key[i] = row[a.groupKeys().get(i)];
            groups.computeIfAbsent(new GroupKey(key), k -> new ArrayList<>()).add(row);
        }
        if (a.groupKeys().isEmpty() && groups.isEmpty()) groups.put(new GroupKey(new Object[0]), List.of());
        List<Object[]> out = new ArrayList<>(groups.size());
        for (Map.Entry<GroupKey, List<Object[]>> g : groups.entrySet()) {
            Object[] key = g.getKey().values();
            Object[] r = Arrays.copyOf(key, key.length + a.aggs().size());
            int i = key.length;
            for (AggCall call : a.aggs()) r[i++] = Aggregates.evaluate(call, g.getValue());
            out.add(r);
        }
        return out;
    }

    static List<Object[]> sort(Sort s, List<Object[]> input) {
        List<Object[]> rows = new ArrayList<>(input);
        rows.sort(comparator(s.keys())); // List.sort is stable
        long from = Math.min(s.offset(), rows.size());
        long to = s.limit() < 0 ? rows.size() : Math.min(rows.size(), from + s.limit());
        return rows.subList((int) from, (int) to);
    }

    /** Row order by the keys: each ascending or descending, NULLs first or last as the key says. */
    public static Comparator<Object[]> comparator(List<SortKey> keys) {
        return (x, y) -> {
            for (SortKey k : keys) {
                Object a = x[k.column()];
                Object b = y[k.column()];
                int c;
                if (a == null || b == null) {
                    c = a == b ? 0 : (a == null) == k.nullsFirst() ? -1 : 1;
                } else {
                    c = Comparisons.compare(a, b);
                    if (!k.ascending()) c = -c;
                }
                if (c != 0) return c;
            }
            return 0;
        };
    }
}
