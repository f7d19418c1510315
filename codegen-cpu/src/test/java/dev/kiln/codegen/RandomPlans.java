package dev.kiln.codegen;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.InList;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.expr.Op;
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
import java.util.Random;

/**
 * Random tables (with NULLs, duplicates and strings) and random well-typed plans over them, for
 * differential tests of the code generator against the reference interpreter.
 */
final class RandomPlans {
    static final DataType DEC = DataType.decimal(12, 2);

    /** Columns: k BIGINT (small domain, join/group key), i INTEGER?, d DECIMAL(12,2)?, s VARCHAR?, dt DATE, x DOUBLE? */
    static Schema schema() {
        return new Schema(List.of(
                new Field("k", DataType.BIGINT, false),
                new Field("i", DataType.INTEGER, true),
                new Field("d", DEC, true),
                new Field("s", DataType.VARCHAR, true),
                new Field("dt", DataType.DATE, false),
                new Field("x", DataType.DOUBLE, true)));
    }

    static final String[] WORDS = {"", "a", "ab", "abc", "b", "ba", "zz", "Ünï", "日本", "x'y", "a%b", "it's \"q\"", "*/", "\u0000"};

    static List<Object[]> rows(Random r, int n) {
        List<Object[]> rows = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            rows.add(new Object[] {
                    (long) r.nextInt(8),
                    r.nextInt(6) == 0 ? null : (long) (r.nextInt(200) - 100),
                    r.nextInt(6) == 0 ? null : BigDecimal.valueOf(r.nextInt(200000) - 100000, 2),
                    r.nextInt(6) == 0 ? null : WORDS[r.nextInt(WORDS.length)],
                    LocalDate.of(1994, 1, 1).plusDays(r.nextInt(800)),
                    r.nextInt(6) == 0 ? null : (double) (r.nextInt(2000) - 1000) / 8,
            });
        }
        return rows;
    }

    static dev.kiln.runtime.vector.Table table(String name, List<Object[]> rows, dev.kiln.runtime.memory.QueryMemory mem) {
        dev.kiln.runtime.vector.TableBuilder tb = new dev.kiln.runtime.vector.TableBuilder(name, schema(), mem);
        for (Object[] row : rows) tb.appendRow(row);
        return tb.build();
    }

    private final Random r;

    RandomPlans(Random r) {
        this.r = r;
    }

    Rel plan(TableRef t1, TableRef t2) {
        Rel rel = TableScan.all(t1);
        int shape = r.nextInt(9);
        if (shape == 0 || shape == 5) rel = new Filter(rel, predicate(rel.schema()));
        if (shape == 1) rel = project(rel);
        if (shape == 2) rel = join(rel, TableScan.all(t2));
        if (shape == 3) rel = aggregate(new Filter(rel, predicate(rel.schema())));
        if (shape == 4) rel = aggregate(join(new Filter(rel, predicate(rel.schema())), TableScan.all(t2)));
        if (shape == 5) rel = aggregate(project(rel));
        // two joins in one pipeline: marked tables drained one after the other (FULL into FULL…)
        if (shape == 6) rel = join(join(rel, TableScan.all(t2)), TableScan.all(t2));
        // UNION ALL of filtered scans (its inputs collected, then scanned as one), maybe aggregated or joined
        if (shape == 7 || shape == 8) {
            List<Rel> ins = new ArrayList<>(List.of(new Filter(rel, predicate(rel.schema())), TableScan.all(t2)));
            if (r.nextBoolean()) ins.add(new Filter(TableScan.all(t2), predicate(rel.schema())));
            rel = new dev.kiln.ir.rel.Union(schema(), ins);
            if (shape == 8) rel = r.nextBoolean() ? aggregate(rel) : join(rel, TableScan.all(t1));
        }
        if (r.nextInt(3) == 0) {
            List<SortKey> keys = new ArrayList<>();
            for (int c = 0; c < rel.schema().size(); c++) keys.add(r.nextBoolean() ? SortKey.asc(c) : SortKey.desc(c));
            rel = new Sort(rel, keys, 0, r.nextBoolean() ? -1 : r.nextInt(5));
        }
        return rel;
    }

    private Rel join(Rel left, Rel right) {
        JoinKind kind = JoinKind.values()[r.nextInt(JoinKind.values().length)];
        int lw = left.schema().size();
        Schema both = left.schema().concat(right.schema());
        Expr cond = cmp(Op.EQ, ref(both, 0), ref(both, lw)); // k = k
        if (r.nextBoolean()) cond = and(cond, cmp(Op.EQ, ref(both, 3), ref(both, lw + 3))); // s = s
        if (r.nextInt(3) == 0) cond = and(cond, cmp(Op.LT, ref(both, 1), ref(both, lw + 1))); // residual i < i
        return new Join(left, right, kind, cond);
    }

    private Rel project(Rel in) {
        Schema s = in.schema();
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        exprs.add(ref(s, 0));
        names.add("k");
        exprs.add(numeric(s, 2));
        names.add("n");
        exprs.add(decimalExpr(s));
        names.add("dd");
        exprs.add(stringExpr(s));
        names.add("ss");
        exprs.add(predicate(s));
        names.add("b");
        return new Project(in, exprs, names);
    }

    private Rel aggregate(Rel in) {
        Schema s = in.schema();
        List<Integer> keys = new ArrayList<>();
        for (int c = 0; c < s.size(); c++) if (r.nextInt(4) == 0 && keys.size() < 2) keys.add(c);
        List<AggCall> aggs = new ArrayList<>();
        aggs.add(new AggCall(AggFunc.COUNT, List.of(), false, DataType.BIGINT, false, "cnt"));
        for (int c = 0; c < s.size(); c++) {
            Field f = s.field(c);
            boolean nullable = f.nullable() || keys.isEmpty();
            switch (r.nextInt(5)) {
                case 0 -> aggs.add(new AggCall(AggFunc.COUNT, List.of(c), false, DataType.BIGINT, false, "c" + c));
                case 1 -> aggs.add(new AggCall(AggFunc.MIN, List.of(c), false, f.type(), nullable, "min" + c));
                case 2 -> aggs.add(new AggCall(AggFunc.MAX, List.of(c), false, f.type(), nullable, "max" + c));
                case 3 -> {
                    if (f.type() instanceof DataType.IntType) aggs.add(new AggCall(AggFunc.SUM, List.of(c), false, DataType.BIGINT, nullable, "sum" + c));
                    if (f.type() instanceof DataType.DecimalType d) aggs.add(new AggCall(AggFunc.SUM, List.of(c), false, DataType.decimal(18, d.scale()), nullable, "sum" + c));
                }
                default -> {
                    if (f.type().isNumeric()) aggs.add(new AggCall(AggFunc.AVG, List.of(c), false, DataType.DOUBLE, nullable, "avg" + c));
                }
            }
        }
        return new Aggregate(in, keys, aggs);
    }

    static ColumnRef ref(Schema s, int c) {
        return new ColumnRef(c, s.field(c).type(), s.field(c).nullable());
    }

    static Expr cmp(Op op, Expr a, Expr b) {
        return new Call(op, List.of(a, b), DataType.BOOLEAN, a.nullable() || b.nullable());
    }

    static Expr and(Expr a, Expr b) {
        return new Call(Op.AND, List.of(a, b), DataType.BOOLEAN, a.nullable() || b.nullable());
    }

    Expr predicate(Schema s) {
        return predicate(s, 2);
    }

    private Expr predicate(Schema s, int depth) {
        int pick = r.nextInt(depth > 0 ? 11 : 7);
        Op[] cmps = {Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE};
        Op op = cmps[r.nextInt(cmps.length)];
        return switch (pick) {
            case 0 -> cmp(op, ref(s, 0), new Literal((long) r.nextInt(8), DataType.BIGINT));
            case 1 -> cmp(op, ref(s, 1), r.nextInt(5) == 0 ? new NullLiteral(DataType.INTEGER) : new Literal((long) r.nextInt(100) - 50, DataType.INTEGER));
            case 2 -> cmp(op, ref(s, 2), new Literal(BigDecimal.valueOf(r.nextInt(2000) - 1000, 2), DEC));
            case 3 -> cmp(op, ref(s, 3), new Literal(WORDS[r.nextInt(WORDS.length)], DataType.VARCHAR));
            case 4 -> cmp(op, ref(s, 4), new Literal(LocalDate.of(1994, 6, 1).plusDays(r.nextInt(400)), DataType.DATE));
            case 5 -> new Call(r.nextBoolean() ? Op.IS_NULL : Op.IS_NOT_NULL, List.of(ref(s, 1 + r.nextInt(5))), DataType.BOOLEAN, false);
            case 6 -> new Call(Op.LIKE, List.of(ref(s, 3), new Literal(new String[] {"a%", "%b", "%a%", "_", "a_c", "%"}[r.nextInt(6)], DataType.VARCHAR)), DataType.BOOLEAN, true);
            case 7 -> and(predicate(s, depth - 1), predicate(s, depth - 1));
            case 8 -> {
                Expr a = predicate(s, depth - 1);
                Expr b = predicate(s, depth - 1);
                yield new Call(Op.OR, List.of(a, b), DataType.BOOLEAN, a.nullable() || b.nullable());
            }
            case 9 -> {
                Expr a = predicate(s, depth - 1);
                yield new Call(Op.NOT, List.of(a), DataType.BOOLEAN, a.nullable());
            }
            default -> new InList(ref(s, 0), List.of(new Literal(1L, DataType.BIGINT), new Literal(3L, DataType.BIGINT), new Literal(5L, DataType.BIGINT)), false);
        };
    }

    /** A BIGINT expression (column i widened, arithmetic with small constants). */
    private Expr numeric(Schema s, int depth) {
        Expr i = new Cast(ref(s, 1), DataType.BIGINT);
        Expr base = r.nextBoolean() ? i : ref(s, 0);
        if (depth == 0) return base;
        Op op = new Op[] {Op.PLUS, Op.MINUS, Op.TIMES, Op.DIVIDE, Op.MOD}[r.nextInt(5)];
        Expr other = r.nextBoolean() ? new Literal((long) r.nextInt(7) - 3, DataType.BIGINT) : numeric(s, depth - 1);
        Expr arith = new Call(op, List.of(base, other), DataType.BIGINT, base.nullable() || other.nullable());
        if (r.nextInt(3) == 0) {
            Expr cond = predicate(s, 0);
            return new Case(List.of(new Case.When(cond, arith)), new NullLiteral(DataType.BIGINT), DataType.BIGINT, true);
        }
        return arith;
    }

    private Expr decimalExpr(Schema s) {
        Expr d = ref(s, 2);
        Literal c = new Literal(BigDecimal.valueOf(r.nextInt(300), 2), DataType.decimal(5, 2));
        return switch (r.nextInt(3)) {
            case 0 -> new Call(Op.PLUS, List.of(d, c), DataType.decimal(14, 2), true);
            case 1 -> new Call(Op.TIMES, List.of(d, c), DataType.decimal(17, 4), true);
            default -> new Call(Op.MINUS, List.of(c, d), DataType.decimal(14, 2), true);
        };
    }

    private Expr stringExpr(Schema s) {
        Expr str = ref(s, 3);
        return switch (r.nextInt(4)) {
            case 0 -> new Call(Op.SUBSTRING, List.of(str, new Literal((long) r.nextInt(4) - 1, DataType.BIGINT), new Literal((long) r.nextInt(3), DataType.BIGINT)), DataType.VARCHAR, true);
            case 1 -> new Call(Op.UPPER, List.of(str), DataType.VARCHAR, true);
            case 2 -> new Call(Op.CONCAT, List.of(str, new Literal("-", DataType.VARCHAR)), DataType.VARCHAR, true);
            default -> new Call(Op.COALESCE, List.of(str, new Literal("none", DataType.VARCHAR)), DataType.VARCHAR, false);
        };
    }
}
