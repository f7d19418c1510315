package dev.kiln.ir.rel;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a join condition into equi-join keys (left column = right column) and a residual
 * predicate over the combined row. Keys are what a hash join builds and probes on.
 */
public final class JoinConditions {
    private JoinConditions() {}

    /**
     * @param leftKeys  columns of the left input
     * @param rightKeys columns of the right input (0-based within the right input)
     * @param residual  conjuncts that are not simple equalities, over the combined row
     */
    public record Analysis(List<Integer> leftKeys, List<Integer> rightKeys, List<Expr> residual) {
        public boolean isEquiJoin() {
            return !leftKeys.isEmpty();
        }
    }

    public static Analysis analyze(Join join) {
        return analyze(join.condition(), join.left().schema().size());
    }

    public static Analysis analyze(Expr condition, int leftWidth) {
        List<Integer> lk = new ArrayList<>();
        List<Integer> rk = new ArrayList<>();
        List<Expr> residual = new ArrayList<>();
        for (Expr c : Exprs.conjuncts(condition)) {
            if (c instanceof Call call && call.op() == Op.EQ
                    && call.arg(0) instanceof ColumnRef a && call.arg(1) instanceof ColumnRef b
                    && a.type().equals(b.type())) {
                if (a.index() < leftWidth && b.index() >= leftWidth) {
                    lk.add(a.index());
                    rk.add(b.index() - leftWidth);
                    continue;
                }
                if (b.index() < leftWidth && a.index() >= leftWidth) {
                    lk.add(b.index());
                    rk.add(a.index() - leftWidth);
                    continue;
                }
            }
            if (!(c instanceof dev.kiln.ir.expr.Literal l && Boolean.TRUE.equals(l.value()))) {
                residual.add(c);
            }
        }
        return new Analysis(List.copyOf(lk), List.copyOf(rk), List.copyOf(residual));
    }
}
