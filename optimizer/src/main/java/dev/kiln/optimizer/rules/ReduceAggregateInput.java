package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.type.Schema;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import dev.kiln.optimizer.cost.Estimator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Semi-join reduction of a grouped aggregate that an INNER join filters by its group keys:
 * {@code Agg(X) ⋈ Y on Agg.k = Y.c} becomes {@code Agg(X ⋉ Y on X.k = Y.c) ⋈ Y on Agg.k = Y.c}.
 * Rows of a group are kept or dropped together (the semi join tests only the group key), so the
 * groups that survive have exactly their old aggregates, and the groups dropped (including a NULL
 * key) are the ones the equality could never join. It pays when Y is small and X is large — the
 * decorrelated correlated sub-query shape of TPC-H Q17, Q20 and Q2, where the whole of lineitem or
 * partsupp would otherwise be aggregated to join a few hundred groups: it fires only when Y is
 * estimated at most a tenth of X and the semi join keeps at most a tenth of X (so not when Y
 * holds every group anyway, as in Q15). Y is then evaluated twice (a small build side each time).
 */
public final class ReduceAggregateInput implements Rule {
    /** Y must be this many times smaller than the aggregate's input. */
    static final double MIN_REDUCTION = 10;

    public String name() {
        return "reduce-aggregate-input";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Join j) || j.kind() != JoinKind.INNER) return Optional.empty();
        Optional<Rel> r = reduce(j, true, ctx);
        return r.isPresent() ? r : reduce(j, false, ctx);
    }

    private Optional<Rel> reduce(Join j, boolean aggOnLeft, RuleContext ctx) {
        Rel x = aggOnLeft ? j.left() : j.right();
        Rel y = aggOnLeft ? j.right() : j.left();
        // the aggregate, possibly under a projection (decorrelated EXISTS adds a constant column)
        Optional<dev.kiln.ir.rel.Project> above = x instanceof dev.kiln.ir.rel.Project p ? Optional.of(p) : Optional.empty();
        Rel under = above.<Rel>map(dev.kiln.ir.rel.Project::input).orElse(x);
        if (!(under instanceof Aggregate agg) || agg.groupKeys().isEmpty()) return Optional.empty();
        // already reduced by this very Y
        if (agg.input() instanceof Join semi && semi.kind() == JoinKind.SEMI && semi.right().equals(y)) return Optional.empty();
        int lw = j.left().schema().size();
        int xOffset = aggOnLeft ? 0 : lw;
        int yOffset = aggOnLeft ? lw : 0;
        int keys = agg.groupKeys().size();
        List<int[]> pairs = new ArrayList<>(); // (group key position, y column)
        for (Expr c : Exprs.conjuncts(j.condition())) {
            if (!(c instanceof Call call) || call.op() != Op.EQ) continue;
            if (!(call.args().get(0) instanceof ColumnRef a) || !(call.args().get(1) instanceof ColumnRef b)) continue;
            int[] pair = keyPair(a.index(), b.index(), xOffset, keys, yOffset, y.schema().size(), above);
            if (pair == null) pair = keyPair(b.index(), a.index(), xOffset, keys, yOffset, y.schema().size(), above);
            if (pair != null) pairs.add(pair);
        }
        if (pairs.isEmpty()) return Optional.empty();
        Schema in = agg.input().schema();
        int inWidth = in.size();
        List<Expr> equalities = new ArrayList<>();
        for (int[] p : pairs) {
            int inCol = agg.groupKeys().get(p[0]);
            ColumnRef key = new ColumnRef(inCol, in.field(inCol).type(), in.field(inCol).nullable());
            ColumnRef other = new ColumnRef(inWidth + p[1], y.schema().field(p[1]).type(), y.schema().field(p[1]).nullable());
            equalities.add(TypeRules.compare(Op.EQ, key, other));
        }
        // a copy of Y: every operator of a plan is its own object (EXPLAIN ANALYZE counts rows per object)
        Rel reducedInput = new Join(agg.input(), copy(y), JoinKind.SEMI, TypeRules.and(equalities));
        Estimator est = new Estimator(ctx.statistics());
        double inputRows = est.rows(agg.input());
        double yRows = est.rows(y);
        // worth it only if the semi join is cheap (small Y) and really drops most of the input
        if (!(yRows * MIN_REDUCTION <= inputRows && est.rows(reducedInput) * MIN_REDUCTION <= inputRows)) return Optional.empty();
        Aggregate reduced = new Aggregate(reducedInput, agg.groupKeys(), agg.aggs());
        ctx.note(String.format(java.util.Locale.ROOT, "aggregate input of %s rows reduced by a semi join with %s rows on its group key%s",
                Estimator.format(inputRows), Estimator.format(yRows), pairs.size() > 1 ? "s" : ""));
        Rel newX = above.<Rel>map(p -> p.withInputs(List.of(reduced))).orElse(reduced);
        return Optional.of(aggOnLeft ? new Join(newX, y, JoinKind.INNER, j.condition()) : new Join(y, newX, JoinKind.INNER, j.condition()));
    }

    private static Rel copy(Rel r) {
        return switch (r) {
            case dev.kiln.ir.rel.TableScan s -> new dev.kiln.ir.rel.TableScan(s.table(), s.columns());
            case dev.kiln.ir.rel.Values v -> new dev.kiln.ir.rel.Values(v.schema(), v.rows());
            default -> r.withInputs(r.inputs().stream().map(ReduceAggregateInput::copy).toList());
        };
    }

    /**
     * (group key position, y column) if {@code xCol} is a group key of the aggregate side (through
     * the projection above it, if any, as a plain column) and {@code yCol} a column of y.
     */
    private static int[] keyPair(int xCol, int yCol, int xOffset, int keys, int yOffset, int yWidth, Optional<dev.kiln.ir.rel.Project> above) {
        int k = xCol - xOffset;
        int c = yCol - yOffset;
        if (above.isPresent()) {
            if (k < 0 || k >= above.get().exprs().size() || !(above.get().exprs().get(k) instanceof ColumnRef r)) return null;
            k = r.index();
        }
        if (k < 0 || k >= keys || c < 0 || c >= yWidth) return null;
        return new int[] {k, c};
    }
}
