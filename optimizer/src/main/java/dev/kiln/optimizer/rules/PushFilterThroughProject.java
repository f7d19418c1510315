package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.Optional;

/** Filter(Project(x, e), p) → Project(Filter(x, p with e substituted), e). */
public final class PushFilterThroughProject implements Rule {
    public String name() {
        return "push-filter-through-project";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Filter f) || !(f.input() instanceof Project p)) return Optional.empty();
        Expr pushed = substitute(f.condition(), p);
        return Optional.of(new Project(new Filter(p.input(), pushed), p.exprs(), p.names()));
    }

    static Expr substitute(Expr e, Project p) {
        return Exprs.rewrite(e, x -> x instanceof ColumnRef r ? p.exprs().get(r.index()) : x);
    }
}
