package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.BinOp;
import dev.kiln.codegen.tree.Block;
import dev.kiln.codegen.tree.If;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Local;
import dev.kiln.codegen.tree.NullConst;
import dev.kiln.codegen.tree.Ternary;
import dev.kiln.codegen.tree.ThisField;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Case;
import dev.kiln.ir.expr.Cast;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.InList;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.NullLiteral;
import dev.kiln.ir.type.DataType;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compiles IR expressions into code-tree statements and values, emitted into the current block
 * of a {@link CodeBuilder}. Operators with side effects (exact arithmetic that may raise
 * overflow, division) are guarded by their NULL flags; conditional forms (CASE, AND, OR,
 * COALESCE) evaluate lazily so an error in an untaken branch is never raised.
 */
final class ExprCompiler {
    final PipelineClass cls;
    final CodeBuilder cb;

    /**
     * Inside an out-of-line method of a large expression: the expression the method computes
     * (compiled here), any larger-than-{@link OutOfLine#SUB_EXPRESSION} part of which goes to a
     * method of its own; null when nothing is split.
     */
    private final Expr splitRoot;

    ExprCompiler(PipelineClass cls, CodeBuilder cb) {
        this(cls, cb, null);
    }

    ExprCompiler(PipelineClass cls, CodeBuilder cb, Expr splitRoot) {
        this.cls = cls;
        this.cb = cb;
        this.splitRoot = splitRoot;
    }

    Value compile(Expr e, Row row) {
        if (splitRoot != null && e != splitRoot && !(e instanceof ColumnRef) && OutOfLine.size(e) > OutOfLine.SUB_EXPRESSION) {
            return OutOfLine.compile(this, e, row);
        }
        return switch (e) {
            case ColumnRef r -> row.get(r.index()).load(cb);
            case Literal l -> literal(l);
            case NullLiteral n -> nullValue(n.type());
            case Call c -> new CallCompiler(this).compile(c, row);
            case Cast c -> new CastCompiler(this).compile(compile(c.input(), row), c.type());
            case Case c -> caseWhen(c, row);
            case InList in -> inList(in, row);
        };
    }

    /** Emits {@code body} inside {@code if (condition is TRUE)}. */
    void ifTrue(Expr condition, Row row, Runnable body) {
        Value v = compile(condition, row);
        JExpr test = isTrue(v);
        Block then = cb.block(body);
        cb.emit(If.of(test, then));
    }

    static JExpr isTrue(Value v) {
        JExpr value = ((Value.Scalar) v).value();
        return J.and(J.not(v.isNull()), value);
    }

    Value nullValue(DataType type) {
        if (type instanceof DataType.VarcharType) {
            return new Value.Str(J.TRUE, new NullConst(J.SEGMENT), J.c(0L), J.c(0));
        }
        return new Value.Scalar(type, J.TRUE, J.zero(J.jtype(type)));
    }

    Value literal(Literal l) {
        Object physical = Literals.physical(l);
        return switch (l.type()) {
            case DataType.VarcharType v -> {
                // copied off-heap once, when the query compiles: a copy per pipeline instance (each run, each
                // tiny batch of a continuous query) left a GC-cleaned arena behind every time
                ThisField seg = cls.param(Fn.offHeap((byte[]) physical), J.SEGMENT, raw -> new dev.kiln.codegen.tree.Convert(raw, J.SEGMENT));
                yield new Value.Str(J.FALSE, seg, J.c(0L), J.convert(J.vcall(seg, MemorySegment.class, "byteSize"), JType.INT));
            }
            case DataType.BooleanType b -> new Value.Scalar(l.type(), J.FALSE, cls.param(physical, JType.BOOLEAN, PipelineClass::unboxBoolean));
            default -> {
                JType t = J.jtype(l.type());
                ThisField f;
                if (t.equals(JType.INT)) f = cls.param(physical, t, PipelineClass::unboxInt);
                else if (t.equals(JType.LONG)) f = cls.param(physical, t, PipelineClass::unboxLong);
                else f = cls.param(physical, t, PipelineClass::unboxDouble);
                yield new Value.Scalar(l.type(), J.FALSE, f);
            }
        };
    }

