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
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.stats.ColumnStats;
import dev.kiln.ir.stats.TableStats;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import dev.kiln.optimizer.rules.PreAggregateJoinInput;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** An aggregate over a join that reads only the right input pre-aggregates that input by its join keys. */
class PreAggregateJoinInputTest {
    /** SELECT t1.b, count(t3.v), sum(t3.k), min(t3.v), max(t3.k) FROM t1 [LEFT] JOIN t3 ON t1.b = t3.k GROUP BY t1.b */
    static Rel plan(JoinKind kind) {
        Rel t1 = TableScan.all(Fixtures.T1);
        Rel t3 = TableScan.all(Fixtures.T3);
        Schema both = t1.schema().concat(t3.schema()); // a b s d | k v
        Rel join = new Join(t1, t3, kind, TypeRules.compare(Op.EQ, Fixtures.ref(both, 1), Fixtures.ref(both, 4)));
        Rel input = new Project(join, List.of(Fixtures.ref(join, 1), Fixtures.ref(join, 5), Fixtures.ref(join, 4)), List.of("b", "v", "k"));
        return new Aggregate(input, List.of(0), List.of(
                new AggCall(AggFunc.COUNT, List.of(1), false, DataType.BIGINT, false, "n"),
                new AggCall(AggFunc.SUM, List.of(2), false, DataType.BIGINT, true, "total"),
                new AggCall(AggFunc.MIN, List.of(1), false, DataType.VARCHAR, true, "least"),
                new AggCall(AggFunc.MAX, List.of(2), false, DataType.INTEGER, true, "most")));
    }

    /** t3 with 10 000 rows but 5 distinct keys: pre-aggregation shrinks it 2000 times. */
    static Optimizer withFewKeys() {
        ColumnStats fewKeys = new ColumnStats(5, 0.1, OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty());
        return Fixtures.only(new PreAggregateJoinInput()).withStatistics(t -> Optional.of(t.name().equals("t3")
                ? new TableStats(10_000, List.of(Optional.of(fewKeys), Optional.empty()))
                : TableStats.rowsOnly(100, t.schema().size())));
    }

    @Test
    void theRightInputIsCountedPerJoinKeyFirst() {
        assertEquals("""
                Aggregate keys=[b] aggs=[n := SUM(partial_n), total := SUM(partial_total), least := MIN(partial_least), most := MAX(partial_most)]
                  Project [b, partial_n := coalesce(partial_n, 0), partial_total, partial_least, partial_most]
                    Join LEFT on (b = k)
                      TableScan t1 [a, b, s, d]
                      Aggregate keys=[k] aggs=[partial_n := COUNT(v), partial_total := SUM(k), partial_least := MIN(v), partial_most := MAX(k)]
                        TableScan t3 [k, v]
                """, PlanPrinter.print(withFewKeys().optimize(plan(JoinKind.LEFT)).plan()));
    }

    @Test
    void nothingChangesWhenTheRightInputHasAboutAsManyKeysAsRows() {
        Rel plan = plan(JoinKind.INNER);
        ColumnStats unique = new ColumnStats(10_000, 0, OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty());
        Optimizer manyKeys = Fixtures.only(new PreAggregateJoinInput()).withStatistics(t -> Optional.of(t.name().equals("t3")
                ? new TableStats(10_000, List.of(Optional.of(unique), Optional.empty()))
                : TableStats.rowsOnly(100, t.schema().size())));
        assertEquals(plan, manyKeys.optimize(plan).plan());
    }

    /** MAX of a NOT NULL column per group is NOT NULL: so is its partial (the validator checks every rewrite). */
    @Test
    void partialsOfNotNullArgumentsAreNotNull() {
        Rel t1 = TableScan.all(Fixtures.T1);
        Rel t2 = TableScan.all(Fixtures.T2);
        Schema both = t1.schema().concat(t2.schema()); // a b s d | x y dt
        Rel join = new Join(t1, t2, JoinKind.INNER, TypeRules.compare(Op.EQ, Fixtures.ref(both, 0), Fixtures.ref(both, 4)));
        Rel input = new Project(join, List.of(Fixtures.ref(join, 1), Fixtures.ref(join, 5)), List.of("b", "y"));
        Rel plan = new Aggregate(input, List.of(0), List.of(new AggCall(AggFunc.MAX, List.of(1), false, DataType.INTEGER, false, "most")));
        ColumnStats fewKeys = new ColumnStats(5, 0.1, OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty());
        Optimizer o = Fixtures.only(new PreAggregateJoinInput()).withStatistics(t -> Optional.of(t.name().equals("t2")
                ? new TableStats(10_000, List.of(Optional.of(fewKeys), Optional.empty(), Optional.empty()))
                : TableStats.rowsOnly(100, t.schema().size())));
        Rel rewritten = o.optimize(plan).plan();
        assertNotEquals(plan, rewritten, "the rule must fire for this test to mean something");
        for (long seed = 0; seed < 50; seed++) Fixtures.assertSameRows(plan, rewritten, Fixtures.randomData(new Random(seed)), "seed " + seed);
    }

    @Property(tries = 250)
    void keepsTheRows(@ForAll long seed, @ForAll boolean left) {
        Rel plan = plan(left ? JoinKind.LEFT : JoinKind.INNER);
        Rel rewritten = withFewKeys().optimize(plan).plan();
        assertNotEquals(plan, rewritten, "the rule must fire for this test to mean something");
        assertEquals(plan.schema(), rewritten.schema());
        Fixtures.assertSameRows(plan, rewritten, Fixtures.randomData(new Random(seed)), "seed " + seed);
    }
}
