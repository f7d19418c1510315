package dev.kiln.runtime.fn;

import dev.kiln.ir.KilnException;

/**
 * The runtime errors of SQL evaluation, worded as the reference interpreter (ir/eval) words them
 * so that every backend reports the same failure the same way. Factories return the exception so
 * that generated code writes {@code throw SqlErrors.x(...)} and the JIT sees a cold path.
 */
public final class SqlErrors {
    private SqlErrors() {}

    /** e.g. {@code overflow("BIGINT", "9223372036854775807 + 1")}. */
    public static KilnException overflow(String type, String operation) {
        return new KilnException("numeric overflow: " + type + " in " + operation
                + " (cast an operand to a wider type such as BIGINT, DECIMAL(18,s) or DOUBLE)");
    }

    /** A value that does not fit its target type, e.g. a cast or a literal. */
    public static KilnException doesNotFit(String value, String type) {
        return new KilnException("numeric overflow: value " + value + " does not fit " + type);
    }

    public static KilnException divisionByZero() {
        return new KilnException("division by zero");
    }

    public static KilnException invalidCast(String value, String fromType, String toType) {
        return new KilnException("invalid input for CAST from " + fromType + " to " + toType + ": '" + value + "'");
    }

    public static KilnException scalarSubqueryMultipleRows() {
        return new KilnException("more than one row returned by a subquery used as an expression");
    }

    public static KilnException negativeSubstringLength(long length) {
        return new KilnException("negative substring length " + length + " is not allowed");
    }
}
