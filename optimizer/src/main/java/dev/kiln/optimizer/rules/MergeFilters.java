package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.Optional;

/** Filter(Filter(x, a), b) → Filter(x, a AND b). */
public final class MergeFilters implements Rule {
    public String name() {
        return "merge-filters";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (node instanceof Filter outer && outer.input() instanceof Filter inner) {
            return Optional.of(new Filter(inner.input(), Exprs.and(inner.condition(), outer.condition())));
        }
        return Optional.empty();
    }
}
