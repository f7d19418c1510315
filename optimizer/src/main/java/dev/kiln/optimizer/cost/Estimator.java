package dev.kiln.optimizer.cost;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinConditions;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Sort;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.rel.Values;
import dev.kiln.ir.stats.ColumnStats;
import dev.kiln.ir.stats.TableStats;
import dev.kiln.optimizer.Statistics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cardinality estimation bottom-up over a plan, with column statistics carried through the
 * operators (every NDV capped by the rows that remain):
 * <ul>
 * <li>scan: the table's statistics (else its reference's row count, else {@value #UNKNOWN_ROWS});
 * <li>filter: rows × {@link Selectivity}; a column compared equal to a constant keeps one value;
 * <li>project: same rows; plain column references keep their statistics;
 * <li>inner equi-join: |L|·|R| / max(ndv_l, ndv_r), several key pairs as in {@link #keySelectivity};
 *     residual conjuncts by their selectivity; LEFT/RIGHT keep at least their outer
 *     side; SEMI keeps the left rows whose key can match (min(1, ndv_r/ndv_l)), ANTI the rest;
 * <li>aggregate: product of the group keys' NDVs capped by the input rows (one row without keys);
 * <li>sort: the limit, if any, after the offset.
 * </ul>
 * Estimates are memoized per plan node (by identity) for the estimator's lifetime.
 */
public final class Estimator {
    static final double UNKNOWN_ROWS = 1000;
    /** When the keys' NDVs are unknown an aggregate keeps this fraction of its input rows. */
    static final double UNKNOWN_GROUP_FRACTION = 0.1;
    /** A SEMI/ANTI join without equi-keys keeps this fraction (ANTI: the complement). */
    static final double DEFAULT_SEMI = 0.5;

    private final Statistics statistics;
    private final Map<Rel, RelEstimate> memo = new IdentityHashMap<>();

    public Estimator(Statistics statistics) {
        this.statistics = statistics;
    }

    public double rows(Rel rel) {
        return estimate(rel).rows();
    }

    public RelEstimate estimate(Rel rel) {
        RelEstimate e = memo.get(rel);
        if (e == null) {
            e = compute(rel);
            memo.put(rel, e);
        }
        return e;
    }

    private RelEstimate compute(Rel rel) {
        return switch (rel) {
            case TableScan s -> scan(s);
            case Values v -> new RelEstimate(v.rows().size(), unknown(v.schema().size()));
            case Filter f -> filter(f);
            case Project p -> project(p);
            case Join j -> join(j);
            case Aggregate a -> aggregate(a);
            case Sort s -> sort(s);
            case dev.kiln.ir.rel.Union u -> new RelEstimate(u.inputs().stream().mapToDouble(in -> estimate(in).rows()).sum(), unknown(u.schema().size()));
            case dev.kiln.ir.rel.SessionWindow w -> {
                RelEstimate in = estimate(w.input());
                List<Optional<ColumnStats>> cols = new ArrayList<>(in.columns());
                cols.add(Optional.empty());
                yield new RelEstimate(in.rows(), cols);
            }
            case dev.kiln.ir.rel.Infer i -> {
                RelEstimate in = estimate(i.input());
                List<Optional<ColumnStats>> cols = new ArrayList<>(in.columns());
                cols.addAll(unknown(i.outputs().size()));
                yield new RelEstimate(in.rows(), cols);
            }
        };
    }

    private static List<Optional<ColumnStats>> unknown(int n) {
        return Collections.nCopies(n, Optional.empty());
    }

    private RelEstimate scan(TableScan s) {
        Optional<TableStats> ts = statistics.stats(s.table());
        if (ts.isEmpty()) {
            double rows = s.table().rowCount() >= 0 ? s.table().rowCount() : UNKNOWN_ROWS;
            return new RelEstimate(rows, unknown(s.columns().size()));
        }
        List<Optional<ColumnStats>> cols = new ArrayList<>();
        for (int c : s.columns()) cols.add(c < ts.get().columns().size() ? ts.get().column(c) : Optional.empty());
        return new RelEstimate(ts.get().rowCount(), cols);
    }

    private RelEstimate filter(Filter f) {
        RelEstimate in = estimate(f.input());
        // at least one row when there is input: an estimate of 0 would make every plan above it free
        double rows = Math.max(in.rows() * Selectivity.of(f.condition(), in), Math.min(1, in.rows()));
        List<Optional<ColumnStats>> cols = new ArrayList<>(capped(in.columns(), rows));
        for (Expr c : Exprs.conjuncts(f.condition())) {
            if (c instanceof Call call && call.op() == Op.EQ) {
                for (Expr side : call.args()) {
                    if (side instanceof ColumnRef r && other(call, side) instanceof dev.kiln.ir.expr.Literal) {
                        cols.set(r.index(), Optional.of(cols.get(r.index()).map(s -> s.withNdv(Math.min(1, s.ndv()))).orElse(ColumnStats.ofNdv(1))));
                    }
                }
            }
        }
        return new RelEstimate(rows, cols);
    }

    private static Expr other(Call eq, Expr side) {
        return eq.arg(0) == side ? eq.arg(1) : eq.arg(0);
    }

    private static List<Optional<ColumnStats>> capped(List<Optional<ColumnStats>> cols, double rows) {
        return cols.stream().map(c -> c.map(s -> s.cappedTo(Math.max(rows, 1)))).toList();
    }

    private RelEstimate project(Project p) {
        RelEstimate in = estimate(p.input());
        List<Optional<ColumnStats>> cols = new ArrayList<>();
        for (Expr e : p.exprs()) {
            Optional<ColumnRef> r = Selectivity.column(e);
            cols.add(r.isPresent() ? in.column(r.get().index()) : Optional.empty());
        }
        return new RelEstimate(in.rows(), cols);
    }

    private RelEstimate join(Join j) {
        RelEstimate l = estimate(j.left());
        RelEstimate r = estimate(j.right());
        JoinConditions.Analysis a = JoinConditions.analyze(j);
        double keySel = keySelectivity(a.leftKeys(), l, a.rightKeys(), r);
        List<Optional<ColumnStats>> both = new ArrayList<>(l.columns());
        both.addAll(r.columns());
        RelEstimate combined = new RelEstimate(l.rows() * r.rows(), both);
        double residual = Selectivity.of(Exprs.and(a.residual()), combined);
        double inner = Math.max(l.rows() * r.rows() * keySel * residual, Math.min(1, l.rows() * r.rows()));
        return switch (j.kind()) {
            case INNER -> new RelEstimate(inner, joinedColumns(a, both, l.columns().size(), inner));
            case LEFT -> new RelEstimate(Math.max(inner, l.rows()), capped(both, Math.max(inner, l.rows())));
            case RIGHT -> new RelEstimate(Math.max(inner, r.rows()), capped(both, Math.max(inner, r.rows())));
            case FULL -> new RelEstimate(Math.max(inner, l.rows() + r.rows()), both);
            case SEMI, ANTI -> {
                double match = a.isEquiJoin() ? Math.min(1, compositeNdv(a.rightKeys(), r) / compositeNdv(a.leftKeys(), l)) * residual : DEFAULT_SEMI;
                double rows = l.rows() * (j.kind() == dev.kiln.ir.rel.JoinKind.SEMI ? match : 1 - match);
                yield new RelEstimate(rows, capped(l.columns(), rows));
            }
            case RIGHT_SEMI, RIGHT_ANTI -> {
                double match = a.isEquiJoin() ? Math.min(1, compositeNdv(a.leftKeys(), l) / compositeNdv(a.rightKeys(), r)) * residual : DEFAULT_SEMI;
                double rows = r.rows() * (j.kind() == dev.kiln.ir.rel.JoinKind.RIGHT_SEMI ? match : 1 - match);
                yield new RelEstimate(rows, capped(r.columns(), rows));
            }
        };
    }

    /**
     * The selectivity of an equi-join on these key pairs; 1 without keys (a cross product). One
     * pair: 1 / max(ndv_l, ndv_r). Several pairs, where one key column is unique on its side (its
     * NDV is the side's row count, as c_custkey in customer): the other pairs are independent of
     * it, so the pairs' selectivities multiply. Several pairs where no column alone is unique, but
     * the product of NDVs reaches the row count on both sides (l_partkey, l_suppkey against
     * partsupp's key): the columns are correlated, the key of the smaller side is taken as unique
     * and the larger side's values as contained in it (1 / min of the composite NDVs). Otherwise
     * 1 / max of the composite NDVs, each a product of NDVs capped by its side's rows.
     */
    public static double keySelectivity(List<Integer> leftKeys, RelEstimate l, List<Integer> rightKeys, RelEstimate r) {
        if (leftKeys.isEmpty()) return 1;
        if (leftKeys.size() > 1 && (anyUnique(leftKeys, l) || anyUnique(rightKeys, r))) {
            double sel = 1;
            for (int i = 0; i < leftKeys.size(); i++) {
                sel /= Math.max(1, Math.max(compositeNdv(List.of(leftKeys.get(i)), l), compositeNdv(List.of(rightKeys.get(i)), r)));
            }
            return sel;
        }
        double nl = compositeNdv(leftKeys, l);
        double nr = compositeNdv(rightKeys, r);
        boolean bothUnique = leftKeys.size() > 1 && nl >= Math.max(1, l.rows()) && nr >= Math.max(1, r.rows());
        return 1 / Math.max(1, bothUnique ? Math.min(nl, nr) : Math.max(nl, nr));
    }

    /** Is one of the columns (with a known NDV) a key of its input: NDV within 5% of the rows? */
    private static boolean anyUnique(List<Integer> keys, RelEstimate e) {
        for (int k : keys) {
            if (e.ndv(k).isPresent() && e.ndv(k).getAsDouble() >= 0.95 * Math.max(1, e.rows())) return true;
        }
        return false;
    }

    /** Product of the key columns' NDVs, capped by the rows; an unknown NDV counts as the rows (a key). */
    static double compositeNdv(List<Integer> keys, RelEstimate e) {
        double rows = Math.max(1, e.rows());
        double ndv = 1;
        for (int k : keys) ndv *= e.ndv(k).orElse(rows);
        return Math.max(1, Math.min(ndv, rows));
    }

    /** Columns after an inner join: capped by its rows, each key pair sharing the smaller NDV. */
    private static List<Optional<ColumnStats>> joinedColumns(JoinConditions.Analysis a, List<Optional<ColumnStats>> both, int lw, double rows) {
        List<Optional<ColumnStats>> cols = new ArrayList<>(capped(both, rows));
        for (int i = 0; i < a.leftKeys().size(); i++) {
            int lk = a.leftKeys().get(i);
            int rk = lw + a.rightKeys().get(i);
            if (cols.get(lk).isPresent() && cols.get(rk).isPresent()) {
                double ndv = Math.min(cols.get(lk).get().ndv(), cols.get(rk).get().ndv());
                cols.set(lk, Optional.of(cols.get(lk).get().withNdv(ndv)));
                cols.set(rk, Optional.of(cols.get(rk).get().withNdv(ndv)));
            }
        }
        return cols;
    }

    private RelEstimate aggregate(Aggregate a) {
        RelEstimate in = estimate(a.input());
        double rows;
        if (a.groupKeys().isEmpty()) {
            rows = 1;
        } else {
            double groups = 1;
            boolean known = true;
            for (int k : a.groupKeys()) {
                if (in.ndv(k).isPresent()) groups *= Math.max(1, in.ndv(k).getAsDouble());
                else known = false;
            }
            double cap = known ? in.rows() : Math.max(1, in.rows() * UNKNOWN_GROUP_FRACTION);
            rows = Math.max(Math.min(in.rows(), 1), Math.min(groups, cap));
        }
        List<Optional<ColumnStats>> cols = new ArrayList<>();
        for (int k : a.groupKeys()) cols.add(in.column(k).map(s -> s.cappedTo(Math.max(rows, 1))));
        cols.addAll(unknown(a.aggs().size()));
        return new RelEstimate(rows, cols);
    }

    private RelEstimate sort(Sort s) {
        RelEstimate in = estimate(s.input());
        double rows = Math.max(0, in.rows() - s.offset());
        if (s.limit() >= 0) rows = Math.min(rows, s.limit());
        return new RelEstimate(rows, capped(in.columns(), rows));
    }

    /** Rows in the style of EXPLAIN: 950, 12.3K, 1.2M, 4.5G. */
    public static String format(double rows) {
        if (rows < 1000) return rows < 10 && rows != Math.rint(rows) ? String.format(java.util.Locale.ROOT, "%.1f", rows) : Long.toString(Math.round(rows));
        String[] units = {"K", "M", "G", "T"};
        double v = rows;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(java.util.Locale.ROOT, v < 10 ? "%.2f%s" : v < 100 ? "%.1f%s" : "%.0f%s", v, units[u]);
    }
}
