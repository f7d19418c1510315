package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.Rel;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A disjunction in a join condition whose every branch restricts one input implies the
 * disjunction of those restrictions on that input alone: from {@code (p_brand = 'Brand#12' AND
 * l_quantity <= 11 AND p_size <= 5) OR (p_brand = 'Brand#23' AND l_quantity <= 20 AND p_size <=
 * 10)} follows {@code (p_brand = 'Brand#12' AND p_size <= 5) OR (p_brand = 'Brand#23' AND p_size
 * <= 10)} on part and {@code l_quantity <= 11 OR l_quantity <= 20} on lineitem. The implied
 * filters go onto the inputs (pushdown then takes them to the scans, and the estimator sees them);
 * the disjunction itself stays in the join condition, since the filters together are weaker. TPC-H
 * Q19 builds its hash table on the few hundred parts that can match instead of all of them; Q7
 * reads only its two nations on each side.
 *
 * <p>Only where the join kind lets a predicate on that input filter it first (as for
 * {@link PushJoinConditionDown}). Each disjunction is expanded once per optimization: the implied
 * filters move away from the join while the disjunction stays, and would imply them again. A join
 * equal to one rewritten earlier (the second copy of a view or a decorrelated sub-query) gets the
 * same rewrite, so that the copies stay equal and are still computed once.
 */
public final class ExtractOrRestrictions implements Rule {
    public String name() {
        return "or-restrictions";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Join j)) return Optional.empty();
        Optional<Object> earlier = ctx.recall(List.of(name(), j));
        if (earlier.isPresent()) return Optional.of((Rel) earlier.get());
        int lw = j.left().schema().size();
        boolean leftOk = PushJoinConditionDown.leftRestrictable(j.kind());
        boolean rightOk = PushJoinConditionDown.rightRestrictable(j.kind());
        List<Expr> left = new ArrayList<>();
        List<Expr> right = new ArrayList<>();
        for (Expr c : Exprs.conjuncts(j.condition())) {
            if (!(c instanceof Call or) || or.op() != Op.OR || Sides.of(c, lw) != Sides.BOTH) continue;
            Optional<Expr> l = leftOk ? implied(or, lw, Sides.LEFT) : Optional.empty();
            Optional<Expr> r = rightOk ? implied(or, lw, Sides.RIGHT) : Optional.empty();
            if ((l.isEmpty() && r.isEmpty()) || !ctx.firstTime(List.of(name(), c))) continue;
            l.ifPresent(left::add);
            r.ifPresent(e -> right.add(Exprs.shift(e, -lw)));
            ctx.note("a disjunction of " + or.args().size() + " branches implies a filter on the " + (l.isPresent() && r.isPresent() ? "left and the right input"
                    : l.isPresent() ? "left input" : "right input"));
        }
        if (left.isEmpty() && right.isEmpty()) return Optional.empty();
        Rel l = left.isEmpty() ? j.left() : new Filter(j.left(), Exprs.and(left));
        Rel r = right.isEmpty() ? j.right() : new Filter(j.right(), Exprs.and(right));
        Join out = new Join(l, r, j.kind(), j.condition());
        ctx.remember(List.of(name(), j), out);
        return Optional.of(out);
    }

    /** OR over the branches of the AND of each branch's conjuncts that read only {@code side}; empty if a branch has none. */
    private static Optional<Expr> implied(Call or, int lw, Sides side) {
        List<Expr> branches = new ArrayList<>();
        for (Expr branch : or.args()) {
            List<Expr> own = Exprs.conjuncts(branch).stream().filter(x -> Sides.of(x, lw) == side).toList();
            if (own.isEmpty()) return Optional.empty(); // this branch lets every row of the side through
            branches.add(Exprs.and(own));
        }
        return Optional.of(branches.size() == 1 ? branches.getFirst() : TypeRules.or(branches));
    }
}
