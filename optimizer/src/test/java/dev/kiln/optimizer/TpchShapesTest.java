package dev.kiln.optimizer;

import static dev.kiln.optimizer.Fixtures.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.rel.PlanValidator;
import dev.kiln.ir.expr.Call;
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
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** TPC-H-shaped plans as the frontend produces them (comma joins under one WHERE), optimized. */
class TpchShapesTest {
    static final DataType MONEY = DataType.decimal(15, 2);
    static final TableRef CUSTOMER = new TableRef("customer", new Schema(List.of(
            new Field("c_custkey", DataType.BIGINT, false), new Field("c_name", DataType.VARCHAR, false),
            new Field("c_address", DataType.VARCHAR, false), new Field("c_mktsegment", DataType.VARCHAR, false))), 150);
    static final TableRef ORDERS = new TableRef("orders", new Schema(List.of(
            new Field("o_orderkey", DataType.BIGINT, false), new Field("o_custkey", DataType.BIGINT, false),
            new Field("o_orderstatus", DataType.VARCHAR, false), new Field("o_orderdate", DataType.DATE, false),
            new Field("o_shippriority", DataType.INTEGER, false))), 1500);
    static final TableRef LINEITEM = new TableRef("lineitem", new Schema(List.of(
            new Field("l_orderkey", DataType.BIGINT, false), new Field("l_quantity", MONEY, false),
            new Field("l_extendedprice", MONEY, false), new Field("l_discount", MONEY, false),
            new Field("l_shipdate", DataType.DATE, false), new Field("l_comment", DataType.VARCHAR, false))), 6000);

    static Expr date(int y, int m, int d) {
        return Literal.of(LocalDate.of(y, m, d));
    }

    /**
     * TPC-H Q3: customer, orders, lineitem joined with commas; the dates written as
     * {@code DATE '1995-03-01' + INTERVAL '14' DAY} so that folding has work to do.
     */
    static Rel q3() {
        Rel cross = new Join(new Join(TableScan.all(CUSTOMER), TableScan.all(ORDERS), JoinKind.INNER, Exprs.TRUE),
                TableScan.all(LINEITEM), JoinKind.INNER, Exprs.TRUE);
        Schema s = cross.schema(); // c: 0..3, o: 4..8, l: 9..14
        Expr mar15 = new Call(Op.ADD_DAYS, List.of(date(1995, 3, 1), Literal.ofInt(14)), DataType.DATE, false);
        Expr where = TypeRules.and(List.of(
                TypeRules.compare(Op.EQ, ref(s, 3), Literal.of("BUILDING")),
                TypeRules.compare(Op.EQ, ref(s, 0), ref(s, 5)),
                TypeRules.compare(Op.EQ, ref(s, 9), ref(s, 4)),
                TypeRules.compare(Op.LT, ref(s, 7), mar15),
                TypeRules.compare(Op.GT, ref(s, 13), mar15)));
        Rel filtered = new Filter(cross, where);
        Expr revenue = TypeRules.arithmetic(Op.TIMES, ref(s, 11), TypeRules.arithmetic(Op.MINUS, Literal.ofInt(1), ref(s, 12)));
        Rel projected = new Project(filtered, List.of(ref(s, 9), ref(s, 7), ref(s, 8), revenue),
                List.of("l_orderkey", "o_orderdate", "o_shippriority", "rev"));
        Rel agg = new Aggregate(projected, List.of(0, 1, 2), List.of(new AggCall(AggFunc.SUM, List.of(3), false,
                TypeRules.aggregateType(AggFunc.SUM, java.util.Optional.of(revenue.type())), true, "revenue")));
        Schema a = agg.schema();
        Rel reordered = new Project(agg, List.of(ref(a, 0), ref(a, 3), ref(a, 1), ref(a, 2)),
                List.of("l_orderkey", "revenue", "o_orderdate", "o_shippriority"));
        return new Sort(reordered, List.of(SortKey.desc(1), SortKey.asc(2)), 0, 10);
    }

    @Test
    void q3PredicatesSitOnTheirScansJoinsCarryTheirKeysScansReadOnlyWhatIsUsed() {
        OptimizeResult r = Optimizer.standard().validatingWith(PlanValidator::validate).optimize(q3());
        assertEquals("""
                Sort [revenue DESC NULLS FIRST, o_orderdate ASC NULLS LAST] limit=10
                  Project [l_orderkey, revenue, o_orderdate, o_shippriority]
                    Aggregate keys=[l_orderkey, o_orderdate, o_shippriority] aggs=[revenue := SUM(rev)]
                      Project [l_orderkey, o_orderdate, o_shippriority, rev := l_extendedprice * (1 - l_discount)]
                        Join INNER on (l_orderkey = o_orderkey)
                          Project [l_orderkey, l_extendedprice, l_discount]
                            Filter (l_shipdate > DATE '1995-03-15')
                              TableScan lineitem [l_orderkey, l_extendedprice, l_discount, l_shipdate]
                          Project [o_orderkey, o_orderdate, o_shippriority]
                            Join INNER on (c_custkey = o_custkey)
                              Filter (o_orderdate < DATE '1995-03-15')
                                TableScan orders [o_orderkey, o_custkey, o_orderdate, o_shippriority]
                              Project [c_custkey]
                                Filter (c_mktsegment = 'BUILDING')
                                  TableScan customer [c_custkey, c_mktsegment]
                """, Fixtures.print(r.plan()));
        assertEquals("""
                pass constant-folding: fold-constants ×2
                pass filter-pushdown: push-filter-into-join ×2
                pass join-ordering: reorder-joins ×1
                pass column-pruning: prune-columns ×1
                pass project-cleanup: merge-projects ×1
                  reorder-joins: join order (lineitem ⋈ (orders ⋈ customer)) by DPccp, cost 30 (the order as written; build sides by size)
                """, r.traceSummary());
    }

    @Property(tries = 100)
    void q3ReturnsTheSameRowsOptimized(@ForAll long seed) {
        Random r = new Random(seed);
        Map<String, List<Object[]>> data = Map.of("customer", customers(r), "orders", orders(r), "lineitem", lineitems(r));
        Rel plan = q3();
        Fixtures.assertSameRows(plan, Optimizer.standard().optimize(plan).plan(), data, "seed " + seed);
    }

    static List<Object[]> customers(Random r) {
        List<Object[]> out = new ArrayList<>();
        for (long k = 0; k < 8; k++) out.add(new Object[] {k, "c" + k, "addr", r.nextBoolean() ? "BUILDING" : "AUTOMOBILE"});
        return out;
    }

    static List<Object[]> orders(Random r) {
        List<Object[]> out = new ArrayList<>();
        for (long k = 0; k < 15; k++) {
            out.add(new Object[] {k, (long) r.nextInt(10), "O", LocalDate.of(1995, 3, 10).plusDays(r.nextInt(10)), (long) r.nextInt(2)});
        }
        return out;
    }

    static List<Object[]> lineitems(Random r) {
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            out.add(new Object[] {(long) r.nextInt(16), BigDecimal.valueOf(r.nextInt(50), 0).setScale(2), BigDecimal.valueOf(r.nextInt(100000), 2),
                    BigDecimal.valueOf(r.nextInt(10), 2), LocalDate.of(1995, 3, 10).plusDays(r.nextInt(10)), "x"});
        }
        return out;
    }
}
