package dev.kiln.ir.rel;

import dev.kiln.ir.eval.Casts;
import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.ExprPrinter;
import dev.kiln.ir.expr.InList;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.List;

/**
 * Checks that a plan obeys the IR's rules, so that every backend may assume them: column
 * references in range and agreeing with their input's field type and nullability (a reference may
 * claim NULLs where the field has none, not the reverse), conditions BOOLEAN, operators applied to
 * the operand types of ir/expr/package-info with the result type those rules give
 * ({@link CallTyping}), nullability claims that cover every NULL the expression can produce,
 * aggregates and sort keys in range and typed by the rules, Values rows of constants matching the
 * schema. A pure check: it returns normally or throws {@link PlanValidationException} naming the
 * operator path ("Sort > Join > right Filter") and the problem.
 */
public final class PlanValidator {
    private PlanValidator() {}

    public static void validate(Rel rel) {
        validate(rel, name(rel));
    }

    /** Checks one expression over rows of {@code input}; {@code where} names it in the message. */
    public static void validate(Expr e, Schema input, String where) {
        new ExprCheck(input, where).check(e);
    }

    private static String name(Rel rel) {
        return rel.getClass().getSimpleName();
    }

    private static void validate(Rel rel, String path) {
        List<Rel> inputs = rel.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            String label = rel instanceof Join ? (i == 0 ? "left " : "right ") : "";
            validate(inputs.get(i), path + " > " + label + name(inputs.get(i)));
        }
        switch (rel) {
            case TableScan s -> { } // its constructor checks the columns against the table
            case Values v -> values(v, path);
            case Union u -> {
                for (int i = 0; i < u.inputs().size(); i++) {
                    var in = u.inputs().get(i).schema();
                    if (in.size() != u.schema().size()) throw new PlanValidationException(path + ": union input " + i + " has " + in.size() + " columns, the union " + u.schema().size());
                    for (int c = 0; c < in.size(); c++) {
                        if (!in.field(c).type().equals(u.schema().field(c).type())) {
                            throw new PlanValidationException(path + ": union input " + i + " column " + c + " is " + in.field(c).type().sql() + ", the union's " + u.schema().field(c).type().sql());
                        }
                        if (in.field(c).nullable() && !u.schema().field(c).nullable()) throw new PlanValidationException(path + ": union column " + c + " is NOT NULL but input " + i + " may be NULL");
                    }
                }
            }
            case Filter f -> condition(f.condition(), f.input().schema(), path + ", condition");
            case Project p -> {
                for (int i = 0; i < p.exprs().size(); i++) {
                    validate(p.exprs().get(i), p.input().schema(), path + ", expression " + p.names().get(i));
                }
            }
            case Join j -> condition(j.condition(), j.left().schema().concat(j.right().schema()), path + ", condition");
            case Aggregate a -> aggregate(a, path);
            case Sort s -> {
                for (SortKey k : s.keys()) {
                    if (k.column() < 0 || k.column() >= s.input().schema().size()) {
                        throw fail(path, "sort key #" + k.column() + " is out of range: the input has " + s.input().schema().size() + " columns");
                    }
                }
            }
            case Infer i -> infer(i, path);
            case SessionWindow w -> {
                Schema in = w.input().schema();
                for (int k : w.keys()) {
                    if (k < 0 || k >= in.size()) throw fail(path, "session key #" + k + " is out of range: the input has " + in.size() + " columns");
                }
                if (w.time() < 0 || w.time() >= in.size()) throw fail(path, "session time column #" + w.time() + " is out of range: the input has " + in.size() + " columns");
                if (!(in.field(w.time()).type() instanceof DataType.TimestampType)) {
                    throw fail(path, "session windows need a TIMESTAMP time column, not " + in.field(w.time()).type().sql() + " (" + in.field(w.time()).name() + ")");
                }
            }
        }
    }

    /** Each argument fits its model input: a tensor of the input's per-row shape, or a number for a scalar input. */
    private static void infer(Infer i, String path) {
        var graph = i.argumentModel().graph();
        if (i.prelude().isPresent()) {
            var p = i.prelude().get();
            TensorValue out;
            try {
                out = p.graphOutput();
            } catch (IllegalArgumentException e) {
                throw fail(path, e.getMessage());
            }
            var want = i.model().graph().inputs().getFirst();
            if (out.type().element() != want.type().element() || out.type().rank() != want.type().rank()) {
                throw fail(path, "prelude " + p.model().name() + " output " + p.output() + " is " + out.type() + ", but model " + i.model().name() + " input "
                        + want.name() + " takes " + want.type());
            }
        }
        Schema in = i.input().schema();
        if (i.args().size() != graph.inputs().size()) {
            throw fail(path, "model " + i.argumentModel().name() + " takes " + graph.inputs().size() + " inputs " + graph.inputs().stream().map(v -> v.name()).toList()
                    + " but got " + i.args().size() + " arguments");
        }
        for (int a = 0; a < i.args().size(); a++) {
            int c = i.args().get(a);
            if (c < 0 || c >= in.size()) throw fail(path, "argument #" + c + " is out of range: the input has " + in.size() + " columns");
            var modelInput = graph.inputs().get(a);
            var rowType = Infer.rowType(modelInput.type());
            DataType t = in.field(c).type();
            boolean scalarInput = rowType.rank() == 0 || rowType.rank() == 1 && rowType.shape().dim(0).equals(dev.kiln.ir.tensor.Dim.of(1));
            boolean ok = t instanceof DataType.TensorType tt ? tt.tensor().element() == rowType.element() && tt.tensor().rank() == rowType.rank()
                    : Infer.isText(rowType) ? t instanceof DataType.VarcharType : scalarInput && t.isNumeric();
            if (!ok) {
                throw fail(path, "model " + i.argumentModel().name() + " input " + modelInput.name() + " takes " + (Infer.isText(rowType) ? "a VARCHAR" : rowType) + " per row, but column "
                        + in.field(c).name() + " is " + t.sql());
            }
        }
        for (Infer.Output o : i.outputs()) {
            try {
                i.graphOutput(o.modelOutput());
            } catch (IllegalArgumentException e) {
                throw fail(path, e.getMessage());
            }
        }
    }

    private static void condition(Expr e, Schema input, String where) {
        validate(e, input, where);
        if (!(e.type() instanceof DataType.BooleanType)) {
            throw fail(where, "must be BOOLEAN, not " + e.type().sql() + ": " + ExprPrinter.print(e, input));
        }
    }

    private static void values(Values v, String path) {
        Schema s = v.schema();
        for (int r = 0; r < v.rows().size(); r++) {
            List<Expr> row = v.rows().get(r);
            if (row.size() != s.size()) throw fail(path, "row " + r + " has " + row.size() + " values but the schema has " + s.size() + " columns");
            for (int c = 0; c < row.size(); c++) {
                Expr e = row.get(c);
                Field f = s.field(c);
                String at = "row " + r + ", column " + f.name() + ": ";
                if (!(e instanceof Literal || e instanceof NullLiteral)) throw fail(path, at + "must be a constant, not " + ExprPrinter.print(e, Schema.of()));
                if (!e.type().equals(f.type())) throw fail(path, at + e.type().sql() + " value in a " + f.type().sql() + " column");
                if (e instanceof NullLiteral && !f.nullable()) throw fail(path, at + "NULL in a NOT NULL column");
            }
        }
    }

    private static void aggregate(Aggregate a, String path) {
        Schema in = a.input().schema();
        for (int k : a.groupKeys()) {
            if (k < 0 || k >= in.size()) throw fail(path, "group key #" + k + " is out of range: the input has " + in.size() + " columns");
        }
        for (AggCall c : a.aggs()) {
            String at = "aggregate " + c.name() + ": ";
            for (int k : c.args()) {
                if (k < 0 || k >= in.size()) throw fail(path, at + "argument #" + k + " is out of range: the input has " + in.size() + " columns");
            }
            if (c.func() == AggFunc.COUNT) {
                if (!c.type().equals(DataType.BIGINT)) throw fail(path, at + "COUNT is BIGINT, not " + c.type().sql());
                continue;
            }
            if (c.args().size() != 1) throw fail(path, at + c.func() + " takes one argument, not " + c.args().size());
            Field arg = in.field(c.args().getFirst());
            DataType expected = CallTyping.aggregateType(c.func(), arg.type());
            if (expected == null) throw fail(path, at + c.func() + " is not defined on " + arg.type().sql());
            if (!expected.equals(c.type())) throw fail(path, at + c.func() + " of " + arg.type().sql() + " is " + expected.sql() + ", not " + c.type().sql());
            boolean mayBeNull = arg.nullable() || a.groupKeys().isEmpty();
            if (mayBeNull && !c.nullable()) {
                throw fail(path, at + "claims NOT NULL but " + (arg.nullable() ? "its argument " + arg.name() + " is nullable" : "there are no group keys, so empty input gives NULL"));
            }
        }
    }

    static PlanValidationException fail(String where, String problem) {
        return new PlanValidationException("invalid plan at " + where + ": " + problem);
    }

    /** Checks an expression tree bottom-up against one input schema. */
    private record ExprCheck(Schema input, String where) {
        void check(Expr e) {
            for (Expr child : dev.kiln.ir.expr.Exprs.children(e)) check(child);
            String problem = problem(e);
            if (problem != null) throw fail(where, problem + " in " + ExprPrinter.print(e, input));
        }

        /** What is wrong with this node given valid children, or null. */
        private String problem(Expr e) {
            return switch (e) {
                case ColumnRef r -> {
                    if (r.index() >= input.size()) yield "column #" + r.index() + " is out of range: the input has " + input.size() + " columns";
                    Field f = input.field(r.index());
                    if (!f.type().equals(r.type())) yield "column #" + r.index() + " (" + f.name() + ") is " + f.type().sql() + ", not " + r.type().sql();
                    if (f.nullable() && !r.nullable()) yield "column #" + r.index() + " (" + f.name() + ") is nullable but the reference claims NOT NULL";
                    yield null;
                }
                case Literal l -> l.type() instanceof DataType.DecimalType d
                        && ((java.math.BigDecimal) l.value()).unscaledValue().abs().compareTo(java.math.BigInteger.TEN.pow(d.precision())) >= 0
                        ? "DECIMAL literal " + ((java.math.BigDecimal) l.value()).toPlainString() + " has more digits than " + d.sql()
                        : null; // the constructor checked the Java class and the scale
                case NullLiteral n -> isScalar(n.type()) ? null : "NULL of non-scalar type " + n.type().sql();
                case Cast c -> Casts.isSupported(c.input().type(), c.type()) ? null : "CAST from " + c.input().type().sql() + " to " + c.type().sql() + " is not defined";
                case Case c -> {
                    for (Case.When w : c.branches()) {
                        if (!(w.condition().type() instanceof DataType.BooleanType)) yield "CASE condition is " + w.condition().type().sql() + ", not BOOLEAN";
                        if (!w.result().type().equals(c.type())) yield "CASE result is " + w.result().type().sql() + " but the CASE is " + c.type().sql();
                    }
                    if (!c.otherwise().type().equals(c.type())) yield "ELSE is " + c.otherwise().type().sql() + " but the CASE is " + c.type().sql();
                    boolean mayBeNull = c.otherwise().nullable() || c.branches().stream().anyMatch(w -> w.result().nullable());
                    yield mayBeNull && !c.nullable() ? "CASE claims NOT NULL but a result is nullable" : null;
                }
                case InList in -> {
                    if (!isScalar(in.value().type())) yield "IN on " + in.value().type().sql();
                    for (Expr x : in.list()) {
                        if (!x.type().equals(in.value().type())) yield "IN list element is " + x.type().sql() + " but the value is " + in.value().type().sql();
                    }
                    boolean mayBeNull = in.value().nullable() || in.list().stream().anyMatch(Expr::nullable);
                    yield mayBeNull && !in.nullable() ? "IN claims NOT NULL but an operand is nullable" : null;
                }
                case Call c -> CallTyping.problem(c);
            };
        }
    }

    static boolean isScalar(DataType t) {
        return !(t instanceof DataType.StructType) && !(t instanceof DataType.TensorType);
    }
}
