package dev.kiln.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.InList;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Sort;
import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.rel.Values;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;

/**
 * Structural checks of a frontend plan: every column reference is in range with the input's type
 * and nullability, conditions are BOOLEAN, operands of comparisons, IN lists and CASE results
 * have one type, aggregates are never DISTINCT (the frontend expands them), Values rows match.
 */
final class WellFormed {
    private WellFormed() {}

    static void check(Rel rel) {
        rel.inputs().forEach(WellFormed::check);
        switch (rel) {
            case TableScan s -> { }
            case Values v -> v.rows().forEach(row -> {
                assertEquals(v.schema().size(), row.size());
                for (int i = 0; i < row.size(); i++) {
                    Expr e = row.get(i);
                    assertTrue(e instanceof Literal || e instanceof NullLiteral, "Values hold literals: " + e);
                    assertEquals(v.schema().field(i).type(), e.type());
                }
            });
            case Filter f -> condition(f.condition(), f.input().schema());
            case Project p -> p.exprs().forEach(e -> expr(e, p.input().schema()));
            case Join j -> condition(j.condition(), j.left().schema().concat(j.right().schema()));
            case Aggregate a -> {
                Schema in = a.input().schema();
                a.groupKeys().forEach(k -> assertTrue(k < in.size()));
                for (AggCall c : a.aggs()) {
                    assertFalse(c.distinct(), "DISTINCT aggregate left in the plan: " + c);
                    c.args().forEach(k -> assertTrue(k < in.size(), "aggregate argument out of range: " + c));
                }
            }
            case Sort s -> {
                for (SortKey k : s.keys()) assertTrue(k.column() < s.input().schema().size());
            }
            case dev.kiln.ir.rel.Infer i -> i.args().forEach(a -> assertTrue(a < i.input().schema().size(), "model argument out of range"));
            case dev.kiln.ir.rel.SessionWindow w -> {
                w.keys().forEach(k -> assertTrue(k < w.input().schema().size(), "session key out of range"));
                assertEquals(DataType.TIMESTAMP, w.input().schema().field(w.time()).type(), "session time type");
            }
            case dev.kiln.ir.rel.Union u -> u.inputs().forEach(in -> {
                assertEquals(u.schema().size(), in.schema().size(), "union input width");
                for (int i = 0; i < in.schema().size(); i++) assertEquals(u.schema().field(i).type(), in.schema().field(i).type(), "union input column type");
            });
        }
    }

    private static void condition(Expr e, Schema in) {
        assertEquals(DataType.BOOLEAN, e.type(), "condition must be BOOLEAN");
        expr(e, in);
    }

    private static void expr(Expr e, Schema in) {
        switch (e) {
            case ColumnRef c -> {
                assertTrue(c.index() < in.size(), "column #" + c.index() + " out of range " + in);
                assertEquals(in.field(c.index()).type(), c.type(), "type of column #" + c.index());
                assertEquals(in.field(c.index()).nullable(), c.nullable(), "nullability of column #" + c.index());
            }
            case Literal l -> { }
            case NullLiteral n -> { }
            case Cast c -> expr(c.input(), in);
            case Call c -> {
                c.args().forEach(a -> expr(a, in));
                if (c.op().isComparison()) assertEquals(c.arg(0).type(), c.arg(1).type(), "comparison operands: " + c);
            }
            case Case c -> {
                c.branches().forEach(w -> {
                    condition(w.condition(), in);
                    expr(w.result(), in);
                    assertEquals(c.type(), w.result().type());
                });
                expr(c.otherwise(), in);
                assertEquals(c.type(), c.otherwise().type());
            }
            case InList i -> {
                expr(i.value(), in);
                i.list().forEach(x -> {
                    expr(x, in);
                    assertEquals(i.value().type(), x.type());
                });
            }
        }
    }
}
