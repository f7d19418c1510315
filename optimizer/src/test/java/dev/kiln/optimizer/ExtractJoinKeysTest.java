package dev.kiln.optimizer;

import static dev.kiln.optimizer.Fixtures.T1;
import static dev.kiln.optimizer.Fixtures.T2;
import static dev.kiln.optimizer.Fixtures.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinConditions;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import dev.kiln.optimizer.rules.ExtractJoinKeys;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ExtractJoinKeysTest {
    static final TableScan SCAN1 = TableScan.all(T1); // a BIGINT, b INTEGER, s VARCHAR, d DECIMAL(7,2)
    static final TableScan SCAN2 = TableScan.all(T2); // x BIGINT, y INTEGER NOT NULL, dt DATE
    static final Schema BOTH = SCAN1.schema().concat(SCAN2.schema()); // a b s d x y dt

    @Test
    void aComputedKeyIsProjectedBelowTheJoin() {
        Expr aPlus1 = TypeRules.arithmetic(Op.PLUS, ref(BOTH, 0), Literal.of(1L));
        Rel plan = new Join(SCAN1, SCAN2, JoinKind.INNER, TypeRules.compare(Op.EQ, ref(BOTH, 4), aPlus1));
        Rel out = Fixtures.once(new ExtractJoinKeys(), plan);
        assertEquals("""
                Project [a, b, s, d, x, y, dt]
                  Join INNER on (key$0 = x)
                    Project [a, b, s, d, key$0 := a + 1]
                      TableScan t1 [a, b, s, d]
                    TableScan t2 [x, y, dt]
                """, Fixtures.print(out));
        Join j = (Join) ((Project) out).input();
        assertEquals(new JoinConditions.Analysis(List.of(4), List.of(0), List.of()), JoinConditions.analyze(j));
        assertEquals(plan.schema(), out.schema());
    }

    @Test
    void keysOfDifferentTypesMeetInTheirCommonType() {
        // b INTEGER = x BIGINT, as TypeRules builds it (b cast) and as a hand-built plan might (no casts)
        Expr typed = TypeRules.compare(Op.EQ, ref(BOTH, 1), ref(BOTH, 4));
        Expr raw = new Call(Op.EQ, List.of(ref(BOTH, 1), ref(BOTH, 4)), DataType.BOOLEAN, true);
        for (Expr cond : List.of(typed, raw)) {
            Rel out = Fixtures.once(new ExtractJoinKeys(), new Join(SCAN1, SCAN2, JoinKind.LEFT, cond));
            assertEquals("""
                    Project [a, b, s, d, x, y, dt]
                      Join LEFT on (key$0 = x)
                        Project [a, b, s, d, key$0 := CAST(b AS BIGINT)]
                          TableScan t1 [a, b, s, d]
                        TableScan t2 [x, y, dt]
                    """, Fixtures.print(out));
        }
    }

    @Test
    void bothSidesComputedAndSemiJoinsKeepTheirRowType() {
        Expr cond = TypeRules.and(List.of(
                TypeRules.compare(Op.EQ, TypeRules.arithmetic(Op.PLUS, ref(BOTH, 5), Literal.ofInt(1)), ref(BOTH, 1)),
                TypeRules.compare(Op.EQ, ref(BOTH, 2), Literal.of("a"))));
        Rel out = Fixtures.once(new ExtractJoinKeys(), new Join(SCAN1, SCAN2, JoinKind.SEMI, cond));
        assertEquals("""
                Join SEMI on (b = key$0 AND s = 'a')
                  TableScan t1 [a, b, s, d]
                  Project [x, y, dt, key$0 := y + 1]
                    TableScan t2 [x, y, dt]
                """, Fixtures.print(out));
        Expr mixed = TypeRules.compare(Op.EQ, TypeRules.arithmetic(Op.PLUS, ref(BOTH, 0), ref(BOTH, 4)), Literal.of(1L));
        assertEquals(Optional.empty(), new ExtractJoinKeys().apply(new Join(SCAN1, SCAN2, JoinKind.INNER, mixed), null));
        Expr plain = TypeRules.compare(Op.EQ, ref(BOTH, 1), ref(BOTH, 5));
        assertEquals(Optional.empty(), new ExtractJoinKeys().apply(new Join(SCAN1, SCAN2, JoinKind.INNER, plain), null));
    }

    @Property(tries = 300)
    void extractJoinKeysKeepsTheRows(@ForAll long seed) {
        Random r = new Random(seed);
        Rel left = RandomPlans.plan(r, 1);
        Rel right = RandomPlans.plan(r, 1);
        Schema both = left.schema().concat(right.schema());
        int lw = left.schema().size();
        // an equality between a left and a right expression of compatible types, computed or cast
        Expr l = RandomPlans.scalar(r, left.schema());
        Optional<Integer> match = java.util.stream.IntStream.range(0, right.schema().size()).boxed()
                .filter(i -> RandomPlans.compatible(l.type(), right.schema().field(i).type())).findFirst();
        if (match.isEmpty() || dev.kiln.ir.expr.Exprs.columnsUsed(l).isEmpty()) return;
        Expr rhs = ref(both, lw + match.get());
        if (r.nextBoolean() && rhs.type() instanceof DataType.IntType) rhs = TypeRules.arithmetic(Op.PLUS, rhs, Literal.ofInt(1));
        Expr eq = r.nextBoolean() ? TypeRules.compare(Op.EQ, l, rhs) : TypeRules.compare(Op.EQ, rhs, l);
        JoinKind kind = JoinKind.values()[r.nextInt(JoinKind.values().length)];
        Rel plan = new Join(left, right, kind, TypeRules.and(List.of(eq, RandomPlans.predicate(r, both, 1))));
        Rel out = Fixtures.only(new ExtractJoinKeys()).optimize(plan).plan();
        Join j = (Join) (out instanceof Project p ? p.input() : out);
        assertEquals(true, JoinConditions.analyze(j).isEquiJoin(), Fixtures.print(out));
        Fixtures.assertSameRows(plan, out, Fixtures.randomData(r), "seed " + seed);
    }
}
