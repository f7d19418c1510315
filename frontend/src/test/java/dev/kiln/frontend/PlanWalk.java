package dev.kiln.frontend;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.InList;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Values;
import java.util.ArrayList;
import java.util.List;

/** Collects nodes and expressions of a plan for structural assertions. */
final class PlanWalk {
    private PlanWalk() {}

    static List<Rel> nodes(Rel rel) {
        List<Rel> out = new ArrayList<>();
        out.add(rel);
        for (Rel in : rel.inputs()) out.addAll(nodes(in));
        return out;
    }

    static List<AggCall> aggCalls(Rel rel) {
        return nodes(rel).stream().filter(n -> n instanceof Aggregate).flatMap(n -> ((Aggregate) n).aggs().stream()).toList();
    }

    static List<Expr> exprs(Rel rel) {
        List<Expr> roots = new ArrayList<>();
        for (Rel n : nodes(rel)) {
            switch (n) {
                case Filter f -> roots.add(f.condition());
                case Project p -> roots.addAll(p.exprs());
                case Join j -> roots.add(j.condition());
                case Values v -> v.rows().forEach(roots::addAll);
                default -> { }
            }
        }
        List<Expr> all = new ArrayList<>();
        for (Expr e : roots) subExprs(e, all);
        return all;
    }

    private static void subExprs(Expr e, List<Expr> out) {
        out.add(e);
        switch (e) {
            case Call c -> c.args().forEach(a -> subExprs(a, out));
            case Cast c -> subExprs(c.input(), out);
            case Case c -> {
                c.branches().forEach(w -> { subExprs(w.condition(), out); subExprs(w.result(), out); });
                subExprs(c.otherwise(), out);
            }
            case InList i -> { subExprs(i.value(), out); i.list().forEach(a -> subExprs(a, out)); }
            default -> { }
        }
    }

    static List<InList> inLists(Rel rel) {
        return exprs(rel).stream().filter(e -> e instanceof InList).map(e -> (InList) e).toList();
    }
}
