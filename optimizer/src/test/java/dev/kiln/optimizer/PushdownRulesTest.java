package dev.kiln.optimizer;

import static dev.kiln.optimizer.Fixtures.T1;
import static dev.kiln.optimizer.Fixtures.T2;
import static dev.kiln.optimizer.Fixtures.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Sort;
import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import dev.kiln.optimizer.rules.ExtractOrRestrictions;
import dev.kiln.optimizer.rules.PushFilterIntoJoin;
import dev.kiln.optimizer.rules.PushFilterThroughAggregate;
import dev.kiln.optimizer.rules.PushFilterThroughProject;
import dev.kiln.optimizer.rules.PushFilterThroughSort;
import dev.kiln.optimizer.rules.PushJoinConditionDown;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** push-filter-into-join, push-join-condition-down, push-filter-through-{project,aggregate,sort}. */
class PushdownRulesTest {
    static final TableScan SCAN1 = TableScan.all(T1); // a BIGINT, b INTEGER, s VARCHAR, d DECIMAL(7,2)
    static final TableScan SCAN2 = TableScan.all(T2); // x BIGINT, y INTEGER NOT NULL, dt DATE
    static final Schema BOTH = SCAN1.schema().concat(SCAN2.schema()); // a b s d x y dt

    static Expr lt(Schema s, int col, int v) {
        return TypeRules.compare(Op.LT, ref(s, col), Literal.ofInt(v));
    }

    static final Expr A_EQ_X = TypeRules.compare(Op.EQ, ref(BOTH, 0), ref(BOTH, 4));
    static final Expr B_LT_2 = lt(BOTH, 1, 2);
    static final Expr Y_LT_3 = lt(BOTH, 5, 3);
    static final Expr B_LT_Y = TypeRules.compare(Op.LT, ref(BOTH, 1), ref(BOTH, 5));

    static Rel join(JoinKind kind, Expr condition) {
        return new Join(SCAN1, SCAN2, kind, condition);
    }

    static String pushInto(Rel plan) {
        return Fixtures.print(Fixtures.once(new PushFilterIntoJoin(), plan));
    }

    @Test
    void whereOverACommaJoinSplitsIntoScanFiltersAndTheJoinCondition() {
        Rel plan = new Filter(join(JoinKind.INNER, Exprs.TRUE), TypeRules.and(List.of(B_LT_2, A_EQ_X, Y_LT_3, B_LT_Y)));
        assertEquals("""
                Join INNER on (a = x AND b < y)
                  Filter (b < 2)
                    TableScan t1 [a, b, s, d]
                  Filter (y < 3)
                    TableScan t2 [x, y, dt]
                """, pushInto(plan));
    }

    @Test
    void outerJoinsKeepPredicatesOnTheirPaddedSideAbove() {
        Schema left = join(JoinKind.LEFT, A_EQ_X).schema(); // t2's columns are nullable above a LEFT join
        Expr dtNull = TypeRules.isNull(ref(left, 6), false);
        assertEquals("""
                Filter (y < 3 AND dt IS NULL)
                  Join LEFT on (a = x)
                    Filter (b < 2)
                      TableScan t1 [a, b, s, d]
                    TableScan t2 [x, y, dt]
                """, pushInto(new Filter(join(JoinKind.LEFT, A_EQ_X), TypeRules.and(List.of(B_LT_2, lt(left, 5, 3), dtNull)))));
        assertEquals("""
                Filter (b < 2)
                  Join RIGHT on (a = x)
                    TableScan t1 [a, b, s, d]
                    Filter (y < 3)
                      TableScan t2 [x, y, dt]
                """, pushInto(new Filter(join(JoinKind.RIGHT, A_EQ_X), TypeRules.and(List.of(B_LT_2, Y_LT_3)))));
        assertEquals(Optional.empty(), new PushFilterIntoJoin().apply(new Filter(join(JoinKind.FULL, A_EQ_X), TypeRules.and(List.of(B_LT_2, Y_LT_3))), null));
        assertEquals("""
                Join SEMI on (a = x)
                  Filter (b < 2)
                    TableScan t1 [a, b, s, d]
                  TableScan t2 [x, y, dt]
                """, pushInto(new Filter(join(JoinKind.SEMI, A_EQ_X), lt(SCAN1.schema(), 1, 2))));
    }

