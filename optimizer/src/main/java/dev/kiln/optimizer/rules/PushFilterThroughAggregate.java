package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Conjuncts of a filter above an aggregate that read only group keys filter its input instead. */
public final class PushFilterThroughAggregate implements Rule {
    public String name() {
        return "push-filter-through-aggregate";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Filter f) || !(f.input() instanceof Aggregate a) || a.groupKeys().isEmpty()) return Optional.empty();
        int keys = a.groupKeys().size();
        List<Expr> down = new ArrayList<>();
        List<Expr> stay = new ArrayList<>();
        for (Expr c : Exprs.conjuncts(f.condition())) {
            var used = Exprs.columnsUsed(c);
            if (!used.isEmpty() && used.length() <= keys) {
                down.add(Exprs.rewrite(c, x -> x instanceof ColumnRef r ? new ColumnRef(a.groupKeys().get(r.index()), r.type(), r.nullable()) : x));
            } else {
                stay.add(c);
            }
        }
        if (down.isEmpty()) return Optional.empty();
        Rel agg = new Aggregate(new Filter(a.input(), Exprs.and(down)), a.groupKeys(), a.aggs());
        return Optional.of(stay.isEmpty() ? agg : new Filter(agg, Exprs.and(stay)));
    }
}
