package dev.kiln.ir.stream;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.type.Schema;
import java.util.List;

/**
 * A join of two changing relations. Both sides are integrated (the operator keeps every row seen,
 * with its multiplicity), and the change of the join is {@code dL ⋈ R + L' ⋈ dR} where L' is the
 * left side before this batch and R the right side after it - three delta joins folded into two,
 * each an ordinary compiled join; output weights are the products of the input weights.
 *
 * @param condition over the left row followed by the right row, as in {@link dev.kiln.ir.rel.Join}
 * @param schema    left columns, right columns, weight
 */
public record JoinState(Delta left, Delta right, JoinKind kind, Expr condition, Schema schema) implements Delta {
    @Override
    public List<Delta> inputs() {
        return List.of(left, right);
    }
}
