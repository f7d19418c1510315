package dev.kiln.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.eval.Interpreter;
import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.ColumnRef;
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
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class OptimizerTest {
    static final TableRef CUSTOMER = new TableRef("customer", new Schema(List.of(
            new Field("c_custkey", DataType.BIGINT, false), new Field("c_mktsegment", DataType.VARCHAR, true),
            new Field("c_name", DataType.VARCHAR, false))), 100);
    static final TableRef ORDERS = new TableRef("orders", new Schema(List.of(
            new Field("o_orderkey", DataType.BIGINT, false), new Field("o_custkey", DataType.BIGINT, true),
            new Field("o_orderdate", DataType.DATE, false), new Field("o_total", DataType.decimal(15, 2), true))), 1000);

    static ColumnRef ref(Schema s, int i) {
        return new ColumnRef(i, s.field(i).type(), s.field(i).nullable());
    }

    /** Q3's shape: Filter(AND of equalities and single-table predicates) over a comma join. */
    @Test
    void commaJoinBecomesAnEquiJoinWithPredicatesOnTheScans() {
        Rel join = new Join(TableScan.all(CUSTOMER), TableScan.all(ORDERS), JoinKind.INNER, Exprs.TRUE);
        Schema s = join.schema();
        Expr where = TypeRules.and(List.of(
                TypeRules.compare(Op.EQ, ref(s, 1), Literal.of("BUILDING")),
                TypeRules.compare(Op.EQ, ref(s, 0), ref(s, 4)),
                TypeRules.compare(Op.LT, ref(s, 5), new Call(Op.ADD_DAYS, List.of(Literal.of(LocalDate.of(1995, 3, 1)), Literal.ofInt(14)), DataType.DATE, false))));
        Rel plan = new Project(new Filter(join, where), List.of(ref(s, 2), ref(s, 6)), List.of("c_name", "o_total"));
        OptimizeResult r = Optimizer.standard().optimize(plan);
        assertEquals("""
                Project [c_name, o_total]
                  Join INNER on (c_custkey = o_custkey)
                    Project [o_custkey, o_total]
                      Filter (o_orderdate < DATE '1995-03-15')
                        TableScan orders [o_custkey, o_orderdate, o_total]
                    Project [c_custkey, c_name]
                      Filter (c_mktsegment = 'BUILDING')
                        TableScan customer [c_custkey, c_mktsegment, c_name]
                """, PlanPrinter.print(r.plan()));
        assertEquals("""
                pass constant-folding: fold-constants ×1
                pass filter-pushdown: push-filter-into-join ×1
                pass join-ordering: reorder-joins ×1
                pass column-pruning: prune-columns ×1
                pass project-cleanup: merge-projects ×1
                  reorder-joins: join order (orders ⋈ customer) by DPccp, cost 10 (the order as written; build sides by size)
                """, r.traceSummary());
    }

    @Test
    void disablingARuleByNameKeepsItsPatternAndUnknownNamesAreErrors() {
        Rel join = new Join(TableScan.all(CUSTOMER), TableScan.all(ORDERS), JoinKind.INNER, Exprs.TRUE);
        Schema s = join.schema();
        Rel plan = new Filter(join, TypeRules.compare(Op.EQ, ref(s, 0), ref(s, 4)));
        Rel kept = Optimizer.standard().disable("filter-pushdown").disable("join-ordering").disable("column-pruning").optimize(plan).plan();
        assertEquals(plan, kept);
        var e = assertThrows(KilnException.class, () -> Optimizer.standard().disable("push-filters"));
        assertEquals(true, e.getMessage().startsWith("no optimizer pass or rule named 'push-filters'; passes: [constant-folding"), e.getMessage());
    }

    @Test
    void leftJoinKeepsRightSidePredicatesAboveTheJoin() {
        Rel join = new Join(TableScan.all(CUSTOMER), TableScan.all(ORDERS), JoinKind.LEFT,
                TypeRules.compare(Op.EQ, ref(CUSTOMER.schema().concat(ORDERS.schema()), 0), ref(CUSTOMER.schema().concat(ORDERS.schema()), 4)));
        Schema s = join.schema();
        // o_total IS NULL also holds for unmatched customers, so it must stay above (o_orderkey IS
        // NULL, on a NOT NULL column, would be an anti join: SemiAntiJoinRulesTest)
        Rel plan = new Filter(join, TypeRules.isNull(ref(s, 6), false));
        Rel optimized = Optimizer.standard().disable("column-pruning").optimize(plan).plan();
        assertEquals(plan, optimized);
    }

    // ---- equivalence on random data and plans ---------------------------------------------------

    static List<Object[]> rows(TableRef t, Random r, int n) {
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (t == CUSTOMER) {
                out.add(new Object[] {(long) r.nextInt(20), r.nextInt(4) == 0 ? null : new String[] {"BUILDING", "AUTO", "FURN"}[r.nextInt(3)], "c" + r.nextInt(5)});
            } else {
                out.add(new Object[] {(long) i, r.nextInt(5) == 0 ? null : (long) r.nextInt(25), LocalDate.of(1995, 1, 1).plusDays(r.nextInt(120)),
                        r.nextInt(6) == 0 ? null : BigDecimal.valueOf(r.nextInt(100000), 2)});
            }
        }
        return out;
    }

    static Expr predicate(Schema s, Random r, int cw) {
        return switch (r.nextInt(6)) {
            case 0 -> TypeRules.compare(Op.EQ, ref(s, 1), Literal.of("BUILDING"));
            case 1 -> TypeRules.compare(Op.EQ, ref(s, 0), ref(s, cw + 1));
            case 2 -> TypeRules.compare(Op.LT, ref(s, cw + 2), Literal.of(LocalDate.of(1995, 2, 1).plusDays(r.nextInt(30))));
            case 3 -> TypeRules.compare(Op.GT, ref(s, cw + 3), new Call(Op.PLUS, List.of(Literal.of(new BigDecimal("100.00")), Literal.of(new BigDecimal("0.50"))), DataType.decimal(6, 2), false));
            case 4 -> TypeRules.or(List.of(TypeRules.isNull(ref(s, 1), false), TypeRules.compare(Op.LT, ref(s, 0), ref(s, cw))));
            default -> TypeRules.not(TypeRules.compare(Op.EQ, ref(s, 2), Literal.of("c1")));
        };
    }

    static Rel randomPlan(Random r) {
        JoinKind kind = new JoinKind[] {JoinKind.INNER, JoinKind.LEFT, JoinKind.SEMI, JoinKind.ANTI}[r.nextInt(4)];
        Schema both = CUSTOMER.schema().concat(ORDERS.schema());
        int cw = CUSTOMER.schema().size();
        List<Expr> cond = new ArrayList<>();
        cond.add(TypeRules.compare(Op.EQ, ref(both, 0), ref(both, cw + 1)));
        if (r.nextBoolean()) cond.add(predicate(both, r, cw));
        Rel join = new Join(TableScan.all(CUSTOMER), TableScan.all(ORDERS), kind, kind == JoinKind.INNER && r.nextBoolean() ? Exprs.TRUE : Exprs.and(cond));
        Schema s = join.schema();
        List<Expr> where = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            Expr p = predicate(kind.projectsRight() ? s : both, r, cw);
            if (!kind.projectsRight() && !Exprs.columnsUsed(p).get(cw, both.size()).isEmpty()) continue;
            where.add(p);
        }
        if (kind == JoinKind.INNER && join instanceof Join j && j.condition().equals(Exprs.TRUE)) where.add(cond.getFirst());
        Rel plan = where.isEmpty() ? join : new Filter(join, Exprs.and(where));
        if (r.nextBoolean()) {
            plan = new Aggregate(plan, List.of(2), List.of(new AggCall(AggFunc.COUNT, List.of(), false, DataType.BIGINT, false, "n"),
                    new AggCall(AggFunc.MIN, List.of(0), false, DataType.BIGINT, false, "m")));
            if (r.nextBoolean()) plan = new Filter(plan, TypeRules.compare(Op.NE, ref(plan.schema(), 0), Literal.of("c2")));
        }
        return plan;
    }

    static List<String> canonical(List<Object[]> rows) {
        return rows.stream().map(Arrays::toString).sorted().toList();
    }

    @Property(tries = 300)
    void optimizedPlansReturnTheSameRows(@ForAll long seed) {
        Random r = new Random(seed);
        Map<String, List<Object[]>> data = Map.of("customer", rows(CUSTOMER, r, r.nextInt(30)), "orders", rows(ORDERS, r, r.nextInt(60)));
        Rel plan = randomPlan(r);
        List<String> expected = canonical(Interpreter.execute(plan, t -> data.get(t.name())));
        Optimizer standard = Optimizer.standard();
        List<Optimizer> variants = new ArrayList<>(List.of(standard));
        for (String rule : standard.ruleNames()) variants.add(standard.disable(rule));
        for (Optimizer o : variants) {
            Rel optimized = o.optimize(plan).plan();
            assertEquals(expected, canonical(Interpreter.execute(optimized, t -> data.get(t.name()))),
                    "seed " + seed + "\nplan:\n" + PlanPrinter.print(plan) + "optimized:\n" + PlanPrinter.print(optimized));
        }
    }
}