    @Test
    void singleSidedJoinConditionsMoveIntoTheInputsTheJoinKindAllows() {
        Expr cond = TypeRules.and(List.of(A_EQ_X, B_LT_2, Y_LT_3));
        PushJoinConditionDown rule = new PushJoinConditionDown();
        assertEquals("""
                Join INNER on (a = x)
                  Filter (b < 2)
                    TableScan t1 [a, b, s, d]
                  Filter (y < 3)
                    TableScan t2 [x, y, dt]
                """, Fixtures.print(Fixtures.once(rule, join(JoinKind.INNER, cond))));
        assertEquals("""
                Join LEFT on (a = x AND b < 2)
                  TableScan t1 [a, b, s, d]
                  Filter (y < 3)
                    TableScan t2 [x, y, dt]
                """, Fixtures.print(Fixtures.once(rule, join(JoinKind.LEFT, cond))));
        assertEquals("""
                Join RIGHT on (a = x AND y < 3)
                  Filter (b < 2)
                    TableScan t1 [a, b, s, d]
                  TableScan t2 [x, y, dt]
                """, Fixtures.print(Fixtures.once(rule, join(JoinKind.RIGHT, cond))));
        assertEquals("""
                Join ANTI on (a = x AND b < 2)
                  TableScan t1 [a, b, s, d]
                  Filter (y < 3)
                    TableScan t2 [x, y, dt]
                """, Fixtures.print(Fixtures.once(rule, join(JoinKind.ANTI, cond))));
        assertEquals(Optional.empty(), rule.apply(join(JoinKind.FULL, cond), null));
    }

    @Test
    void filtersPassThroughProjectsAggregateKeysAndUnlimitedSorts() {
        Schema s1 = SCAN1.schema();
        Expr aPlus1 = TypeRules.arithmetic(Op.PLUS, ref(s1, 0), Literal.of(1L));
        Rel project = new Project(SCAN1, List.of(aPlus1, ref(s1, 2)), List.of("p", "s"));
        Rel viaProject = Fixtures.once(new PushFilterThroughProject(), new Filter(project, TypeRules.compare(Op.GT, ref(project, 0), Literal.of(2L))));
        assertEquals("""
                Project [p := a + 1, s]
                  Filter (a + 1 > 2)
                    TableScan t1 [a, b, s, d]
                """, Fixtures.print(viaProject));

        Rel agg = new Aggregate(SCAN1, List.of(2), List.of(new AggCall(AggFunc.COUNT, List.of(), false, DataType.BIGINT, false, "n")));
        Expr onKey = TypeRules.compare(Op.EQ, ref(agg, 0), Literal.of("a"));
        Expr onCount = TypeRules.compare(Op.GT, ref(agg, 1), Literal.of(1L));
        assertEquals("""
                Filter (n > 1)
                  Aggregate keys=[s] aggs=[n := COUNT(*)]
                    Filter (s = 'a')
                      TableScan t1 [a, b, s, d]
                """, Fixtures.print(Fixtures.once(new PushFilterThroughAggregate(), new Filter(agg, TypeRules.and(List.of(onKey, onCount))))));
        Rel global = new Aggregate(SCAN1, List.of(), List.of(new AggCall(AggFunc.COUNT, List.of(), false, DataType.BIGINT, false, "n")));
        assertEquals(Optional.empty(), new PushFilterThroughAggregate().apply(new Filter(global, Exprs.FALSE), null));

        Expr aPos = TypeRules.compare(Op.GT, ref(s1, 0), Literal.of(0L));
        Rel sorted = new Sort(SCAN1, List.of(SortKey.asc(0)), 0, -1);
        assertEquals(new Sort(new Filter(SCAN1, aPos), List.of(SortKey.asc(0)), 0, -1),
                Fixtures.once(new PushFilterThroughSort(), new Filter(sorted, aPos)));
        Rel topN = new Sort(SCAN1, List.of(SortKey.asc(0)), 0, 3);
        assertEquals(Optional.empty(), new PushFilterThroughSort().apply(new Filter(topN, aPos), null));
        Rel offset = new Sort(SCAN1, List.of(SortKey.asc(0)), 2, -1);
        assertEquals(Optional.empty(), new PushFilterThroughSort().apply(new Filter(offset, aPos), null));
    }

