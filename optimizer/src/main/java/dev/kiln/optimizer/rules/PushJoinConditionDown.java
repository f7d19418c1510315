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
 * Conjuncts of a join condition that read one side only become filters on that side where the
 * join kind allows it: left-only for INNER, SEMI and RIGHT (a left row failing it can never
 * match, and none of these joins outputs unmatched left rows), right-only for INNER, LEFT, SEMI
 * and ANTI (it only narrows the right rows that may match, and no unmatched right row is output).
 * FULL joins keep every conjunct: both sides' unmatched rows are output. The mirrored kinds
 * mirror this: left-only for RIGHT_SEMI and RIGHT_ANTI, right-only for RIGHT_SEMI.
 */
public final class PushJoinConditionDown implements Rule {
    public String name() {
        return "push-join-condition-down";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Join j)) return Optional.empty();
        int lw = j.left().schema().size();
        boolean leftOk = leftRestrictable(j.kind());
        boolean rightOk = rightRestrictable(j.kind());
        List<Expr> left = new ArrayList<>();
        List<Expr> right = new ArrayList<>();
        List<Expr> stay = new ArrayList<>();
        for (Expr c : Exprs.conjuncts(j.condition())) {
            Sides s = Sides.of(c, lw);
            if (s == Sides.LEFT && leftOk) left.add(c);
            else if (s == Sides.RIGHT && rightOk) right.add(Exprs.shift(c, -lw));
            else stay.add(c);
        }
        if (left.isEmpty() && right.isEmpty()) return Optional.empty();
        Rel l = left.isEmpty() ? j.left() : new Filter(j.left(), Exprs.and(left));
        Rel r = right.isEmpty() ? j.right() : new Filter(j.right(), Exprs.and(right));
        return Optional.of(new Join(l, r, j.kind(), Exprs.and(stay)));
    }

    /** May a predicate on the left input that the condition implies filter that input before the join? */
    static boolean leftRestrictable(JoinKind kind) {
        return switch (kind) {
            case INNER, SEMI, RIGHT, RIGHT_SEMI, RIGHT_ANTI -> true;
            case LEFT, FULL, ANTI -> false;
        };
    }

    /** May a predicate on the right input that the condition implies filter that input before the join? */
    static boolean rightRestrictable(JoinKind kind) {
        return switch (kind) {
            case INNER, LEFT, SEMI, ANTI, RIGHT_SEMI -> true;
            case RIGHT, FULL, RIGHT_ANTI -> false;
        };
    }
}
