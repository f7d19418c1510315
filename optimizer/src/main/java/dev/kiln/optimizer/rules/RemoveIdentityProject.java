package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.Optional;

/** A projection that returns its input's columns unchanged, in order and with the same names, goes. */
public final class RemoveIdentityProject implements Rule {
    public String name() {
        return "remove-identity-project";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Project p)) return Optional.empty();
        if (p.exprs().size() != p.input().schema().size()) return Optional.empty();
        for (int i = 0; i < p.exprs().size(); i++) {
            if (!(p.exprs().get(i) instanceof ColumnRef r) || r.index() != i) return Optional.empty();
            if (!p.names().get(i).equals(p.input().schema().field(i).name())) return Optional.empty();
        }
        return Optional.of(p.input());
    }
}
