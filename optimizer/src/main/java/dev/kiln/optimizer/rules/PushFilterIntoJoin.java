package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Rel;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves the conjuncts of a filter above a join to where they belong: onto the left input when
 * they read only left columns and the join never invents left rows (INNER, LEFT, SEMI, ANTI: a
 * left row's output rows all carry its own values, so dropping it early drops the same rows);
 * onto the right input for INNER and RIGHT joins, symmetrically; and into the condition of an
 * INNER join when they read both sides — which is how comma joins with WHERE equalities become
 * equi-joins (join-condition extraction). On the NULL-padded side of an outer join a predicate
 * must stay above, since it also sees the padded rows (e.g. {@code o_orderkey IS NULL}).
 */
public final class PushFilterIntoJoin implements Rule {
    public String name() {
        return "push-filter-into-join";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Filter f) || !(f.input() instanceof Join j)) return Optional.empty();
        if (!j.kind().projectsLeft()) return pushIntoKeptRight(f, j);
        boolean leftDown = switch (j.kind()) {
            case INNER, LEFT, SEMI, ANTI -> true;
            case RIGHT, FULL, RIGHT_SEMI, RIGHT_ANTI -> false;
        };
        boolean rightDown = j.kind() == JoinKind.INNER || j.kind() == JoinKind.RIGHT;
        int lw = j.left().schema().size();
        List<Expr> left = new ArrayList<>();
        List<Expr> right = new ArrayList<>();
        List<Expr> cond = new ArrayList<>();
        List<Expr> stay = new ArrayList<>();
        for (Expr c : Exprs.conjuncts(f.condition())) {
            Sides s = Sides.of(c, lw);
            if (s == Sides.LEFT && leftDown) {
                left.add(c);
            } else if (s == Sides.RIGHT && rightDown) {
                right.add(Exprs.shift(c, -lw));
            } else if (s == Sides.BOTH && j.kind() == JoinKind.INNER) {
                cond.add(c);
            } else {
                stay.add(c);
            }
        }
        if (left.isEmpty() && right.isEmpty() && cond.isEmpty()) return Optional.empty();
        Rel l = left.isEmpty() ? j.left() : new Filter(j.left(), Exprs.and(left));
        Rel r = right.isEmpty() ? j.right() : new Filter(j.right(), Exprs.and(right));
        List<Expr> all = new ArrayList<>(Exprs.conjuncts(j.condition()));
        all.addAll(cond);
        Rel joined = new Join(l, r, j.kind(), Exprs.and(all));
        return Optional.of(stay.isEmpty() ? joined : new Filter(joined, Exprs.and(stay)));
    }

    /** RIGHT_SEMI/RIGHT_ANTI output the right row alone: a filter over it filters the right input. */
    private static Optional<Rel> pushIntoKeptRight(Filter f, Join j) {
        return Optional.of(new Join(j.left(), new Filter(j.right(), f.condition()), j.kind(), j.condition()));
    }
}
