package dev.kiln.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.stats.TableStats;
import dev.kiln.ir.type.Schema;
import dev.kiln.optimizer.rules.PushSemiJoinIntoJoin;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Semi/anti joins move onto the INNER join input they filter, when that input is not larger than
 * the join, or, onto the probe side, when they keep fewer of its rows than the INNER join does.
 */
class PushSemiJoinTest {
    /** (t1 ⋈ t2 on b = y) SEMI/ANTI t3 on a condition over t1 or t2 only. */
    static Rel plan(JoinKind kind, boolean onT1) {
        Rel inner = new Join(TableScan.all(Fixtures.T1), TableScan.all(Fixtures.T2), JoinKind.INNER,
                TypeRules.compare(Op.EQ, Fixtures.ref(Fixtures.T1.schema().concat(Fixtures.T2.schema()), 1),
                        Fixtures.ref(Fixtures.T1.schema().concat(Fixtures.T2.schema()), 5)));
        Schema s = inner.schema().concat(Fixtures.T3.schema()); // t1 0..3, t2 4..6, t3 7..8
        int probe = onT1 ? 1 : 5; // t1.b or t2.y, INTEGER like t3.k
        return new Join(inner, TableScan.all(Fixtures.T3), kind, TypeRules.compare(Op.EQ, Fixtures.ref(s, probe), Fixtures.ref(s, 7)));
    }

    static Optimizer withRows(long t1, long t2) {
        return withRows(t1, t2, 10);
    }

    static Optimizer withRows(long t1, long t2, long t3) {
        Map<String, Long> rows = Map.of("t1", t1, "t2", t2, "t3", t3);
        return Fixtures.only(new PushSemiJoinIntoJoin()).withStatistics(t -> Optional.of(TableStats.rowsOnly(rows.get(t.name()), t.schema().size())));
    }

    @Test
    void movesOntoTheInputItFiltersWhenThatInputIsNotLarger() {
        // unknown NDVs count as keys: t1 ⋈ t2 keeps as many rows as the smaller input
        Rel moved = withRows(5000, 100).optimize(plan(JoinKind.SEMI, false)).plan();
        assertEquals("""
                Join INNER on (b = y)
                  TableScan t1 [a, b, s, d]
                  Join SEMI on (y = k)
                    TableScan t2 [x, y, dt]
                    TableScan t3 [k, v]
                """, PlanPrinter.print(moved));
        Rel movedLeft = withRows(100, 5000).optimize(plan(JoinKind.ANTI, true)).plan();
        assertEquals("""
                Join INNER on (b = y)
                  Join ANTI on (b = k)
                    TableScan t1 [a, b, s, d]
                    TableScan t3 [k, v]
                  TableScan t2 [x, y, dt]
                """, PlanPrinter.print(movedLeft));
    }

    @Test
    void staysAboveAJoinThatShrinksItsInputMore() {
        // t1 (5000 rows) ⋈ t2 (100 rows) keeps 100 rows, t1 SEMI t3 (1000 keys) keeps 1000: the
        // INNER join is the better filter of t1's rows, so it probes first
        Rel plan = plan(JoinKind.SEMI, true);
        assertEquals(plan, withRows(5000, 100, 1000).optimize(plan).plan());
    }

    @Test
    void goesFirstOnTheProbeSideWhenItKeepsFewerRows() {
        // t1 (5000 rows) ⋈ t2 (100 rows) keeps 100 rows, t1 SEMI t3 (10 keys) keeps 10: t1's rows
        // are probed in one pipeline either way, so the SEMI join, which keeps fewer, goes first
        Rel moved = withRows(5000, 100).optimize(plan(JoinKind.SEMI, true)).plan();
        assertEquals("""
                Join INNER on (b = y)
                  Join SEMI on (b = k)
                    TableScan t1 [a, b, s, d]
                    TableScan t3 [k, v]
                  TableScan t2 [x, y, dt]
                """, PlanPrinter.print(moved));
    }

    /** Under a projection that only picks columns (as sub-query decorrelation leaves them), the join is still found. */
    @Property(tries = 100)
    void seesThroughAColumnPickingProjection(@ForAll long seed, @ForAll boolean anti) {
        Rel inner = ((Join) plan(JoinKind.SEMI, true)).left();
        // SELECT b, a, y FROM t1 JOIN t2 ON b = y, then SEMI/ANTI t3 on b = k
        Schema is = inner.schema();
        Rel picked = new dev.kiln.ir.rel.Project(inner, List.of(Fixtures.ref(is, 1), Fixtures.ref(is, 0), Fixtures.ref(is, 5)), List.of("b", "a", "y"));
        Schema s = picked.schema().concat(Fixtures.T3.schema());
        Rel plan = new Join(picked, TableScan.all(Fixtures.T3), anti ? JoinKind.ANTI : JoinKind.SEMI, TypeRules.compare(Op.EQ, Fixtures.ref(s, 0), Fixtures.ref(s, 3)));
        Rel moved = withRows(10, 5000).optimize(plan).plan();
        assertEquals("""
                Project [b, a, y]
                  Join INNER on (b = y)
                    Join %s on (b = k)
                      TableScan t1 [a, b, s, d]
                      TableScan t3 [k, v]
                    TableScan t2 [x, y, dt]
                """.formatted(anti ? "ANTI" : "SEMI"), PlanPrinter.print(moved));
        Fixtures.assertSameRows(plan, moved, Fixtures.randomData(new Random(seed)), "seed " + seed);
    }

    @Property(tries = 200)
    void keepsTheRows(@ForAll long seed, @ForAll boolean anti, @ForAll boolean onT1) {
        Random r = new Random(seed);
        Rel plan = plan(anti ? JoinKind.ANTI : JoinKind.SEMI, onT1);
        Rel moved = withRows(onT1 ? 10 : 5000, onT1 ? 5000 : 10).optimize(plan).plan();
        assertEquals(false, moved.equals(plan), "the rule must fire for this test to mean something");
        Fixtures.assertSameRows(plan, moved, Fixtures.randomData(r), "seed " + seed);
    }
}
