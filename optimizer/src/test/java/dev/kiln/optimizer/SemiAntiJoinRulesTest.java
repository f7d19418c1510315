package dev.kiln.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.stats.TableStats;
import dev.kiln.ir.type.Schema;
import dev.kiln.optimizer.rules.AntiJoinFromNullFilter;
import dev.kiln.optimizer.rules.ChooseSemiJoinBuildSide;
import dev.kiln.optimizer.rules.SemiJoinFromUniqueSide;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The rules that make semi and anti joins out of their decorrelated shapes and build them on the
 * small side: each fires on its shape, keeps the rows (interpreter on random data with NULLs),
 * and stays away from the shapes where it would be wrong.
 */
class SemiAntiJoinRulesTest {
    /** SELECT t1.* FROM t1 LEFT JOIN (SELECT DISTINCT k, TRUE AS m FROM t3) ON b = k WHERE m IS NULL [AND a > 1] */
    static Rel notExists(boolean nullableMarker, boolean extraConjunct) {
        Rel t1 = TableScan.all(Fixtures.T1);
        Rel t3 = TableScan.all(Fixtures.T3);
        Rel distinct = new Aggregate(t3, List.of(0), List.of());
        Rel marked = new Project(distinct, List.of(Fixtures.ref(distinct, 0),
                nullableMarker ? TypeRules.compare(Op.GT, Fixtures.ref(distinct, 0), Literal.ofInt(1)) : Literal.of(true)), List.of("k", "m"));
        Schema both = t1.schema().concat(marked.schema()); // a b s d | k m
        Join left = new Join(t1, marked, JoinKind.LEFT, TypeRules.compare(Op.EQ, Fixtures.ref(both, 1), Fixtures.ref(both, 4)));
        dev.kiln.ir.expr.Expr isNull = TypeRules.isNull(Fixtures.ref(left, 5), false);
        return new Filter(left, extraConjunct ? Exprs.and(isNull, TypeRules.compare(Op.GT, Fixtures.ref(left, 0), Literal.of(1L))) : isNull);
    }

    @Test
    void aLeftJoinFilteredOnItsMarkerIsAnAntiJoin() {
        assertEquals("""
                Filter (a > 1)
                  Project [a, b, s, d, k := NULL, m := NULL]
                    Join ANTI on (b = k)
                      TableScan t1 [a, b, s, d]
                      Project [k, m := TRUE]
                        Aggregate keys=[k] aggs=[]
                          TableScan t3 [k, v]
                """, Fixtures.print(Fixtures.once(new AntiJoinFromNullFilter(), notExists(false, true))));
    }

    @Test
    void aNullableRightColumnTestedForNullIsNoAntiJoin() {
        Rel plan = notExists(true, false);
        assertEquals(Optional.empty(), new AntiJoinFromNullFilter().apply(plan, new RuleContext(Statistics.FROM_TABLE_REFS)));
    }

    @Property(tries = 300)
    void antiJoinKeepsTheRows(@ForAll long seed, @ForAll boolean extra) {
        Rel plan = notExists(false, extra);
        Rel rewritten = Fixtures.only(new AntiJoinFromNullFilter()).optimize(plan).plan();
        assertNotEquals(plan, rewritten);
        Fixtures.assertSameRows(plan, rewritten, Fixtures.randomData(new Random(seed)), "seed " + seed);
    }

    /** t1 ⋈ (SELECT DISTINCT k FROM t3 [WHERE k > 1]) ON b = k, the distinct side on either side of the join. */
    static Rel inDistinct(boolean distinctLeft, boolean filtered) {
        Rel t1 = TableScan.all(Fixtures.T1);
        Rel t3 = TableScan.all(Fixtures.T3);
        Rel distinct = new Aggregate(t3, List.of(0), List.of());
        if (filtered) distinct = new Filter(distinct, TypeRules.compare(Op.GT, Fixtures.ref(distinct, 0), Literal.ofInt(1)));
        // the decorrelated EXISTS shape: a TRUE marker column next to the key
        else distinct = new Project(distinct, List.of(Fixtures.ref(distinct, 0), Literal.of(true)), List.of("k", "m"));
        Rel l = distinctLeft ? distinct : t1;
        Rel r = distinctLeft ? t1 : distinct;
        Schema both = l.schema().concat(r.schema());
        int b = distinctLeft ? l.schema().size() + 1 : 1;
        int k = distinctLeft ? 0 : 4;
        return new Join(l, r, JoinKind.INNER, TypeRules.compare(Op.EQ, Fixtures.ref(both, b), Fixtures.ref(both, k)));
    }

    @Test
    void theExistsMarkerIsRepeatedAsAConstant() {
        assertEquals("""
                Project [a, b, s, d, k := b, m := TRUE]
                  Join SEMI on (b = k)
                    TableScan t1 [a, b, s, d]
                    Project [k, m := TRUE]
                      Aggregate keys=[k] aggs=[]
                        TableScan t3 [k, v]
                """, Fixtures.print(Fixtures.once(new SemiJoinFromUniqueSide(), inDistinct(false, false))));
    }

    @Test
    void anInnerJoinWithADistinctSideIsASemiJoin() {
        assertEquals("""
                Project [k := b, a, b, s, d]
                  Join SEMI on (b = k)
                    TableScan t1 [a, b, s, d]
                    Filter (k > 1)
                      Aggregate keys=[k] aggs=[]
                        TableScan t3 [k, v]
                """, Fixtures.print(Fixtures.once(new SemiJoinFromUniqueSide(), inDistinct(true, true))));
    }

