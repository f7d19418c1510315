package dev.kiln.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.stats.TableStats;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import dev.kiln.optimizer.rules.ReduceAggregateInput;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** A big aggregate joined on its group key with a small input is first reduced by a semi join with it. */
class ReduceAggregateInputTest {
    /** (SELECT b, sum(a), count(*) FROM t1 GROUP BY b) ⋈ t3 on b = k, the aggregate on the left or the right. */
    static Rel plan(boolean aggLeft) {
        return plan(aggLeft, false);
    }

    /** @param flagged with a projection above the aggregate adding a constant, as decorrelated EXISTS has */
    static Rel plan(boolean aggLeft, boolean flagged) {
        Rel agg = new Aggregate(TableScan.all(Fixtures.T1), List.of(1), List.of(
                new AggCall(AggFunc.SUM, List.of(0), false, DataType.BIGINT, true, "total"),
                new AggCall(AggFunc.COUNT, List.<Integer>of(), false, DataType.BIGINT, false, "n")));
        if (flagged) {
            agg = new dev.kiln.ir.rel.Project(agg, List.of(Fixtures.ref(agg, 0), Fixtures.ref(agg, 1), Fixtures.ref(agg, 2), dev.kiln.ir.expr.Literal.of(true)),
                    List.of("b", "total", "n", "flag"));
        }
        Rel t3 = TableScan.all(Fixtures.T3);
        Rel left = aggLeft ? agg : t3;
        Rel right = aggLeft ? t3 : agg;
        Schema s = left.schema().concat(right.schema());
        int b = aggLeft ? 0 : 2;
        int k = aggLeft ? left.schema().size() : 0;
        return new Join(left, right, JoinKind.INNER, TypeRules.compare(Op.EQ, Fixtures.ref(s, b), Fixtures.ref(s, k)));
    }

    static Optimizer withRows(long t1, long t3) {
        Map<String, Long> rows = Map.of("t1", t1, "t2", 10L, "t3", t3);
        return Fixtures.only(new ReduceAggregateInput()).withStatistics(t -> Optional.of(TableStats.rowsOnly(rows.get(t.name()), t.schema().size())));
    }

    @Test
    void aLargeAggregateInputIsReducedByTheSmallSide() {
        assertEquals("""
                Join INNER on (b = k)
                  Aggregate keys=[b] aggs=[total := SUM(a), n := COUNT(*)]
                    Join SEMI on (b = k)
                      TableScan t1 [a, b, s, d]
                      TableScan t3 [k, v]
                  TableScan t3 [k, v]
                """, PlanPrinter.print(withRows(100_000, 50).optimize(plan(true)).plan()));
    }

    @Test
    void nothingChangesWhenTheOtherSideIsNotMuchSmaller() {
        Rel plan = plan(false);
        assertEquals(plan, withRows(1000, 500).optimize(plan).plan());
    }

    /** Y is small but holds every group (TPC-H Q15: all suppliers): the semi join would drop nothing. */
    @Test
    void nothingChangesWhenTheSmallSideHoldsEveryGroup() {
        Rel plan = plan(true);
        var b = new dev.kiln.ir.stats.ColumnStats(50, 0, java.util.OptionalDouble.empty(), java.util.OptionalDouble.empty(), Optional.empty());
        TableStats t1 = new TableStats(100_000, List.of(Optional.empty(), Optional.of(b), Optional.empty(), Optional.empty()));
        TableStats t3 = new TableStats(50, List.of(Optional.of(b), Optional.empty()));
        Optimizer o = Fixtures.only(new ReduceAggregateInput()).withStatistics(t -> Optional.of(switch (t.name()) {
            case "t1" -> t1;
            case "t3" -> t3;
            default -> TableStats.rowsOnly(10, t.schema().size());
        }));
        assertEquals(plan, o.optimize(plan).plan());
    }

    @Property(tries = 200)
    void keepsTheRows(@ForAll long seed, @ForAll boolean aggLeft, @ForAll boolean flagged) {
        Rel plan = plan(aggLeft, flagged);
        Rel reduced = withRows(100_000, 50).optimize(plan).plan();
        assertNotEquals(plan, reduced, "the rule must fire for this test to mean something");
        Fixtures.assertSameRows(plan, reduced, Fixtures.randomData(new Random(seed)), "seed " + seed);
    }
}
