package dev.kiln.ir.expr;

import dev.kiln.ir.type.DataType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;

/** Small structural helpers over expressions. */
public final class Exprs {
    private Exprs() {}

    public static final Literal TRUE = Literal.of(true);
    public static final Literal FALSE = Literal.of(false);

    /** The AND-ed parts of a predicate (a single element if it is not an AND). */
    public static List<Expr> conjuncts(Expr e) {
        List<Expr> out = new ArrayList<>();
        collectConjuncts(e, out);
        return out;
    }

    private static void collectConjuncts(Expr e, List<Expr> out) {
        if (e instanceof Call c && c.op() == Op.AND) {
            for (Expr a : c.args()) collectConjuncts(a, out);
        } else {
            out.add(e);
        }
    }

    /** AND of the parts; TRUE for none. */
    public static Expr and(List<Expr> parts) {
        List<Expr> flat = new ArrayList<>();
        for (Expr p : parts) {
            for (Expr c : conjuncts(p)) {
                if (!c.equals(TRUE)) flat.add(c);
            }
        }
        if (flat.isEmpty()) return TRUE;
        if (flat.size() == 1) return flat.getFirst();
        boolean nullable = flat.stream().anyMatch(Expr::nullable);
        return new Call(Op.AND, flat, DataType.BOOLEAN, nullable);
    }

    public static Expr and(Expr... parts) {
        return and(List.of(parts));
    }

    /** Columns the expression reads. */
    public static BitSet columnsUsed(Expr e) {
        BitSet bits = new BitSet();
        visit(e, x -> {
            if (x instanceof ColumnRef r) bits.set(r.index());
        });
        return bits;
    }

    public static void visit(Expr e, java.util.function.Consumer<Expr> f) {
        f.accept(e);
        for (Expr child : children(e)) visit(child, f);
    }

    public static List<Expr> children(Expr e) {
        return switch (e) {
            case ColumnRef r -> List.of();
            case Literal l -> List.of();
            case NullLiteral n -> List.of();
            case Call c -> c.args();
            case Cast c -> List.of(c.input());
            case Case c -> {
                List<Expr> all = new ArrayList<>();
                for (Case.When w : c.branches()) {
                    all.add(w.condition());
                    all.add(w.result());
                }
                all.add(c.otherwise());
                yield all;
            }
            case InList in -> {
                List<Expr> all = new ArrayList<>();
                all.add(in.value());
                all.addAll(in.list());
                yield all;
            }
        };
    }

    /** Rebuilds {@code e} bottom-up, applying {@code f} to every node after its children. */
    public static Expr rewrite(Expr e, Function<Expr, Expr> f) {
        Expr rebuilt = switch (e) {
            case ColumnRef r -> r;
            case Literal l -> l;
            case NullLiteral n -> n;
            case Call c -> new Call(c.op(), c.args().stream().map(a -> rewrite(a, f)).toList(), c.type(), c.nullable());
            case Cast c -> new Cast(rewrite(c.input(), f), c.type());
            case Case c -> new Case(
                    c.branches().stream().map(w -> new Case.When(rewrite(w.condition(), f), rewrite(w.result(), f))).toList(),
                    rewrite(c.otherwise(), f), c.type(), c.nullable());
            case InList in -> new InList(rewrite(in.value(), f), in.list().stream().map(a -> rewrite(a, f)).toList(), in.nullable());
        };
        return f.apply(rebuilt);
    }

    /** Renumbers column references: column i becomes {@code mapping[i]} (which must be >= 0). */
    public static Expr remap(Expr e, int[] mapping) {
        return rewrite(e, x -> {
            if (x instanceof ColumnRef r) {
                int to = mapping[r.index()];
                if (to < 0) throw new IllegalStateException("column #" + r.index() + " is not available after remapping");
                return new ColumnRef(to, r.type(), r.nullable());
            }
            return x;
        });
    }

    /** Adds {@code delta} to every column reference. */
    public static Expr shift(Expr e, int delta) {
        return rewrite(e, x -> x instanceof ColumnRef r ? new ColumnRef(r.index() + delta, r.type(), r.nullable()) : x);
    }
}