    @Test
    void aSideThatMayRepeatItsKeysStaysAnInnerJoin() {
        Rel t1 = TableScan.all(Fixtures.T1);
        Rel t3 = TableScan.all(Fixtures.T3);
        Schema both = t1.schema().concat(t3.schema());
        Rel project = new Project(t3, List.of(Fixtures.ref(t3, 0)), List.of("k"));
        Schema both2 = t1.schema().concat(project.schema());
        RuleContext ctx = new RuleContext(Statistics.FROM_TABLE_REFS);
        // t3 itself, and t3's keys without DISTINCT
        assertEquals(Optional.empty(), new SemiJoinFromUniqueSide().apply(new Join(t1, t3, JoinKind.INNER,
                TypeRules.compare(Op.EQ, Fixtures.ref(both, 1), Fixtures.ref(both, 4))), ctx));
        assertEquals(Optional.empty(), new SemiJoinFromUniqueSide().apply(new Join(t1, project, JoinKind.INNER,
                TypeRules.compare(Op.EQ, Fixtures.ref(both2, 1), Fixtures.ref(both2, 4))), ctx));
    }

    @Property(tries = 300)
    void semiJoinKeepsTheRows(@ForAll long seed, @ForAll boolean distinctLeft, @ForAll boolean filtered) {
        Rel plan = inDistinct(distinctLeft, filtered);
        Rel rewritten = Fixtures.only(new SemiJoinFromUniqueSide()).optimize(plan).plan();
        assertNotEquals(plan, rewritten);
        Fixtures.assertSameRows(plan, rewritten, Fixtures.randomData(new Random(seed)), "seed " + seed);
    }

    /** t1 (10 rows) SEMI/ANTI t3 (10 000 rows) [made distinct], with a residual on a small share. */
    static Rel smallKeptSide(JoinKind kind, boolean distinct, boolean residual) {
        Rel t1 = TableScan.all(Fixtures.T1);
        Rel t3 = TableScan.all(Fixtures.T3);
        Rel right = distinct ? new Project(new Aggregate(t3, List.of(0, 1), List.of()), List.of(Fixtures.ref(t3, 0), Fixtures.ref(t3, 1)), List.of("k", "v")) : t3;
        Schema both = t1.schema().concat(right.schema());
        var cond = TypeRules.compare(Op.EQ, Fixtures.ref(both, 1), Fixtures.ref(both, 4));
        if (residual) cond = Exprs.and(cond, TypeRules.compare(Op.NE, Fixtures.ref(both, 2), Fixtures.ref(both, 5)));
        return new Join(t1, right, kind, cond);
    }

    static Optimizer smallLeft() {
        return Fixtures.only(new ChooseSemiJoinBuildSide()).withStatistics(t -> Optional.of(
                TableStats.rowsOnly(t.name().equals("t3") ? 10_000 : 10, t.schema().size())));
    }

    @Test
    void aSmallKeptSideIsBuiltAndTheDistinctOfTheLargeSideDropped() {
        assertEquals("""
                Join RIGHT_ANTI on (b = k)
                  TableScan t3 [k, v]
                  TableScan t1 [a, b, s, d]
                """, Fixtures.print(smallLeft().optimize(smallKeptSide(JoinKind.ANTI, true, false)).plan()));
    }

    @Test
    void aLargeKeptSideKeepsProbing() {
        Rel plan = smallKeptSide(JoinKind.SEMI, false, false);
        Optimizer largeLeft = Fixtures.only(new ChooseSemiJoinBuildSide()).withStatistics(t -> Optional.of(
                TableStats.rowsOnly(t.name().equals("t3") ? 10 : 10_000, t.schema().size())));
        assertEquals(plan, largeLeft.optimize(plan).plan());
    }

    @Property(tries = 400)
    void mirroredJoinKeepsTheRows(@ForAll long seed, @ForAll boolean anti, @ForAll boolean distinct, @ForAll boolean residual) {
        Rel plan = smallKeptSide(anti ? JoinKind.ANTI : JoinKind.SEMI, distinct, residual);
        Rel rewritten = smallLeft().optimize(plan).plan();
        assertTrue(rewritten instanceof Join j && j.kind() == (anti ? JoinKind.RIGHT_ANTI : JoinKind.RIGHT_SEMI), Fixtures.print(rewritten));
        Fixtures.assertSameRows(plan, rewritten, Fixtures.randomData(new Random(seed)), "seed " + seed);
    }

    @Property(tries = 200)
    void theStandardOptimizerKeepsTheRowsOfTheseShapes(@ForAll long seed, @ForAll boolean a, @ForAll boolean b) {
        Optimizer standard = Optimizer.standard().validating().withStatistics(t -> Optional.of(
                TableStats.rowsOnly(t.name().equals("t3") ? 10_000 : 10, t.schema().size())));
        Random r = new Random(seed);
        for (Rel plan : List.of(notExists(false, a), inDistinct(a, b), smallKeptSide(a ? JoinKind.ANTI : JoinKind.SEMI, b, r.nextBoolean()))) {
            Fixtures.assertSameRows(plan, standard.optimize(plan).plan(), Fixtures.randomData(r), "seed " + seed);
        }
    }
}
