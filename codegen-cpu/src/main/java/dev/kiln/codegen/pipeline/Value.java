package dev.kiln.codegen.pipeline;

import dev.kiln.codegen.tree.JExpr;
import dev.kiln.ir.type.DataType;

/**
 * A compiled SQL value inside generated code: the expressions that yield its NULL flag and its
 * value. Strings are views (segment, byte offset, byte length) so that scans, substrings and
 * comparisons never copy or allocate.
 */
sealed interface Value {
    DataType type();

    /** boolean expression; {@code Const false} when the value can never be NULL. */
    JExpr isNull();

    /** Fixed-width value held in a JVM primitive (BOOLEAN: boolean, I8..I32 and DATE: int, I64: long, F64: double). */
    record Scalar(DataType type, JExpr isNull, JExpr value) implements Value {}

    /**
     * VARCHAR: UTF-8 bytes [offset, offset + length) of segment; or any other value kept as a cell
     * of bytes in a heap, a TENSOR (see runtime's TensorCells), which is only passed along.
     */
    record Str(DataType type, JExpr isNull, JExpr segment, JExpr offset, JExpr length) implements Value {
        Str(JExpr isNull, JExpr segment, JExpr offset, JExpr length) {
            this(DataType.VARCHAR, isNull, segment, offset, length);
        }
    }
}
