package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.AssignThisField;
import dev.kiln.codegen.tree.InvokeThis;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Local;
import dev.kiln.codegen.tree.LocalVar;
import dev.kiln.codegen.tree.MethodDef;
import dev.kiln.codegen.tree.Return;
import dev.kiln.codegen.tree.ThisField;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Method splitting: a large expression is compiled into a private method of the pipeline class
 * that takes the input columns it reads as parameters and returns its value (the NULL flag, and
 * a string's offset and length, come back through fields). The fused loop keeps one call, which
 * the JIT inlines when it is small and simply calls when it is not — either way no method comes
 * near the 8 KB limit above which HotSpot refuses to compile.
 */
final class OutOfLine {
    private OutOfLine() {}

    /** A projection or filter whose expressions have more nodes than this in total gets split. */
    static final int LARGE_OPERATOR = 60;

    static int size(Expr e) {
        int[] n = {0};
        Exprs.visit(e, x -> n[0]++);
        return n[0];
    }

    static boolean worthSplitting(List<Expr> exprs) {
        return exprs.stream().mapToInt(OutOfLine::size).sum() > LARGE_OPERATOR;
    }

    /**
     * Inside an out-of-line method, a part of the expression larger than this is a method of its
     * own (recursively), and long AND / OR chains are first grouped into nested ones of about
     * this size, so that no method holds more than a few of them, however large the predicate.
     */
    static final int SUB_EXPRESSION = 40;

    static Value compile(ExprCompiler ec, Expr expr, Row row) {
        PipelineClass pc = ec.cls;
        CodeBuilder mcb = new CodeBuilder();
        List<LocalVar> params = new ArrayList<>();
        List<JExpr> args = new ArrayList<>();
        Expr e = size(expr) > SUB_EXPRESSION ? groupChains(expr) : expr;
        Row innerRow = passColumns(ec, row, Exprs.columnsUsed(e), mcb, params, args);
        Value result = new ExprCompiler(pc, mcb, size(e) > SUB_EXPRESSION ? e : null).compile(e, innerRow);
        String name = pc.methodName("expr");
        ThisField nullOut = pc.field("nullOut", JType.BOOLEAN);
        mcb.emit(new AssignThisField(nullOut.name(), JType.BOOLEAN, result.isNull()));
        return switch (result) {
            case Value.Scalar s -> {
                JType t = s.value().type();
                mcb.emit(new Return(java.util.Optional.of(s.value())));
                pc.extraMethods.add(new MethodDef(name, t, params, mcb.close(), false));
                Local v = ec.cb.declare("ol", t, new InvokeThis(name, t, args));
                Local n = ec.cb.declare("oln", JType.BOOLEAN, nullOut);
                yield new Value.Scalar(s.type(), n, v);
            }
            case Value.Str s -> {
                ThisField offOut = pc.field("offOut", JType.LONG);
                ThisField lenOut = pc.field("lenOut", JType.INT);
                mcb.emit(new AssignThisField(offOut.name(), JType.LONG, s.offset()));
                mcb.emit(new AssignThisField(lenOut.name(), JType.INT, s.length()));
                mcb.emit(new Return(java.util.Optional.of(s.segment())));
                pc.extraMethods.add(new MethodDef(name, J.SEGMENT, params, mcb.close(), false));
                Local seg = ec.cb.declare("ols", J.SEGMENT, new InvokeThis(name, J.SEGMENT, args));
                Local n = ec.cb.declare("oln", JType.BOOLEAN, nullOut);
                Local off = ec.cb.declare("olo", JType.LONG, offOut);
                Local len = ec.cb.declare("oll", JType.INT, lenOut);
                yield new Value.Str(n, seg, off, len);
            }
        };
    }

    /**
     * AND / OR calls of many operands regrouped into nested calls of at most
     * {@link #SUB_EXPRESSION} nodes each (both are associative under three-valued logic).
     */
    static Expr groupChains(Expr e) {
        return Exprs.rewrite(e, x -> {
            if (!(x instanceof dev.kiln.ir.expr.Call c) || (c.op() != dev.kiln.ir.expr.Op.AND && c.op() != dev.kiln.ir.expr.Op.OR)) return x;
            List<Expr> operands = c.args();
            while (operands.size() > 4 && operands.stream().mapToInt(OutOfLine::size).sum() > SUB_EXPRESSION) {
                List<Expr> grouped = new ArrayList<>();
                List<Expr> group = new ArrayList<>();
                int nodes = 0;
                for (Expr a : operands) {
                    if (!group.isEmpty() && nodes + size(a) > SUB_EXPRESSION) {
                        grouped.add(chain(c, group));
                        group = new ArrayList<>();
                        nodes = 0;
                    }
                    group.add(a);
                    nodes += size(a);
                }
                grouped.add(chain(c, group));
                if (grouped.size() == operands.size()) {
                    // every operand is large by itself: pair them up instead
                    grouped = new ArrayList<>();
                    for (int i = 0; i < operands.size(); i += 2) grouped.add(chain(c, operands.subList(i, Math.min(i + 2, operands.size()))));
                }
                operands = grouped;
            }
            return operands == c.args() ? x : new dev.kiln.ir.expr.Call(c.op(), operands, c.type(), c.nullable());
        });
    }

    private static Expr chain(dev.kiln.ir.expr.Call like, List<Expr> operands) {
        if (operands.size() == 1) return operands.getFirst();
        return new dev.kiln.ir.expr.Call(like.op(), List.copyOf(operands), like.type(), operands.stream().anyMatch(Expr::nullable));
    }

    /** Expressions per projection chunk method (by node count). */
    static final int CHUNK_NODES = 40;

    /**
     * A wide projection in chunks: each chunk is a private method that evaluates its expressions
     * from the input columns it is passed and leaves the results in fields, which the rest of the
     * pipeline reads. The loop keeps one call per chunk.
     */
    static Row projectInChunks(ExprCompiler ec, List<Expr> exprs, Row row) {
        PipelineClass pc = ec.cls;
        Row.Column[] out = new Row.Column[exprs.size()];
        int i = 0;
        while (i < exprs.size()) {
            if (exprs.get(i) instanceof dev.kiln.ir.expr.ColumnRef r) {
                out[i] = row.get(r.index());
                i++;
                continue;
            }
            List<Integer> chunk = new ArrayList<>();
            int nodes = 0;
            while (i < exprs.size() && !(exprs.get(i) instanceof dev.kiln.ir.expr.ColumnRef) && (chunk.isEmpty() || nodes + size(exprs.get(i)) <= CHUNK_NODES)) {
                nodes += size(exprs.get(i));
                chunk.add(i++);
            }
            BitSet used = new BitSet();
            for (int k : chunk) used.or(Exprs.columnsUsed(exprs.get(k)));
            CodeBuilder mcb = new CodeBuilder();
            List<LocalVar> params = new ArrayList<>();
            List<JExpr> args = new ArrayList<>();
            Row inner = passColumns(ec, row, used, mcb, params, args);
            ExprCompiler mec = new ExprCompiler(pc, mcb);
            for (int k : chunk) {
                Value v = mec.compile(exprs.get(k), inner);
                ThisField n = pc.field("pn", JType.BOOLEAN);
                mcb.emit(new AssignThisField(n.name(), JType.BOOLEAN, v.isNull()));
                out[k] = switch (v) {
                    case Value.Scalar sc -> {
                        ThisField f = pc.field("pv", sc.value().type());
                        mcb.emit(new AssignThisField(f.name(), f.type(), sc.value()));
                        yield new Row.Fixed(new Value.Scalar(sc.type(), n, f));
                    }
                    case Value.Str st -> {
                        ThisField seg = pc.field("ps", J.SEGMENT);
                        ThisField off = pc.field("po", JType.LONG);
                        ThisField len = pc.field("pl", JType.INT);
                        mcb.emit(new AssignThisField(seg.name(), J.SEGMENT, st.segment()));
                        mcb.emit(new AssignThisField(off.name(), JType.LONG, st.offset()));
                        mcb.emit(new AssignThisField(len.name(), JType.INT, st.length()));
                        yield new Row.Fixed(new Value.Str(n, seg, off, len));
                    }
                };
            }
            String name = pc.methodName("project");
            pc.extraMethods.add(new MethodDef(name, JType.VOID, params, mcb.close(), false));
            ec.cb.emit(J.eval(new InvokeThis(name, JType.VOID, args)));
        }
        return new Row(List.of(out));
    }

    /** Loads the used columns in the caller and binds them to parameters of a new method. */
    static Row passColumns(ExprCompiler ec, Row row, BitSet used, CodeBuilder mcb, List<LocalVar> params, List<JExpr> args) {
        List<Row.Column> inner = new ArrayList<>();
        for (int c = 0; c < row.size(); c++) {
            if (!used.get(c)) {
                int col = c;
                inner.add(cb -> {
                    throw new KilnException("internal: column #" + col + " is not passed to an out-of-line method");
                });
                continue;
            }
            Value v = ec.materialize(row.get(c).load(ec.cb));
            LocalVar n = mcb.fresh("n", JType.BOOLEAN);
            params.add(n);
            args.add(v.isNull());
            switch (v) {
                case Value.Scalar s -> {
                    LocalVar x = mcb.fresh("v", s.value().type());
                    params.add(x);
                    args.add(s.value());
                    inner.add(new Row.Fixed(new Value.Scalar(s.type(), new Local(n), new Local(x))));
                }
                case Value.Str s -> {
                    LocalVar seg = mcb.fresh("s", J.SEGMENT);
                    LocalVar off = mcb.fresh("o", JType.LONG);
                    LocalVar len = mcb.fresh("l", JType.INT);
                    params.add(seg);
                    params.add(off);
                    params.add(len);
                    args.add(s.segment());
                    args.add(s.offset());
                    args.add(s.length());
                    inner.add(new Row.Fixed(new Value.Str(new Local(n), new Local(seg), new Local(off), new Local(len))));
                }
            }
        }
        return new Row(inner);
    }
}
