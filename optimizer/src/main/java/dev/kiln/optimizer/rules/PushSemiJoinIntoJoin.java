package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Rel;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import dev.kiln.optimizer.cost.Estimator;
import java.util.BitSet;
import java.util.Optional;

/**
 * Semi/anti-join placement: a SEMI or ANTI join over an INNER join whose condition reads the
 * left row's columns from one input of the INNER join only moves onto that input. Whether a row
 * is kept depends only on those columns, and every output row of the INNER join carries its
 * input row's values, so filtering before the join keeps the same rows. It moves only when that
 * input is estimated to have no more rows than the INNER join's output (the semi join then probes
 * no more rows, and the INNER join gets fewer), or, onto the INNER join's probe side, when it
 * keeps fewer of that side's rows than the INNER join does (both probe the side's rows in one
 * pipeline; the more selective goes first): e.g. TPC-H Q18's IN sub-query lands on orders before
 * the join with lineitem, Q2's parts on partsupp before the suppliers, while Q21's EXISTS stays
 * above the joins that shrink lineitem.
 */
public final class PushSemiJoinIntoJoin implements Rule {
    public String name() {
        return "push-semi-join-into-join";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Join semi) || (semi.kind() != JoinKind.SEMI && semi.kind() != JoinKind.ANTI)) return Optional.empty();
        if (semi.left() instanceof dev.kiln.ir.rel.Project p && p.input() instanceof Join j && j.kind() == JoinKind.INNER
                && p.exprs().stream().allMatch(e -> e instanceof dev.kiln.ir.expr.ColumnRef)) {
            // through a projection that only picks columns: the semi join over the join itself
            // (the projection's columns in the condition read the join's; the right input's
            // columns move to after the join's), pushed, under the same projection
            int pw = p.schema().size();
            int jw = j.schema().size();
            Expr cond = Exprs.rewrite(semi.condition(), e -> {
                if (!(e instanceof dev.kiln.ir.expr.ColumnRef r)) return e;
                if (r.index() < pw) return p.exprs().get(r.index());
                return new dev.kiln.ir.expr.ColumnRef(r.index() - pw + jw, r.type(), r.nullable());
            });
            return apply(new Join(j, semi.right(), semi.kind(), cond), ctx).map(pushed -> new dev.kiln.ir.rel.Project(pushed, p.exprs(), p.names()));
        }
        if (!(semi.left() instanceof Join inner) || inner.kind() != JoinKind.INNER) return Optional.empty();
        int la = inner.left().schema().size();
        int lw = inner.schema().size();
        BitSet cols = Exprs.columnsUsed(semi.condition());
        BitSet left = cols.get(0, lw);
        if (left.isEmpty()) return Optional.empty();
        boolean inA = left.nextSetBit(la) < 0;
        boolean inB = left.nextSetBit(0) >= la;
        if (!inA && !inB) return Optional.empty();
        Estimator est = new Estimator(ctx.statistics());
        Rel target = inA ? inner.left() : inner.right();
        if (inA) {
            // A's columns keep their places; the right input's columns move back by B's width
            int lb = lw - la;
            Expr cond = Exprs.rewrite(semi.condition(), e -> e instanceof dev.kiln.ir.expr.ColumnRef r && r.index() >= lw
                    ? new dev.kiln.ir.expr.ColumnRef(r.index() - lb, r.type(), r.nullable()) : e);
            Join pushed = new Join(inner.left(), semi.right(), semi.kind(), cond);
            // A is the INNER join's probe side, streamed through one pipeline with both probes:
            // each of A's rows is probed into the first table, the survivors into the second, so
            // the more selective of the two goes first (TPC-H Q2: the sub-query's parts, 0.2% of
            // partsupp, before the European suppliers, 20%)
            if (est.rows(target) > est.rows(inner) && est.rows(pushed) >= est.rows(inner)) return Optional.empty();
            return Optional.of(new Join(pushed, inner.right(), JoinKind.INNER, inner.condition()));
        }
        if (est.rows(target) > est.rows(inner)) return Optional.empty();
        Expr cond = Exprs.shift(semi.condition(), -la); // B's columns and the right input's both move back by A's width
        return Optional.of(new Join(inner.left(), new Join(inner.right(), semi.right(), semi.kind(), cond), JoinKind.INNER, inner.condition()));
    }
}
