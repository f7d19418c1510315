package dev.kiln.frontend.plan;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Union;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * UNION ALL, INTERSECT and EXCEPT of two relations, lowered as the SQL frontend lowers them:
 * both sides cast to the columns' common types, INTERSECT and EXCEPT as a union of the two sides
 * tagged by origin, grouped on every column (so NULLs compare equal, as set operations require).
 */
final class SetOperations {
    private SetOperations() {}

    static Relation unionAll(Relation a, Relation b) {
        Schema common = commonSchema(a, b, "unionAll");
        Rel union = new Union(common, List.of(castTo(a.rel(), common, List.of()), castTo(b.rel(), common, List.of())));
        return new Relation(union, Collections.nCopies(common.size(), null));
    }

    static Relation intersectOrExcept(Relation a, Relation b, boolean intersect) {
        String op = intersect ? "intersect" : "except";
        Schema common = commonSchema(a, b, op);
        int n = common.size();
        // each side with two counters: 1 for the side it came from, 0 for the other
        List<Expr> left = List.of(Literal.of(1L), Literal.of(0L));
        List<Expr> right = List.of(Literal.of(0L), Literal.of(1L));
        List<Field> fields = new ArrayList<>(common.fields());
        fields.add(new Field("$left", DataType.BIGINT, false));
        fields.add(new Field("$right", DataType.BIGINT, false));
        Schema tagged = new Schema(fields);
        Rel union = new Union(tagged, List.of(castTo(a.rel(), common, left), castTo(b.rel(), common, right)));
        Rel counted = new Aggregate(union, Relation.range(n), List.of(
                Relation.agg(AggFunc.SUM, n, DataType.BIGINT, false, "$left"), Relation.agg(AggFunc.SUM, n + 1, DataType.BIGINT, false, "$right")));
        ColumnRef inLeft = new ColumnRef(n, DataType.BIGINT, false);
        ColumnRef inRight = new ColumnRef(n + 1, DataType.BIGINT, false);
        Expr zero = Literal.of(0L);
        Expr keep = intersect
                ? TypeRules.and(List.of(TypeRules.compare(Op.GT, inLeft, zero), TypeRules.compare(Op.GT, inRight, zero)))
                : TypeRules.and(List.of(TypeRules.compare(Op.GT, inLeft, zero), TypeRules.compare(Op.EQ, inRight, zero)));
        Rel kept = new Filter(counted, keep);
        List<Expr> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) refs.add(Relation.ref(kept.schema(), i));
        return new Relation(new Project(kept, refs, common.names()), Collections.nCopies(n, null));
    }

    /** The left side's names, each column of the two sides' common type, nullable if either is. */
    private static Schema commonSchema(Relation a, Relation b, String op) {
        Schema x = a.schema();
        Schema y = b.schema();
        if (x.size() != y.size()) {
            throw new KilnException(op + ": the two sides have " + x.size() + " and " + y.size() + " columns: " + x.names() + " and " + y.names());
        }
        List<Field> out = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            DataType t;
            try {
                t = TypeRules.commonType(x.field(i).type(), y.field(i).type());
            } catch (KilnException e) {
                throw new KilnException(op + ": column " + (i + 1) + " (" + x.field(i).name() + ", " + y.field(i).name() + ") is "
                        + x.field(i).type().sql() + " on one side and " + y.field(i).type().sql() + " on the other; cast one side");
            }
            out.add(new Field(x.field(i).name(), t, x.field(i).nullable() || y.field(i).nullable()));
        }
        return new Schema(out);
    }

    /** The input's columns cast to {@code common}'s types, followed by {@code extra}. */
    private static Rel castTo(Rel in, Schema common, List<Expr> extra) {
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>(common.names());
        boolean identity = extra.isEmpty();
        for (int i = 0; i < common.size(); i++) {
            Expr e = TypeRules.castTo(Relation.ref(in.schema(), i), common.field(i).type());
            identity &= e instanceof ColumnRef && in.schema().field(i).name().equals(common.field(i).name());
            exprs.add(e);
        }
        if (identity && in.schema().size() == common.size()) return in;
        exprs.addAll(extra);
        for (int i = 0; i < extra.size(); i++) names.add(i == 0 ? "$left" : "$right");
        return new Project(in, exprs, names);
    }
}
