package dev.kiln.frontend.plan;

import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import java.util.List;

/**
 * {@code x IN (subquery)} and {@code x NOT IN (subquery)} as filter conditions, lowered to a semi
 * or anti join. NOT IN keeps SQL's three-valued rules: a row passes only if the subquery is empty,
 * or x is not NULL, no subquery value equals x and none is NULL. For that the input is first
 * cross-joined with the subquery's row count and non-NULL count (one row).
 */
final class Subqueries {
    private Subqueries() {}

    /** The resolver's input restricted by the subquery condition; its columns come first, extra columns may follow. */
    static Rel in(Resolver r, Column.InSubquery s) {
        Relation sub = s.subquery();
        if (sub.schema().size() != 1) {
            throw r.error("an IN subquery must have one column, this one has " + sub.schema().size() + ": " + sub.schema().names());
        }
        Expr value = r.resolve(s.value());
        Rel in = r.input();
        Field f = sub.schema().field(0);
        int width = in.schema().size();
        if (!s.negated()) {
            Expr eq = compare(r, value, new ColumnRef(width, f.type(), f.nullable()));
            return new Join(in, sub.rel(), JoinKind.SEMI, eq);
        }
        Rel counts = new Aggregate(sub.rel(), List.of(), List.of(
                Relation.agg(AggFunc.COUNT, -1, DataType.BIGINT, false, "$rows"), Relation.agg(AggFunc.COUNT, 0, DataType.BIGINT, false, "$values")));
        Rel withCounts = new Join(in, counts, JoinKind.INNER, Literal.of(true));
        ColumnRef rows = new ColumnRef(width, DataType.BIGINT, false);
        ColumnRef values = new ColumnRef(width + 1, DataType.BIGINT, false);
        Expr empty = TypeRules.compare(Op.EQ, rows, Literal.of(0L));
        Expr noNulls = TypeRules.and(List.of(TypeRules.isNull(value, true), TypeRules.compare(Op.EQ, values, rows)));
        Rel decided = new Filter(withCounts, TypeRules.or(List.of(empty, noNulls)));
        Expr eq = compare(r, value, new ColumnRef(width + 2, f.type(), f.nullable()));
        return new Join(decided, sub.rel(), JoinKind.ANTI, eq);
    }

    private static Expr compare(Resolver r, Expr value, Expr subValue) {
        try {
            return TypeRules.compare(Op.EQ, value, subValue);
        } catch (dev.kiln.ir.KilnException e) {
            throw r.error(e.getMessage());
        }
    }
}
