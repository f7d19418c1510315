package dev.kiln.ir.rel;

import static dev.kiln.ir.E.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanPrinterTest {
    static final DataType MONEY = DataType.decimal(15, 2);
    static final TableRef LINEITEM = new TableRef("lineitem", Schema.of(
            new Field("l_orderkey", BIGINT, false), new Field("l_extendedprice", MONEY, false),
            new Field("l_discount", MONEY, false), new Field("l_shipdate", DataType.DATE, false)), 6_000_000);
    static final TableRef ORDERS = new TableRef("orders", Schema.of(
            new Field("o_orderkey", BIGINT, false), new Field("o_orderdate", DataType.DATE, false)), 1_500_000);

    /** A Q3-shaped plan. */
    static Rel q3() {
        Rel orders = new Filter(TableScan.all(ORDERS),
                new dev.kiln.ir.expr.Call(Op.LT, List.of(new ColumnRef(1, DataType.DATE, false), Literal.of(LocalDate.of(1995, 3, 15))), BOOL, false));
        Rel join = new Join(TableScan.all(LINEITEM), orders, JoinKind.INNER,
                new dev.kiln.ir.expr.Call(Op.EQ, List.of(new ColumnRef(0, BIGINT, false), new ColumnRef(4, BIGINT, false)), BOOL, false));
        Expr one = new Literal(new BigDecimal("1.00"), DataType.decimal(3, 2));
        Expr revenue = new dev.kiln.ir.expr.Call(Op.TIMES, List.of(new ColumnRef(1, MONEY, false),
                new dev.kiln.ir.expr.Call(Op.MINUS, List.of(one, new ColumnRef(2, MONEY, false)), DataType.decimal(16, 2), false)),
                DataType.decimal(18, 4), false);
        Rel project = new Project(join, List.of(new ColumnRef(0, BIGINT, false), new ColumnRef(5, DataType.DATE, false), revenue),
                List.of("l_orderkey", "o_orderdate", "_expr0"));
        Rel agg = new Aggregate(project, List.of(0, 1), List.of(new AggCall(AggFunc.SUM, List.of(2), false, DataType.decimal(18, 4), false, "revenue")));
        return new Sort(agg, List.of(SortKey.desc(2), SortKey.asc(1)), 0, 10);
    }

    @Test
    void printsOneOperatorPerLineIndentedByDepth() {
        assertEquals("""
                Sort [revenue DESC NULLS FIRST, o_orderdate ASC NULLS LAST] limit=10
                  Aggregate keys=[l_orderkey, o_orderdate] aggs=[revenue := SUM(_expr0)]
                    Project [l_orderkey, o_orderdate, _expr0 := l_extendedprice * (1.00 - l_discount)]
                      Join INNER on (l_orderkey = o_orderkey)
                        TableScan lineitem [l_orderkey, l_extendedprice, l_discount, l_shipdate]
                        Filter (o_orderdate < DATE '1995-03-15')
                          TableScan orders [o_orderkey, o_orderdate]
                """, PlanPrinter.print(q3()));
    }

    @Test
    void annotationsFollowEachLine() {
        String printed = PlanPrinter.print(q3(), r -> r instanceof TableScan s ? "rows=" + s.table().rowCount() : r instanceof Sort ? "" : "est");
        assertEquals("""
                Sort [revenue DESC NULLS FIRST, o_orderdate ASC NULLS LAST] limit=10
                  Aggregate keys=[l_orderkey, o_orderdate] aggs=[revenue := SUM(_expr0)] -- est
                    Project [l_orderkey, o_orderdate, _expr0 := l_extendedprice * (1.00 - l_discount)] -- est
                      Join INNER on (l_orderkey = o_orderkey) -- est
                        TableScan lineitem [l_orderkey, l_extendedprice, l_discount, l_shipdate] -- rows=6000000
                        Filter (o_orderdate < DATE '1995-03-15') -- est
                          TableScan orders [o_orderkey, o_orderdate] -- rows=1500000
                """, printed);
    }

    @Test
    void valuesCountStarDistinctOffsetSemiJoinAndAmbiguousNames() {
        Schema s = Schema.of(new Field("k", INT, true), new Field("name", TEXT, true));
        Rel values = new Values(s, List.of(List.of(i32(1), str("it's")), List.of(nul(INT), nul(TEXT))));
        Rel self = new Join(values, values, JoinKind.SEMI, call(Op.EQ, BOOL, col(0, INT), col(2, INT)));
        Rel agg = new Aggregate(self, List.of(1), List.of(
                new AggCall(AggFunc.COUNT, List.of(), false, BIGINT, false, "n"),
                new AggCall(AggFunc.COUNT, List.of(0), true, BIGINT, false, "dk")));
        Rel sort = new Sort(agg, List.of(SortKey.asc(0)), 5, -1);
        assertEquals("""
                Sort [name ASC NULLS LAST] offset=5
                  Aggregate keys=[name] aggs=[n := COUNT(*), dk := COUNT(DISTINCT k)]
                    Join SEMI on (k#0 = k#2)
                      Values [k, name] rows=[(1, 'it''s'), (NULL, NULL)]
                      Values [k, name] rows=[(1, 'it''s'), (NULL, NULL)]
                """, PlanPrinter.print(sort));
    }
}
