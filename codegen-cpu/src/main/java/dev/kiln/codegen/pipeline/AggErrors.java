package dev.kiln.codegen.pipeline;

import dev.kiln.ir.KilnException;

/** Helpers for aggregate finalization called from generated code. */
public final class AggErrors {
    private AggErrors() {}

    public static KilnException scalarSubqueryMultipleRows() {
        return new KilnException("more than one row returned by a subquery used as an expression");
    }

    /** AVG of an exact sum: sum / 10^scale / count as DOUBLE (as DuckDB). */
    public static double average(long sum, int scale, long count) {
        return (double) sum / Fn.POW10[scale] / count;
    }
}
