package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Infer;
import dev.kiln.ir.rel.Rel;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Filter(Infer(x), p ∧ q) → Filter(Infer(Filter(x, p)), q) where p reads none of the model's
 * outputs: a row the filter drops anyway is never run through the model, which is by far the most
 * expensive thing the plan does per row. A cross-domain rule: a relational predicate moves below
 * a tensor program.
 */
public final class PushFilterBelowInference implements Rule {
    public String name() {
        return "push-filter-below-inference";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Filter f) || !(f.input() instanceof Infer inf)) return Optional.empty();
        int width = inf.input().schema().size();
        List<Expr> below = new ArrayList<>();
        List<Expr> above = new ArrayList<>();
        for (Expr c : Exprs.conjuncts(f.condition())) {
            (Exprs.columnsUsed(c).nextSetBit(width) < 0 ? below : above).add(c);
        }
        if (below.isEmpty()) return Optional.empty();
        Rel pushed = inf.withInputs(List.of(new Filter(inf.input(), Exprs.and(below))));
        return Optional.of(above.isEmpty() ? pushed : new Filter(pushed, Exprs.and(above)));
    }
}
