package dev.kiln.ir.eval;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;

/**
 * The run-time errors of SQL evaluation, worded once. The reference interpreter raises exactly
 * these; every backend should raise the same text for the same failure, so backends call these
 * factories rather than writing their own messages. Factories return the exception so callers
 * write {@code throw EvalErrors.x(...)}.
 */
public final class EvalErrors {
    private EvalErrors() {}

    /** e.g. {@code overflow(INTEGER, "2147483647 + 1")} → "INTEGER overflow in 2147483647 + 1". */
    public static KilnException overflow(DataType type, String operation) {
        return new KilnException(type.sql() + " overflow in " + operation);
    }

    /** A value that cannot be represented in a target type, e.g. "value 123.45 does not fit DECIMAL(4,2)". */
    public static KilnException doesNotFit(String value, DataType type) {
        return new KilnException("value " + value + " does not fit " + type.sql());
    }

    public static KilnException divisionByZero() {
        return new KilnException("division by zero");
    }

    /** Text that does not parse as the CAST's target type; {@code expected} describes the accepted form. */
    public static KilnException invalidText(String text, DataType to, String expected) {
        return new KilnException("invalid input for CAST to " + to.sql() + ": '" + text + "' (expected " + expected + ")");
    }

    public static KilnException unsupportedCast(DataType from, DataType to) {
        return new KilnException("cannot CAST " + from.sql() + " to " + to.sql());
    }

    public static KilnException scalarSubqueryRows() {
        return new KilnException("more than one row returned by a scalar subquery");
    }

    public static KilnException negativeSubstringLength(long length) {
        return new KilnException("negative substring length " + length + " is not allowed");
    }

    public static KilnException badLikeEscape(String pattern, String escape) {
        return new KilnException("LIKE pattern '" + pattern + "' with ESCAPE '" + escape
                + "': the escape must be one character and must not end the pattern");
    }
}
