package dev.kiln.ir.stream;

import java.util.List;

/**
 * A query compiled for streams: the incremental plan whose root yields, per micro-batch, the
 * change of the query's result.
 *
 * @param root        yields the result's change
 * @param columnNames the result's column names (as the batch query names them)
 * @param keyColumns  the result columns that identify a row for UPDATE output (the grouping keys
 *                    of the last aggregation, as they appear in the result); empty when the
 *                    result has no aggregation
 * @param notes       what the pass decided that the user should know (shown by explain)
 */
public record IncrementalPlan(Delta root, List<String> columnNames, List<Integer> keyColumns, List<String> notes) {
    public IncrementalPlan {
        columnNames = List.copyOf(columnNames);
        keyColumns = List.copyOf(keyColumns);
        notes = List.copyOf(notes);
    }

    /** Does any node keep state (so that the result can change, not only grow)? */
    public boolean stateful() {
        return stateful(root);
    }

    private static boolean stateful(Delta d) {
        if (d instanceof AggregateState || d instanceof JoinState || d instanceof SessionState) return true;
        for (Delta in : d.inputs()) if (stateful(in)) return true;
        return false;
    }

    /**
     * Can the result lose rows it had (so that its changes hold retractions)? An aggregation's
     * result changes; a LEFT join of two streams retracts a NULL-padded row when a match comes.
     */
    public static boolean retracts(Delta d) {
        if (d instanceof AggregateState || d instanceof SessionState) return true;
        if (d instanceof JoinState j && j.kind() == dev.kiln.ir.rel.JoinKind.LEFT) return true;
        for (Delta in : d.inputs()) if (retracts(in)) return true;
        return false;
    }

    /** The number of aggregations on the path from the root down (chained aggregations retract rows). */
    public static int aggregations(Delta d) {
        int n = d instanceof AggregateState ? 1 : 0;
        int most = 0;
        for (Delta in : d.inputs()) most = Math.max(most, aggregations(in));
        return n + most;
    }
}
