/**
 * Scalar expressions of the Kiln IR and their typing rules.
 *
 * <p>Expressions are fully typed and explicit: whoever builds a {@link dev.kiln.ir.expr.Call}
 * inserts the {@link dev.kiln.ir.expr.Cast}s its operands need, so that every backend (reference
 * interpreter, bytecode, GPU kernels) implements each operator on exactly one set of operand
 * types. {@link dev.kiln.ir.expr.TypeRules} derives result types; the rules are:
 *
 * <ul>
 *   <li><b>Comparisons</b> (EQ … GE, IS [NOT] DISTINCT FROM), {@code InList}, CASE branches and
 *       COALESCE arguments: all operands have the same type. The common type of two numerics is
 *       DOUBLE if either is DOUBLE; else DECIMAL(min(18, max(p1-s1, p2-s2) + s), s) with
 *       s = max(s1, s2) if either is DECIMAL (INTEGER counts as DECIMAL(10,0), BIGINT as
 *       DECIMAL(18,0), SMALLINT (5,0), TINYINT (3,0)); else the wider integer. DATE with
 *       TIMESTAMP is TIMESTAMP. VARCHAR only with VARCHAR.</li>
 *   <li><b>Arithmetic on integers</b>: both operands and the result have the same integer type
 *       (the wider one, at least INTEGER); overflow raises an error. DIVIDE truncates toward zero;
 *       division or MOD by zero raises an error.</li>
 *   <li><b>Arithmetic on DECIMAL</b>: operands keep their own DECIMAL types (no cast to a common
 *       scale); the result type is: PLUS/MINUS: scale s = max(s1, s2), precision
 *       min(18, max(p1-s1, p2-s2) + s + 1); TIMES: scale min(18, s1 + s2) (a product with more
 *       digits is rounded HALF_UP to scale 18), precision min(18, p1 + p2); MOD: as PLUS. Backends compute exactly on unscaled longs
 *       (rescaling operands to the result scale first) and raise an overflow error when the
 *       exact result does not fit in a long. An integer operand is first cast to DECIMAL(p,0).</li>
 *   <li><b>DIVIDE with a DECIMAL or DOUBLE operand</b>, and any arithmetic with a DOUBLE operand:
 *       both operands are cast to DOUBLE and the result is DOUBLE (as DuckDB). DOUBLE division by
 *       zero raises an error.</li>
 *   <li><b>Dates</b>: {@code date ± INTERVAL n DAY} is ADD_DAYS(date, INTEGER n),
 *       {@code ± INTERVAL n MONTH/YEAR} is ADD_MONTHS(date|timestamp, INTEGER months);
 *       day-time intervals on timestamps are ADD_MICROS(timestamp, BIGINT). EXTRACT_* returns
 *       BIGINT.</li>
 *   <li><b>Logic</b>: AND, OR, NOT, IS_* take and return BOOLEAN; AND/OR are n-ary with SQL
 *       three-valued semantics.</li>
 * </ul>
 *
 * Aggregates ({@link dev.kiln.ir.rel.AggFunc}): COUNT → BIGINT NOT NULL; SUM of integers →
 * BIGINT, of DECIMAL(p,s) → DECIMAL(18,s), of DOUBLE → DOUBLE; AVG → DOUBLE; MIN, MAX,
 * SINGLE_VALUE, ANY_VALUE → the argument's type. SUM/AVG/MIN/MAX are nullable when their argument
 * is nullable or the aggregate has no group keys (empty input gives one row of NULLs).
 */
package dev.kiln.ir.expr;
