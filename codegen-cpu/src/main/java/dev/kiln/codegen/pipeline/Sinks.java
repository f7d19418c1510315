package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.Block;
import dev.kiln.codegen.tree.If;
import dev.kiln.codegen.tree.JExpr;
import dev.kiln.codegen.tree.ThisField;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.vector.BatchCollector;
import dev.kiln.runtime.vector.VectorBuilder;
import java.util.Optional;

/** Pipeline sinks that materialize rows into columnar batches. */
final class Sinks {
    private Sinks() {}

    /** Appends the row to the collector of result {@code resultId}. */
    static void collect(PipelineClass p, ExprCompiler ec, Row row, int resultId, Schema schema) {
        ThisField coll = p.resource(new Step.CollectorResource(resultId, schema), BatchCollector.class);
        for (int from = 0; from < row.size(); from += COLUMNS_PER_METHOD) {
            int to = Math.min(row.size(), from + COLUMNS_PER_METHOD);
            if (row.size() <= COLUMNS_PER_METHOD) {
                for (int k = from; k < to; k++) append(ec.cb, J.vcall(coll, BatchCollector.class, "builder", J.c(k)), row.get(k).load(ec.cb));
            } else {
                appendOutOfLine(p, ec, coll, row, from, to);
            }
        }
        ec.cb.emit(J.eval(J.vcall(coll, BatchCollector.class, "rowAppended")));
    }

    /** Wide rows: appends of a run of columns in a private method, so the loop stays small. */
    static final int COLUMNS_PER_METHOD = 16;

    private static void appendOutOfLine(PipelineClass p, ExprCompiler ec, ThisField coll, Row row, int from, int to) {
        CodeBuilder mcb = new CodeBuilder();
        java.util.List<dev.kiln.codegen.tree.LocalVar> params = new java.util.ArrayList<>();
        java.util.List<JExpr> args = new java.util.ArrayList<>();
        for (int k = from; k < to; k++) {
            Value v = ec.materialize(row.get(k).load(ec.cb));
            var n = mcb.fresh("n", dev.kiln.codegen.tree.JType.BOOLEAN);
            params.add(n);
            args.add(v.isNull());
            Value inner = switch (v) {
                case Value.Scalar s -> {
                    var x = mcb.fresh("v", s.value().type());
                    params.add(x);
                    args.add(s.value());
                    yield new Value.Scalar(s.type(), new dev.kiln.codegen.tree.Local(n), new dev.kiln.codegen.tree.Local(x));
                }
                case Value.Str s -> {
                    var seg = mcb.fresh("s", J.SEGMENT);
                    var off = mcb.fresh("o", dev.kiln.codegen.tree.JType.LONG);
                    var len = mcb.fresh("l", dev.kiln.codegen.tree.JType.INT);
                    params.add(seg);
                    params.add(off);
                    params.add(len);
                    args.add(s.segment());
                    args.add(s.offset());
                    args.add(s.length());
                    yield new Value.Str(s.type(), new dev.kiln.codegen.tree.Local(n), new dev.kiln.codegen.tree.Local(seg),
                            new dev.kiln.codegen.tree.Local(off), new dev.kiln.codegen.tree.Local(len));
                }
            };
            append(mcb, J.vcall(coll, BatchCollector.class, "builder", J.c(k)), inner);
        }
        String name = p.methodName("collect");
        p.extraMethods.add(new dev.kiln.codegen.tree.MethodDef(name, dev.kiln.codegen.tree.JType.VOID, params, mcb.close(), false));
        ec.cb.emit(J.eval(new dev.kiln.codegen.tree.InvokeThis(name, dev.kiln.codegen.tree.JType.VOID, args)));
    }

    static void append(CodeBuilder cb, JExpr builder, Value v) {
        JExpr append = switch (v) {
            case Value.Str s -> J.vcall(builder, VectorBuilder.class, s.type() instanceof dev.kiln.ir.type.DataType.VarcharType ? "appendString" : "appendCell",
                    s.segment(), s.offset(), s.length());
            case Value.Scalar s -> switch (s.type().physical()) {
                case BOOL -> J.vcall(builder, VectorBuilder.class, "appendBoolean", s.value());
                case I8, I16, I32 -> J.vcall(builder, VectorBuilder.class, "appendInt", s.value());
                case I64 -> J.vcall(builder, VectorBuilder.class, "appendLong", s.value());
                case F64 -> J.vcall(builder, VectorBuilder.class, "appendDouble", s.value());
                default -> throw ExprCompiler.unsupported("materializing " + s.type().sql());
            };
        };
        if (v.isNull().equals(J.FALSE)) {
            cb.emit(J.eval(append));
        } else {
            cb.emit(new If(v.isNull(), Block.of(J.eval(J.vcall(builder, VectorBuilder.class, "appendNull"))), Optional.of(Block.of(J.eval(append)))));
        }
    }
}
