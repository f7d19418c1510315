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
 * no more rows, and the INNER join gets fewer): e.g. TPC-H Q18's IN sub-query lands on orders
 * before the join with lineitem, while Q21's EXISTS stays above the joins that shrink lineitem.
 */
public final class PushSemiJoinIntoJoin implements Rule {
    public String name() {
        return "push-semi-join-into-join";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Join semi) || (semi.kind() != JoinKind.SEMI && semi.kind() != JoinKind.ANTI)) return Optional.empty();
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
        if (est.rows(target) > est.rows(inner)) return Optional.empty();
        if (inA) {
            // A's columns keep their places; the right input's columns move back by B's width
            int lb = lw - la;
            Expr cond = Exprs.rewrite(semi.condition(), e -> e instanceof dev.kiln.ir.expr.ColumnRef r && r.index() >= lw
                    ? new dev.kiln.ir.expr.ColumnRef(r.index() - lb, r.type(), r.nullable()) : e);
            return Optional.of(new Join(new Join(inner.left(), semi.right(), semi.kind(), cond), inner.right(), JoinKind.INNER, inner.condition()));
        }
        Expr cond = Exprs.shift(semi.condition(), -la); // B's columns and the right input's both move back by A's width
        return Optional.of(new Join(inner.left(), new Join(inner.right(), semi.right(), semi.kind(), cond), JoinKind.INNER, inner.condition()));
    }
}
