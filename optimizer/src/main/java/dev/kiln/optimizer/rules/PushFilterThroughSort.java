package dev.kiln.optimizer.rules;

import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Sort;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.Optional;

/**
 * Filter(Sort(x), p) → Sort(Filter(x, p)) when the sort keeps every row (no LIMIT, no OFFSET):
 * filtering commutes with ordering, and the sort then has fewer rows to order. Under a top-N the
 * filter must stay above, because it decides which rows the limit counts.
 */
public final class PushFilterThroughSort implements Rule {
    public String name() {
        return "push-filter-through-sort";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Filter f) || !(f.input() instanceof Sort s)) return Optional.empty();
        if (s.limit() >= 0 || s.offset() > 0) return Optional.empty();
        return Optional.of(new Sort(new Filter(s.input(), f.condition()), s.keys(), s.offset(), s.limit()));
    }
}
