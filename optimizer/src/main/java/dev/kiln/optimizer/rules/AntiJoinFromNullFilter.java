package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code L LEFT JOIN R ON c WHERE r IS NULL}, with {@code r} a column that R never leaves NULL,
 * keeps exactly the left rows that matched nothing: it is {@code L ANTI JOIN R ON c}, with the
 * right columns NULL. This is how a decorrelated NOT EXISTS arrives (TPC-H Q22: a LEFT join with
 * the distinct customer keys of orders and a {@code TRUE} marker column tested for NULL), and an
 * anti join neither pads rows nor needs the right side distinct; the right columns become NULL
 * literals in a projection that column pruning removes when nothing reads them.
 */
public final class AntiJoinFromNullFilter implements Rule {
    public String name() {
        return "anti-join-from-null-filter";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Filter f) || !(f.input() instanceof Join j) || j.kind() != JoinKind.LEFT) return Optional.empty();
        int lw = j.left().schema().size();
        Schema right = j.right().schema();
        List<Expr> rest = new ArrayList<>();
        boolean found = false;
        for (Expr c : Exprs.conjuncts(f.condition())) {
            if (!found && c instanceof Call call && call.op() == Op.IS_NULL && call.args().getFirst() instanceof ColumnRef r
                    && r.index() >= lw && !right.field(r.index() - lw).nullable()) {
                found = true;
            } else {
                rest.add(c);
            }
        }
        if (!found) return Optional.empty();
        Join anti = new Join(j.left(), j.right(), JoinKind.ANTI, j.condition());
        List<Expr> exprs = new ArrayList<>();
        Schema joined = j.schema();
        for (int i = 0; i < lw; i++) {
            Field fl = joined.field(i);
            exprs.add(new ColumnRef(i, fl.type(), fl.nullable()));
        }
        for (Field fr : right.fields()) exprs.add(new NullLiteral(fr.type()));
        Rel padded = new Project(anti, exprs, joined.names());
        return Optional.of(rest.isEmpty() ? padded : new Filter(padded, Exprs.and(rest)));
    }
}