    @Test
    void disjunctionsImplyFiltersOnEachInput() {
        // (b < 2 AND y < 3) OR (b < 1 AND b < y): t1 must have b < 2 OR b < 1; t2 gets nothing (the second branch has no t2-only part)
        Expr b1 = lt(BOTH, 1, 1);
        Expr or = TypeRules.or(List.of(TypeRules.and(List.of(B_LT_2, Y_LT_3)), TypeRules.and(List.of(b1, B_LT_Y))));
        ExtractOrRestrictions rule = new ExtractOrRestrictions();
        assertEquals("""
                Join INNER on (a = x AND (b < 2 AND y < 3 OR b < 1 AND b < y))
                  Filter (b < 2 OR b < 1)
                    TableScan t1 [a, b, s, d]
                  TableScan t2 [x, y, dt]
                """, Fixtures.print(Fixtures.once(rule, join(JoinKind.INNER, Exprs.and(A_EQ_X, or)))));
        // both inputs restricted; a LEFT join keeps every left row, so only the right input is
        Expr both = TypeRules.or(List.of(TypeRules.and(List.of(B_LT_2, Y_LT_3)), TypeRules.and(List.of(b1, lt(BOTH, 5, 1)))));
        assertEquals("""
                Join INNER on (a = x AND (b < 2 AND y < 3 OR b < 1 AND y < 1))
                  Filter (b < 2 OR b < 1)
                    TableScan t1 [a, b, s, d]
                  Filter (y < 3 OR y < 1)
                    TableScan t2 [x, y, dt]
                """, Fixtures.print(Fixtures.once(rule, join(JoinKind.INNER, Exprs.and(A_EQ_X, both)))));
        assertEquals("""
                Join LEFT on (a = x AND (b < 2 AND y < 3 OR b < 1 AND y < 1))
                  TableScan t1 [a, b, s, d]
                  Filter (y < 3 OR y < 1)
                    TableScan t2 [x, y, dt]
                """, Fixtures.print(Fixtures.once(rule, join(JoinKind.LEFT, Exprs.and(A_EQ_X, both)))));
        assertEquals(Optional.empty(), rule.apply(join(JoinKind.FULL, Exprs.and(A_EQ_X, both)), new RuleContext(Statistics.FROM_TABLE_REFS)));
        // each disjunction once per optimization: the implied filters stay, the rule does not stack them up
        OptimizeResult res = Fixtures.only(rule).optimize(join(JoinKind.INNER, Exprs.and(A_EQ_X, both)));
        assertEquals(1, res.trace().size());
        // two equal copies (a view used twice) get the same rewrite, so they stay equal
        Rel copy = join(JoinKind.INNER, Exprs.and(A_EQ_X, both));
        Rel twice = new Join(copy, copy, JoinKind.INNER, Exprs.TRUE);
        Join out = (Join) Fixtures.only(rule).optimize(twice).plan();
        assertEquals(out.left(), out.right());
        assertEquals(Fixtures.once(rule, copy), out.left());
    }

    // ---- properties: each rule alone keeps the rows -----------------------------------------------

    static Rel randomJoinOfScans(Random r) {
        Rel j = RandomPlans.join(r, RandomPlans.scan(r), RandomPlans.scan(r));
        return j instanceof Filter f ? f.input() : j; // the bare join, comma or not
    }

    @Property(tries = 300)
    void pushFilterIntoJoinKeepsTheRows(@ForAll long seed) {
        Random r = new Random(seed);
        Rel join = randomJoinOfScans(r);
        Rel plan = new Filter(join, TypeRules.and(List.of(RandomPlans.predicate(r, join.schema(), 1), RandomPlans.predicate(r, join.schema(), 1))));
        Fixtures.assertSameRows(plan, Fixtures.only(new PushFilterIntoJoin()).optimize(plan).plan(), Fixtures.randomData(r), "seed " + seed);
    }

