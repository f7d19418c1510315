package dev.kiln.optimizer;

import static dev.kiln.optimizer.Fixtures.ref;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
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
import dev.kiln.ir.type.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Random well-typed plans over {@link Fixtures#TABLES}: scans of column subsets, filters with
 * constant parts, NULL tests, IN lists, CASE and OR, projections with arithmetic, joins of every
 * kind (comma joins with the equality in a filter above, too), aggregates, sorts with and without
 * limits. No operator that can raise an error on the generated data (no division, no text casts),
 * and sorts order on every column, so the oracle's result is a well-defined multiset.
 */
final class RandomPlans {
    private RandomPlans() {}

    static Rel plan(Random r, int depth) {
        if (depth == 0 || r.nextInt(5) == 0) return scan(r);
        return switch (r.nextInt(8)) {
            case 0, 1 -> filter(r, plan(r, depth - 1));
            case 2 -> project(r, plan(r, depth - 1));
            case 3, 4 -> join(r, plan(r, depth - 1), plan(r, depth - 1));
            case 5 -> aggregate(r, plan(r, depth - 1));
            case 6 -> union(r, plan(r, depth - 1));
            default -> sort(r, plan(r, depth - 1));
        };
    }

    /** UNION ALL of a plan and a filtered copy of it (the same schema). */
    static Rel union(Random r, Rel input) {
        return new dev.kiln.ir.rel.Union(input.schema(), List.of(input, filter(r, input)));
    }

    static Rel filter(Random r, Rel input) {
        return new Filter(input, predicate(r, input.schema(), 2));
    }

    static TableScan scan(Random r) {
        TableRef t = Fixtures.TABLES.get(r.nextInt(Fixtures.TABLES.size()));
        if (r.nextBoolean()) return TableScan.all(t);
        List<Integer> cols = new ArrayList<>();
        for (int i = 0; i < t.schema().size(); i++) if (r.nextInt(3) > 0) cols.add(i);
        if (cols.isEmpty()) cols.add(r.nextInt(t.schema().size()));
        Collections.shuffle(cols, r);
        return new TableScan(t, cols);
    }

    static Rel project(Random r, Rel input) {
        Schema s = input.schema();
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            exprs.add(scalar(r, s));
            names.add("p" + i);
        }
        return new Project(input, exprs, names);
    }

    static Expr scalar(Random r, Schema s) {
        int c = r.nextInt(s.size());
        ColumnRef col = ref(s, c);
        return switch (r.nextInt(7)) {
            case 0, 1 -> col;
            case 2 -> col.type() instanceof DataType.IntType || col.type() instanceof DataType.DecimalType
                    ? TypeRules.arithmetic(Op.PLUS, col, r.nextBoolean() ? Literal.ofInt(r.nextInt(3)) : TypeRules.arithmetic(Op.TIMES, Literal.ofInt(2), Literal.ofInt(1)))
                    : col;
            case 3 -> TypeRules.coalesce(List.of(col, literal(col.type(), r)));
            case 4 -> TypeRules.caseWhen(List.of(new Case.When(predicate(r, s, 1), col)), r.nextBoolean() ? new NullLiteral(col.type()) : literal(col.type(), r));
            case 5 -> predicate(r, s, 1);
            default -> literal(DataType.INTEGER, r);
        };
    }

    static Expr literal(DataType t, Random r) {
        Object v = Fixtures.value(t, r);
        return new Literal(v, t);
    }

    static Expr predicate(Random r, Schema s, int depth) {
        if (depth > 0 && r.nextInt(3) == 0) {
            return switch (r.nextInt(5)) {
                case 0 -> TypeRules.and(List.of(predicate(r, s, depth - 1), predicate(r, s, depth - 1)));
                case 1 -> TypeRules.or(List.of(predicate(r, s, depth - 1), predicate(r, s, depth - 1)));
                case 2 -> TypeRules.not(predicate(r, s, depth - 1));
                case 3 -> TypeRules.and(List.of(predicate(r, s, depth - 1), constant(r)));
                default -> TypeRules.caseWhen(List.of(new Case.When(predicate(r, s, depth - 1), predicate(r, s, depth - 1))), constant(r));
            };
        }
        return atom(r, s);
    }

    static Expr constant(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> Exprs.TRUE;
            case 1 -> Exprs.FALSE;
            case 2 -> new NullLiteral(DataType.BOOLEAN);
            case 3 -> TypeRules.compare(Op.LT, Literal.ofInt(r.nextInt(3)), Literal.of(1L));
            default -> TypeRules.compare(Op.EQ, new NullLiteral(DataType.INTEGER), Literal.ofInt(1));
        };
    }

    static Expr atom(Random r, Schema s) {
        ColumnRef col = ref(s, r.nextInt(s.size()));
        if (r.nextInt(6) == 0) return TypeRules.isNull(col, r.nextBoolean());
        if (r.nextInt(5) == 0) {
            Optional<ColumnRef> other = compatibleColumn(r, s, col);
            if (other.isPresent()) return TypeRules.compare(comparison(r), col, other.get());
        }
        return switch (col.type()) {
            case DataType.IntType i -> r.nextInt(4) == 0
                    ? TypeRules.inList(col, List.of(Literal.of((long) r.nextInt(5)), Literal.ofInt(r.nextInt(5))))
                    : TypeRules.compare(comparison(r), col, r.nextBoolean() ? Literal.of((long) r.nextInt(5)) : Literal.ofInt(r.nextInt(5)));
            case DataType.DecimalType d -> TypeRules.compare(comparison(r), col, Literal.of(new BigDecimal(r.nextInt(500) - 50).movePointLeft(1)));
            case DataType.VarcharType v -> r.nextBoolean()
                    ? TypeRules.compare(comparison(r), col, Literal.of(new String[] {"a", "ab", "b"}[r.nextInt(3)]))
                    : new Call(Op.LIKE, List.of(col, Literal.of(r.nextBoolean() ? "a%" : "_")), DataType.BOOLEAN, col.nullable());
            case DataType.DateType d -> TypeRules.compare(comparison(r), col,
                    new Call(Op.ADD_DAYS, List.of(Literal.of(LocalDate.of(1995, 3, 1)), Literal.ofInt(r.nextInt(6))), DataType.DATE, false));
            case DataType.BooleanType b -> col;
            default -> TypeRules.isNull(col, false);
        };
    }

    static Op comparison(Random r) {
        return new Op[] {Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE}[r.nextInt(6)];
    }

    static boolean compatible(DataType a, DataType b) {
        return a.equals(b) || (a.isNumeric() && b.isNumeric());
    }

    static Optional<ColumnRef> compatibleColumn(Random r, Schema s, ColumnRef col) {
        List<Integer> ok = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) if (i != col.index() && compatible(s.field(i).type(), col.type())) ok.add(i);
        return ok.isEmpty() ? Optional.empty() : Optional.of(ref(s, ok.get(r.nextInt(ok.size()))));
    }

    static Rel join(Random r, Rel left, Rel right) {
        JoinKind kind = JoinKind.values()[r.nextInt(JoinKind.values().length)];
        Schema both = left.schema().concat(right.schema());
        int lw = left.schema().size();
        List<Expr> cond = new ArrayList<>();
        List<Integer> lcols = new ArrayList<>();
        for (int i = 0; i < lw; i++) lcols.add(i);
        Collections.shuffle(lcols, r);
        for (int i : lcols) {
            List<Integer> rcols = new ArrayList<>();
            for (int j = lw; j < both.size(); j++) if (compatible(both.field(i).type(), both.field(j).type())) rcols.add(j);
            if (!rcols.isEmpty()) {
                Expr lhs = ref(both, i);
                if (r.nextInt(4) == 0 && lhs.type() instanceof DataType.IntType) lhs = TypeRules.arithmetic(Op.PLUS, lhs, Literal.ofInt(1));
                cond.add(TypeRules.compare(Op.EQ, lhs, ref(both, rcols.get(r.nextInt(rcols.size())))));
                break;
            }
        }
        if (r.nextBoolean()) cond.add(predicate(r, both, 1));
        if (kind == JoinKind.INNER && r.nextBoolean()) {
            // a comma join: the equalities arrive in a WHERE clause above a cross product
            Rel cross = new Join(left, right, kind, Exprs.TRUE);
            return cond.isEmpty() ? cross : new Filter(cross, Exprs.and(cond));
        }
        return new Join(left, right, kind, Exprs.and(cond));
    }

    static Rel aggregate(Random r, Rel input) {
        Schema s = input.schema();
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) if (r.nextInt(3) == 0 && keys.size() < 2) keys.add(i);
        List<AggCall> aggs = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(s.size());
            DataType t = s.field(c).type();
            boolean nullableArg = s.field(c).nullable() || keys.isEmpty();
            AggFunc f = new AggFunc[] {AggFunc.COUNT, AggFunc.SUM, AggFunc.MIN, AggFunc.MAX, AggFunc.AVG}[r.nextInt(5)];
            if ((f == AggFunc.SUM || f == AggFunc.AVG) && !(t instanceof DataType.IntType || t instanceof DataType.DecimalType)) f = AggFunc.COUNT;
            if (f == AggFunc.MIN && t instanceof DataType.BooleanType) f = AggFunc.COUNT;
            if (f == AggFunc.MAX && t instanceof DataType.BooleanType) f = AggFunc.COUNT;
            aggs.add(switch (f) {
                case COUNT -> r.nextBoolean()
                        ? new AggCall(AggFunc.COUNT, List.of(), false, DataType.BIGINT, false, "n" + i)
                        : new AggCall(AggFunc.COUNT, List.of(c), r.nextInt(4) == 0, DataType.BIGINT, false, "n" + i);
                default -> new AggCall(f, List.of(c), false, TypeRules.aggregateType(f, Optional.of(t)), nullableArg, "g" + i);
            });
        }
        return new Aggregate(input, keys, aggs);
    }

    static Rel sort(Random r, Rel input) {
        List<SortKey> keys = new ArrayList<>();
        List<Integer> cols = new ArrayList<>();
        for (int i = 0; i < input.schema().size(); i++) cols.add(i);
        Collections.shuffle(cols, r);
        for (int c : cols) keys.add(r.nextBoolean() ? SortKey.asc(c) : SortKey.desc(c));
        long limit = r.nextInt(3) == 0 ? r.nextInt(5) : -1;
        long offset = r.nextInt(4) == 0 ? r.nextInt(3) : 0;
        return new Sort(input, keys, offset, limit);
    }
}
