package dev.kiln.ir.eval;

import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reference semantics of aggregate functions over the rows of one group.
 *
 * <ul>
 *   <li>COUNT(*) counts rows; COUNT(x, …) counts rows where every argument is non-NULL.</li>
 *   <li>SUM, AVG, MIN, MAX, ANY_VALUE skip NULLs and are NULL when nothing is left.</li>
 *   <li>SUM of integers (BIGINT) and of DECIMAL is the exact total; it is an error only when that
 *       total does not fit ("BIGINT overflow in SUM"), so the outcome does not depend on the order
 *       rows arrive in (which joins and parallel partial sums leave open). A backend that adds
 *       with overflow checks must therefore widen rather than fail when a partial sum overflows.
 *       SUM of DOUBLE adds in input order.</li>
 *   <li>AVG is a DOUBLE: for integers and DECIMAL the exact sum converted to double, divided by
 *       the count; for DOUBLE the double sum divided by the count.</li>
 *   <li>SINGLE_VALUE: NULL for no row, the value for one row, an error for more (counting rows,
 *       NULL values included).</li>
 *   <li>ANY_VALUE: the first non-NULL value in input order.</li>
 *   <li>DISTINCT: duplicates (by grouping equality) of the argument tuple are dropped first.</li>
 * </ul>
 */
public final class Aggregates {
    private Aggregates() {}

    public static Object evaluate(AggCall call, List<Object[]> rows) {
        if (call.func() == dev.kiln.ir.rel.AggFunc.SINGLE_VALUE) {
            if (rows.size() > 1) throw EvalErrors.scalarSubqueryRows();
            return rows.isEmpty() ? null : rows.getFirst()[call.args().getFirst()];
        }
        List<Object[]> tuples = arguments(call, rows);
        if (call.func() == dev.kiln.ir.rel.AggFunc.COUNT) return (long) tuples.size();
        List<Object> values = tuples.stream().map(t -> t[0]).toList();
        if (values.isEmpty()) return null;
        return switch (call.func()) {
            case SUM -> sum(call.type(), values);
            case AVG -> avg(values);
            case MIN -> values.stream().min(Comparisons::compare).orElseThrow();
            case MAX -> values.stream().max(Comparisons::compare).orElseThrow();
            case ANY_VALUE -> values.getFirst();
            case COUNT, SINGLE_VALUE -> throw new IllegalStateException("handled above");
        };
    }

    /** The argument tuples with no NULL in them, deduplicated if DISTINCT. */
    private static List<Object[]> arguments(AggCall call, List<Object[]> rows) {
        List<Object[]> out = new ArrayList<>();
        Set<GroupKey> seen = new LinkedHashSet<>();
        for (Object[] row : rows) {
            Object[] t = new Object[call.args().size()];
            boolean hasNull = false;
            for (int i = 0; i < t.length; i++) {
                t[i] = row[call.args().get(i)];
                hasNull |= t[i] == null;
            }
            if (hasNull) continue;
            if (call.distinct() && !seen.add(new GroupKey(t))) continue;
            out.add(t);
        }
        return out;
    }

    private static Object sum(DataType type, List<Object> values) {
        return switch (type) {
            case DataType.IntType t -> {
                BigInteger s = BigInteger.ZERO;
                for (Object v : values) s = s.add(BigInteger.valueOf((Long) v));
                if (s.bitLength() > 63 || s.longValue() < t.minValue() || s.longValue() > t.maxValue()) {
                    throw EvalErrors.overflow(t, "SUM");
                }
                yield s.longValue();
            }
            case DataType.DecimalType t -> {
                BigDecimal s = BigDecimal.ZERO;
                for (Object v : values) s = s.add((BigDecimal) v);
                yield DecimalArithmetic.fit(t, s, "SUM");
            }
            case DataType.DoubleType t -> {
                double s = 0;
                for (Object v : values) s += (Double) v;
                yield s;
            }
            default -> throw new IllegalArgumentException("SUM cannot produce " + type.sql());
        };
    }

    private static double avg(List<Object> values) {
        if (values.getFirst() instanceof Double) {
            double s = 0;
            for (Object v : values) s += (Double) v;
            return s / values.size();
        }
        BigDecimal s = BigDecimal.ZERO;
        for (Object v : values) s = s.add(v instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) v);
        return s.doubleValue() / values.size();
    }
}
