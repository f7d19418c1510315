package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.type.DataType;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * (a AND b) OR (a AND c) → a AND (b OR c): a conjunct common to every branch of a disjunction is
 * pulled out, so that it can become a join key or be pushed to one side (TPC-H Q19 repeats its
 * join equality in each branch).
 */
public final class FactorDisjunctions implements Rule {
    public String name() {
        return "factor-disjunctions";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        return switch (node) {
            case Filter f -> factor(f.condition()).map(c -> new Filter(f.input(), c));
            case Join j -> factor(j.condition()).map(c -> new Join(j.left(), j.right(), j.kind(), c));
            default -> Optional.empty();
        };
    }

    static Optional<Expr> factor(Expr condition) {
        boolean changed = false;
        List<Expr> out = new ArrayList<>();
        for (Expr c : Exprs.conjuncts(condition)) {
            Optional<List<Expr>> f = factorOr(c);
            if (f.isPresent()) {
                out.addAll(f.get());
                changed = true;
            } else {
                out.add(c);
            }
        }
        return changed ? Optional.of(Exprs.and(out)) : Optional.empty();
    }

    private static Optional<List<Expr>> factorOr(Expr e) {
        if (!(e instanceof Call or) || or.op() != Op.OR) return Optional.empty();
        List<List<Expr>> branches = or.args().stream().map(Exprs::conjuncts).toList();
        Set<Expr> common = new LinkedHashSet<>(branches.getFirst());
        for (List<Expr> b : branches) common.retainAll(b);
        if (common.isEmpty()) return Optional.empty();
        List<Expr> rest = new ArrayList<>();
        for (List<Expr> b : branches) {
            List<Expr> remaining = b.stream().filter(x -> !common.contains(x)).toList();
            if (remaining.isEmpty()) {
                // one branch is just the common part: the disjunction adds nothing
                return Optional.of(new ArrayList<>(common));
            }
            rest.add(Exprs.and(remaining));
        }
        List<Expr> result = new ArrayList<>(common);
        result.add(new Call(Op.OR, rest, DataType.BOOLEAN, rest.stream().anyMatch(Expr::nullable)));
        return Optional.of(result);
    }
}
