package dev.kiln.ir.rel;

/** Aggregate functions. */
public enum AggFunc {
    /** COUNT(*) when it has no argument, else COUNT(x) which skips NULLs. BIGINT, never NULL. */
    COUNT,
    /** Integers → BIGINT, DECIMAL(p,s) → DECIMAL(18,s), DOUBLE → DOUBLE; NULL on no input. */
    SUM,
    /** Integers and DECIMAL → DOUBLE (as DuckDB), DOUBLE → DOUBLE; NULL on no input. */
    AVG,
    MIN,
    MAX,
    /** The single value of a scalar subquery; an error when the group has more than one row. */
    SINGLE_VALUE,
    /** Any value of the group (used for functionally dependent columns). */
    ANY_VALUE
}
