package dev.kiln.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.InList;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.stats.ColumnStats;
import dev.kiln.ir.stats.Histogram;
import dev.kiln.ir.stats.StatsKey;
import dev.kiln.ir.type.DataType;
import dev.kiln.optimizer.cost.RelEstimate;
import dev.kiln.optimizer.cost.Selectivity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Selectivities against hand-computed fractions of known distributions. */
class SelectivityTest {
    static final ColumnRef X = new ColumnRef(0, DataType.BIGINT, true);
    static final ColumnRef S = new ColumnRef(1, DataType.VARCHAR, false);
    static final ColumnRef Y = new ColumnRef(2, DataType.BIGINT, false);
    static final ColumnRef U = new ColumnRef(3, DataType.BIGINT, true);

    /** x uniform over 0..1000 (bounds every 10), 500 distinct, 20% NULL; s over 'a'..'z' words; y 50 distinct; u unknown. */
    static RelEstimate input() {
        List<Double> bounds = new ArrayList<>();
        for (int i = 0; i <= 100; i++) bounds.add(i * 10.0);
        ColumnStats x = new ColumnStats(500, 0.2, OptionalDouble.of(0), OptionalDouble.of(1000), Optional.of(new Histogram(bounds)));
        ColumnStats s = new ColumnStats(26, 0, OptionalDouble.of(StatsKey.ofString("a".getBytes())), OptionalDouble.of(StatsKey.ofString("z".getBytes())),
                Optional.empty());
        ColumnStats y = new ColumnStats(50, 0, OptionalDouble.of(1), OptionalDouble.of(50), Optional.empty());
        return new RelEstimate(10_000, List.of(Optional.of(x), Optional.of(s), Optional.of(y), Optional.empty()));
    }

    static double sel(Expr e) {
        return Selectivity.of(e, input());
    }

    static Expr cmp(Op op, Expr a, Expr b) {
        return TypeRules.compare(op, a, b);
    }

    @Test
    void rangesUseTheHistogramAndTheNonNullFraction() {
        assertEquals(0.25 * 0.8, sel(cmp(Op.LT, X, Literal.of(250L))), 1e-9);
        assertEquals(0.25 * 0.8, sel(cmp(Op.GT, Literal.of(250L), X)), 1e-9); // 250 > x is x < 250
        assertEquals((0.1 + 1.0 / 500) * 0.8, sel(TypeRules.and(List.of(cmp(Op.GE, X, Literal.of(100L)), cmp(Op.LE, X, Literal.of(200L))))), 1e-9);
        assertEquals(0, sel(TypeRules.and(List.of(cmp(Op.GT, X, Literal.of(700L)), cmp(Op.LT, X, Literal.of(300L))))), 1e-12);
        assertEquals(0.8, sel(cmp(Op.LT, X, Literal.of(5000L))), 1e-9);
        assertEquals(1.0 / 3, sel(cmp(Op.LT, U, Literal.of(5L))), 1e-12); // unknown column: default
    }

    @Test
    void equalitiesUseNdvAndMinMax() {
        assertEquals(0.8 / 500, sel(cmp(Op.EQ, X, Literal.of(10L))), 1e-12);
        assertEquals(0, sel(cmp(Op.EQ, X, Literal.of(-3L))), 1e-12); // outside [min, max]
        assertEquals(1 - 0.2 - 0.8 / 500, sel(cmp(Op.NE, X, Literal.of(10L))), 1e-12);
        assertEquals(3 * 0.8 / 500, sel(new InList(X, List.of(Literal.of(1L), Literal.of(2L), Literal.of(3L)), false)), 1e-12);
        assertEquals(1.0 / 500, sel(cmp(Op.EQ, X, Y)), 1e-12); // column = column: 1 / max(ndv)
        assertEquals(0.05, sel(cmp(Op.EQ, U, Literal.of(1L))), 1e-12);
    }

    @Test
    void nullsAndLogic() {
        assertEquals(0.2, sel(TypeRules.isNull(X, false)), 1e-12);
        assertEquals(0.8, sel(TypeRules.isNull(X, true)), 1e-12);
        assertEquals(0, sel(TypeRules.isNull(Y, false)), 1e-12); // NOT NULL column
        double a = 0.8 / 500;
        double b = 1.0 / 50;
        Expr ea = cmp(Op.EQ, X, Literal.of(10L));
        Expr eb = cmp(Op.EQ, Y, Literal.of(7L));
        assertEquals(a * b, sel(TypeRules.and(List.of(ea, eb))), 1e-12);
        assertEquals(a + b - a * b, sel(TypeRules.or(List.of(ea, eb))), 1e-12);
        assertEquals(1 - b, sel(TypeRules.not(eb)), 1e-12);
    }

    static Expr like(Literal pattern) {
        return new Call(Op.LIKE, List.of(S, pattern), DataType.BOOLEAN, false);
    }

    @Test
    void likePrefixIsARangeOverTheStringKeys() {
        // min 'a', max 'z', keys spread uniformly: 'm%' covers ['m', 'n') of ['a', 'z']
        double lo = StatsKey.ofString("a".getBytes());
        double hi = StatsKey.ofString("z".getBytes());
        double expected = (StatsKey.ofString("n".getBytes()) - StatsKey.ofString("m".getBytes())) / (hi - lo);
        assertEquals(expected, sel(like(Literal.of("m%"))), 1e-9);
        assertEquals(1.0 / 26, sel(like(Literal.of("moon"))), 1e-12); // no wildcard: an equality
        assertEquals(0.1, sel(like(Literal.of("%moon%"))), 1e-12);
    }
}
