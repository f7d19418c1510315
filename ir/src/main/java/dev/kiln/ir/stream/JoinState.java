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
 * @param bound     what the condition says of the two sides' event times, which lets the
 *                  watermark drop rows that can match no future row
 */
public record JoinState(Delta left, Delta right, JoinKind kind, Expr condition, Schema schema, java.util.Optional<TimeBound> bound) implements Delta {
    /**
     * The join condition holds only where {@code lo <= left.t - right.t <= hi} (in microseconds),
     * {@code t} being each side's event-time column ({@code leftTime}, {@code rightTime}: indexes
     * into the sides' rows). Future rows are on time (event time at or after the watermark), so a
     * left row with {@code t < watermark + lo} and a right row with {@code t < watermark - hi} can
     * match none of them: the state drops them.
     */
    public record TimeBound(int leftTime, int rightTime, java.util.OptionalLong lo, java.util.OptionalLong hi) {}

    @Override
    public List<Delta> inputs() {
        return List.of(left, right);
    }
}
