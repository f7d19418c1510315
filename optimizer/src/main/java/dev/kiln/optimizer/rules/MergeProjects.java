package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.List;
import java.util.Optional;

/**
 * Project(Project(x, inner), outer) → one Project, unless that would compute a non-trivial inner
 * expression more than once.
 */
public final class MergeProjects implements Rule {
    public String name() {
        return "merge-projects";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Project outer) || !(outer.input() instanceof Project inner)) return Optional.empty();
        int[] uses = new int[inner.exprs().size()];
        for (Expr e : outer.exprs()) Exprs.visit(e, x -> {
            if (x instanceof ColumnRef r) uses[r.index()]++;
        });
        for (int i = 0; i < uses.length; i++) {
            if (uses[i] > 1 && !(inner.exprs().get(i) instanceof ColumnRef)) return Optional.empty();
        }
        List<Expr> merged = outer.exprs().stream().map(e -> PushFilterThroughProject.substitute(e, inner)).toList();
        return Optional.of(new Project(inner.input(), merged, outer.names()));
    }
}
