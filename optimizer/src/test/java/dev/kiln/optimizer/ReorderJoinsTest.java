package dev.kiln.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.PlanValidator;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.stats.TableStats;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Join ordering keeps the rows and the column order: random comma joins of 2..6 relations (the
 * three fixture tables, repeated) with equalities on random pairs, a non-equi predicate and
 * single-table filters in one WHERE, optimized under random table sizes, return exactly the
 * interpreter's rows for the plan as written.
 */
class ReorderJoinsTest {
    @Property(tries = 250)
    void reorderedJoinsReturnTheSameRowsInTheSameColumns(@ForAll @IntRange(min = 2, max = 6) int n, @ForAll long seed) {
        Random r = new Random(seed);
        List<TableRef> rels = new ArrayList<>();
        for (int i = 0; i < n; i++) rels.add(Fixtures.TABLES.get(r.nextInt(Fixtures.TABLES.size())));
        Rel cross = TableScan.all(rels.getFirst());
        for (int i = 1; i < n; i++) cross = new Join(cross, TableScan.all(rels.get(i)), JoinKind.INNER, Exprs.TRUE);
        Schema s = cross.schema();
        int[] offsets = new int[n];
        for (int i = 1; i < n; i++) offsets[i] = offsets[i - 1] + rels.get(i - 1).schema().size();
        List<Expr> where = new ArrayList<>();
        for (int i = 1; i < n; i++) { // connect each relation to an earlier one on their INTEGER columns
            int j = r.nextInt(i);
            where.add(TypeRules.compare(Op.EQ, Fixtures.ref(s, offsets[j] + intColumn(rels.get(j))), Fixtures.ref(s, offsets[i] + intColumn(rels.get(i)))));
        }
        if (n > 2 && r.nextBoolean()) { // a cycle-closing or non-equi predicate
            int a = r.nextInt(n), b = r.nextInt(n);
            where.add(TypeRules.compare(r.nextBoolean() ? Op.EQ : Op.LE, Fixtures.ref(s, offsets[a] + intColumn(rels.get(a))), Fixtures.ref(s, offsets[b] + intColumn(rels.get(b)))));
        }
        int f = r.nextInt(n);
        where.add(TypeRules.compare(Op.LT, Fixtures.ref(s, offsets[f] + intColumn(rels.get(f))), Literal.ofInt(3)));
        Rel plan = new Filter(cross, TypeRules.and(where));
        Map<String, TableStats> stats = new HashMap<>();
        for (TableRef t : Fixtures.TABLES) stats.put(t.name(), TableStats.rowsOnly(1 + r.nextInt(1_000_000), t.schema().size()));
        Optimizer o = Optimizer.standard().withStatistics(t -> Optional.ofNullable(stats.get(t.name()))).validatingWith(PlanValidator::validate);
        Rel optimized = o.optimize(plan).plan();
        assertEquals(plan.schema().names(), optimized.schema().names());
        for (int k = 0; k < 2; k++) {
            Map<String, List<Object[]>> data = Fixtures.randomData(r);
            // rows compared in column order, as a multiset
            Fixtures.assertSameRows(plan, optimized, data, "seed " + seed + " stats " + stats);
        }
    }

    private static int intColumn(TableRef t) {
        for (int i = 0; i < t.schema().size(); i++) if (t.schema().field(i).type().equals(DataType.INTEGER)) return i;
        throw new IllegalArgumentException(t.name());
    }

    @Test
    void theFactTableMeetsItsSmallestDimensionFirst() {
        // t2 (fact, 1M rows) joined to t1 (1000 rows) and t3 (10 rows); keys without NDVs count as
        // unique, so t2 ⋈ t3 keeps 10 rows: it is joined first (t2 probing) and then built for t1's probe
        Rel cross = new Join(new Join(TableScan.all(Fixtures.T1), TableScan.all(Fixtures.T3), JoinKind.INNER, Exprs.TRUE),
                TableScan.all(Fixtures.T2), JoinKind.INNER, Exprs.TRUE);
        Schema s = cross.schema(); // t1: 0..3, t3: 4..5, t2: 6..8
        Rel plan = new Filter(cross, TypeRules.and(List.of(
                TypeRules.compare(Op.EQ, Fixtures.ref(s, 0), Fixtures.ref(s, 6)),
                TypeRules.compare(Op.EQ, Fixtures.ref(s, 4), Fixtures.ref(s, 7)))));
        Map<String, Long> rows = Map.of("t1", 1000L, "t2", 1_000_000L, "t3", 10L);
        OptimizeResult res = Optimizer.standard().disable("column-pruning")
                .withStatistics(t -> Optional.of(TableStats.rowsOnly(rows.get(t.name()), t.schema().size()))).optimize(plan);
        assertEquals("""
                Project [a, b, s, d, k, v, x, y, dt]
                  Join INNER on (a = x)
                    TableScan t1 [a, b, s, d]
                    Join INNER on (k = y)
                      TableScan t2 [x, y, dt]
                      TableScan t3 [k, v]
                """, PlanPrinter.print(res.plan()));
        String note = res.trace().stream().filter(t -> t.rule().equals("reorder-joins")).findFirst().orElseThrow().notes().getFirst();
        assertTrue(note.startsWith("join order (t1 ⋈ (t2 ⋈ t3)) by DPccp, cost "), note);
    }
}
