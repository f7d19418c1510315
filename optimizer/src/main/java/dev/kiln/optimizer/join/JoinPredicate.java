package dev.kiln.optimizer.join;

/**
 * A conjunct of the join conditions as the enumerator sees it: the relations it reads (a bit
 * set), its selectivity, and, for an equality of one column of relation {@code equiA} with one
 * of relation {@code equiB}, those two relations (bit sets; 0 when it is not such an equality):
 * only those let a hash join use keys.
 */
public record JoinPredicate(long relations, double selectivity, long equiA, long equiB) {
    public JoinPredicate {
        if (!(selectivity >= 0 && selectivity <= 1)) throw new IllegalArgumentException("selectivity must be in [0, 1], not " + selectivity);
    }

    public boolean isEqui() {
        return equiA != 0;
    }

    /** Can a join of {@code left} and {@code right} use this as a hash key? */
    public boolean keyBetween(long left, long right) {
        return isEqui() && ((equiA & left) != 0 && (equiB & right) != 0 || (equiA & right) != 0 && (equiB & left) != 0);
    }
}
