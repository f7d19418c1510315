package dev.kiln.ir.stream;

import dev.kiln.ir.rel.AggCall;

/**
 * How an {@link AggregateState} computes one aggregate of the original query from its state.
 * Linear aggregates read running sums from the partial rows: {@code sum} the column of the
 * weighted sum (-1 if none), {@code count} the column of the weighted count of non-NULL values
 * (-1: the group's row count). The others (MIN, MAX, DISTINCT aggregates) keep, per group, the
 * multiset of the argument's values: {@code multiset} is the index of the input with the
 * (keys, value, weight) changes.
 */
public record StateAgg(AggCall call, Kind kind, int sum, int count, int multiset) {
    public enum Kind {
        /** COUNT(*): the group's row count */
        COUNT_ROWS,
        /** COUNT(x): the count of non-NULL values */
        COUNT,
        /** SUM(x): the running sum, NULL when no non-NULL value is left */
        SUM,
        /** AVG(x): running sum / count */
        AVG,
        /** MIN/MAX/ANY_VALUE and DISTINCT aggregates over the multiset of values */
        MULTISET
    }
}
