package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Values;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.List;
import java.util.Optional;

/** A filter on TRUE disappears; a filter on FALSE or NULL becomes an empty relation. */
public final class SimplifyFilter implements Rule {
    public String name() {
        return "simplify-filter";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Filter f)) return Optional.empty();
        if (f.condition() instanceof Literal l && Boolean.TRUE.equals(l.value())) return Optional.of(f.input());
        if (f.condition() instanceof NullLiteral || (f.condition() instanceof Literal l && Boolean.FALSE.equals(l.value()))) {
            return Optional.of(new Values(f.schema(), List.of()));
        }
        return Optional.empty();
    }
}
