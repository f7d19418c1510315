package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.List;
import java.util.Optional;

/** Folds constant subexpressions in filters, projections and join conditions. */
public final class FoldConstants implements Rule {
    public String name() {
        return "fold-constants";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        return switch (node) {
            case Filter f -> changed(f.condition()).map(c -> new Filter(f.input(), c));
            case Join j -> changed(j.condition()).map(c -> new Join(j.left(), j.right(), j.kind(), c));
            case Project p -> {
                List<Expr> folded = p.exprs().stream().map(ConstantFolder::fold).toList();
                yield folded.equals(p.exprs()) ? Optional.empty() : Optional.of(new Project(p.input(), folded, p.names()));
            }
            default -> Optional.empty();
        };
    }

    private static Optional<Expr> changed(Expr e) {
        Expr f = ConstantFolder.fold(e);
        return f.equals(e) ? Optional.empty() : Optional.of(f);
    }
}
