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
        for (int k = 0; k < row.size(); k++) {
            Value v = row.get(k).load(ec.cb);
            append(ec.cb, J.vcall(coll, BatchCollector.class, "builder", J.c(k)), v);
        }
        ec.cb.emit(J.eval(J.vcall(coll, BatchCollector.class, "rowAppended")));
    }

    static void append(CodeBuilder cb, JExpr builder, Value v) {
        JExpr append = switch (v) {
            case Value.Str s -> J.vcall(builder, VectorBuilder.class, "appendString", s.segment(), s.offset(), s.length());
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