    @Property(tries = 300)
    void pushJoinConditionDownKeepsTheRows(@ForAll long seed) {
        Random r = new Random(seed);
        Join j = (Join) randomJoinOfScans(r);
        int lw = j.left().schema().size();
        Expr cond = TypeRules.and(List.of(j.condition(), RandomPlans.predicate(r, j.left().schema(), 1),
                Exprs.shift(RandomPlans.predicate(r, j.right().schema(), 1), lw)));
        Rel plan = new Join(j.left(), j.right(), j.kind(), cond);
        OptimizeResult res = Fixtures.only(new PushJoinConditionDown()).optimize(plan);
        assertEquals(j.kind() != JoinKind.FULL, !res.trace().isEmpty(), Fixtures.print(plan));
        Fixtures.assertSameRows(plan, res.plan(), Fixtures.randomData(r), "seed " + seed);
    }

    @Property(tries = 300)
    void orRestrictionsKeepTheRows(@ForAll long seed) {
        Random r = new Random(seed);
        Join j = (Join) randomJoinOfScans(r);
        Schema both = j.left().schema().concat(j.right().schema()); // what the condition reads (a SEMI join outputs less)
        int lw = j.left().schema().size();
        // two or three branches, each a mix of left-only, right-only and two-sided predicates
        List<Expr> branches = new java.util.ArrayList<>();
        for (int b = 2 + r.nextInt(2); b > 0; b--) {
            List<Expr> parts = new java.util.ArrayList<>();
            if (r.nextInt(4) != 0) parts.add(RandomPlans.predicate(r, j.left().schema(), 1));
            if (r.nextInt(4) != 0) parts.add(Exprs.shift(RandomPlans.predicate(r, j.right().schema(), 1), lw));
            if (r.nextInt(3) == 0 || parts.isEmpty()) parts.add(RandomPlans.predicate(r, both, 1));
            branches.add(TypeRules.and(parts));
        }
        Rel plan = new Join(j.left(), j.right(), j.kind(), TypeRules.and(List.of(j.condition(), TypeRules.or(branches))));
        OptimizeResult res = Fixtures.only(new ExtractOrRestrictions()).optimize(plan);
        Fixtures.assertSameRows(plan, res.plan(), Fixtures.randomData(r), "seed " + seed);
    }

    @Property(tries = 200)
    void pushFilterThroughProjectKeepsTheRows(@ForAll long seed) {
        Random r = new Random(seed);
        Rel project = RandomPlans.project(r, RandomPlans.plan(r, 1));
        Rel plan = RandomPlans.filter(r, project);
        OptimizeResult res = Fixtures.only(new PushFilterThroughProject()).optimize(plan);
        assertEquals(true, res.plan() instanceof Project);
        Fixtures.assertSameRows(plan, res.plan(), Fixtures.randomData(r), "seed " + seed);
    }

    @Property(tries = 300)
    void pushFilterThroughAggregateKeepsTheRows(@ForAll long seed) {
        Random r = new Random(seed);
        Rel plan = RandomPlans.filter(r, RandomPlans.aggregate(r, RandomPlans.plan(r, 1)));
        Fixtures.assertSameRows(plan, Fixtures.only(new PushFilterThroughAggregate()).optimize(plan).plan(), Fixtures.randomData(r), "seed " + seed);
    }

    @Property(tries = 200)
    void pushFilterThroughSortKeepsTheRows(@ForAll long seed) {
        Random r = new Random(seed);
        Sort sort = (Sort) RandomPlans.sort(r, RandomPlans.plan(r, 1));
        Rel plan = RandomPlans.filter(r, sort);
        OptimizeResult res = Fixtures.only(new PushFilterThroughSort()).optimize(plan);
        assertEquals(sort.limit() < 0 && sort.offset() == 0, res.plan() instanceof Sort);
        Fixtures.assertSameRows(plan, res.plan(), Fixtures.randomData(r), "seed " + seed);
    }
}
