package dev.kiln.ir.rel;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** Every expression of a plan: visited, or rewritten node by node (the plan rebuilt only where something changed). */
public final class PlanExprs {
    private PlanExprs() {}

    /** Calls {@code f} on every expression node of every operator. */
    public static void visit(Rel rel, Consumer<Expr> f) {
        for (Rel in : rel.inputs()) visit(in, f);
        for (Expr e : exprs(rel)) Exprs.visit(e, f);
    }

    /** The plan with {@link Exprs#rewrite} applied to every expression of every operator. */
    public static Rel rewrite(Rel rel, Function<Expr, Expr> f) {
        List<Rel> inputs = rel.inputs().stream().map(in -> rewrite(in, f)).toList();
        Rel r = inputs.equals(rel.inputs()) ? rel : rel.withInputs(inputs);
        return switch (r) {
            case Filter x -> new Filter(x.input(), Exprs.rewrite(x.condition(), f));
            case Join x -> new Join(x.left(), x.right(), x.kind(), Exprs.rewrite(x.condition(), f));
            case Project x -> new Project(x.input(), x.exprs().stream().map(e -> Exprs.rewrite(e, f)).toList(), x.names());
            case Values x -> new Values(x.schema(), x.rows().stream().map(row -> row.stream().map(e -> Exprs.rewrite(e, f)).toList()).toList());
            case TableScan x -> x;
            case Aggregate x -> x;
            case Sort x -> x;
            case Union x -> x;
            case SessionWindow x -> x;
            case Infer x -> x;
        };
    }

    private static List<Expr> exprs(Rel rel) {
        return switch (rel) {
            case Filter x -> List.of(x.condition());
            case Join x -> List.of(x.condition());
            case Project x -> x.exprs();
            case Values x -> x.rows().stream().flatMap(List::stream).toList();
            case TableScan x -> List.of();
            case Aggregate x -> List.of();
            case Sort x -> List.of();
            case Union x -> List.of();
            case SessionWindow x -> List.of();
            case Infer x -> List.of();
        };
    }
}