    /** Copies a value into fresh locals so it can be used several times without re-evaluation. */
    Value materialize(Value v) {
        return switch (v) {
            case Value.Scalar s -> new Value.Scalar(s.type(), simple(s.isNull(), "n", JType.BOOLEAN), simple(s.value(), "v", s.value().type()));
            case Value.Str s -> new Value.Str(s.type(), simple(s.isNull(), "n", JType.BOOLEAN), simple(s.segment(), "s", J.SEGMENT),
                    simple(s.offset(), "o", JType.LONG), simple(s.length(), "l", JType.INT));
        };
    }

    private JExpr simple(JExpr e, String hint, JType type) {
        if (e instanceof Local || e instanceof dev.kiln.codegen.tree.Const || e instanceof ThisField || e instanceof NullConst) return e;
        return cb.declare(hint, type, e);
    }

    /** A local holding {@code isNull ? zero : compute}, so a throwing computation never sees a NULL's garbage. */
    JExpr guarded(JExpr isNull, JExpr compute, String hint) {
        JType t = compute.type();
        JExpr e = isNull.equals(J.FALSE) ? compute : new Ternary(isNull, J.zero(t), compute);
        return cb.declare(hint, t, e);
    }

    private Value caseWhen(Case c, Row row) {
        boolean str = c.type() instanceof DataType.VarcharType;
        Local isNull = cb.declare("cn", JType.BOOLEAN, J.TRUE);
        Local value = str ? null : cb.declare("cv", J.jtype(c.type()), J.zero(J.jtype(c.type())));
        Local seg = str ? cb.declare("cs", J.SEGMENT, new NullConst(J.SEGMENT)) : null;
        Local off = str ? cb.declare("co", JType.LONG, J.c(0L)) : null;
        Local len = str ? cb.declare("cl", JType.INT, J.c(0)) : null;
        Runnable assignOtherwise = () -> assignTo(compile(c.otherwise(), row), isNull, value, seg, off, len);
        Block chain = cb.block(assignOtherwise);
        for (int i = c.branches().size() - 1; i >= 0; i--) {
            Case.When w = c.branches().get(i);
            Block elseBlock = chain;
            chain = cb.block(() -> {
                Value cond = compile(w.condition(), row);
                Block then = cb.block(() -> assignTo(compile(w.result(), row), isNull, value, seg, off, len));
                cb.emit(new If(isTrue(cond), then, Optional.of(elseBlock)));
            });
        }
        for (var s : chain.stmts()) cb.emit(s);
        return str ? new Value.Str(isNull, seg, off, len) : new Value.Scalar(c.type(), isNull, value);
    }

    void assignTo(Value v, Local isNull, Local value, Local seg, Local off, Local len) {
        cb.emit(J.assign(isNull, v.isNull()));
        switch (v) {
            case Value.Scalar s -> cb.emit(J.assign(value, s.value()));
            case Value.Str s -> {
                cb.emit(J.assign(seg, s.segment()));
                cb.emit(J.assign(off, s.offset()));
                cb.emit(J.assign(len, s.length()));
            }
        }
    }

    private Value inList(InList in, Row row) {
        Value v = materialize(compile(in.value(), row));
        // TRUE if some element equals; else NULL if the value or an element is NULL; else FALSE
        JExpr anyEqual = J.FALSE;
        JExpr anyNull = v.isNull();
        List<JExpr> equalities = new ArrayList<>();
        for (Expr item : in.list()) {
            Value iv = materialize(compile(item, row));
            equalities.add(J.and(J.not(iv.isNull()), Comparisons.equal(v, iv)));
            anyNull = J.or(anyNull, iv.isNull());
        }
        for (JExpr eq : equalities) anyEqual = J.or(anyEqual, eq);
        Local result = cb.declare("in", JType.BOOLEAN, J.and(J.not(v.isNull()), anyEqual));
        Local isNull = cb.declare("inn", JType.BOOLEAN, J.and(J.not(result), anyNull));
        return new Value.Scalar(DataType.BOOLEAN, isNull, result);
    }

    static KilnException unsupported(String what) {
        return new KilnException(what + " is not supported by the code generator yet");
    }

    static JExpr binary(BinOp op, JExpr a, JExpr b) {
        return J.bin(op, a, b);
    }
}
