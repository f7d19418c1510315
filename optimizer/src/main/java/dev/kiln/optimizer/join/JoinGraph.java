package dev.kiln.optimizer.join;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The join problem the enumerators solve: n relations with their estimated rows, and the
 * predicates between them. Cardinalities are order-independent — |S| = Π rows(i ∈ S) ×
 * Π sel(p ⊆ S) — and the cost of a plan is C_out (the sum of every join's output rows) plus a
 * build-side term (the smaller input, which the hash join builds into a table) plus, for a
 * join without an equality key between its inputs (a nested-loop-like scan of every build row
 * per probe row in Kiln's hash join), the product of its inputs. Two relations are neighbours
 * when a predicate reads exactly those two.
 */
public final class JoinGraph {
    private final double[] rows;
    private final List<JoinPredicate> predicates;
    private final long[] neighbours;
    private final Map<Long, Double> cardinality = new HashMap<>();

    public JoinGraph(List<Double> rows, List<JoinPredicate> predicates) {
        if (rows.isEmpty() || rows.size() > 63) throw new IllegalArgumentException("a join graph has 1..63 relations, not " + rows.size());
        this.rows = rows.stream().mapToDouble(Double::doubleValue).toArray();
        this.predicates = List.copyOf(predicates);
        this.neighbours = new long[rows.size()];
        for (JoinPredicate p : predicates) {
            if (Long.bitCount(p.relations()) != 2) continue;
            int a = Long.numberOfTrailingZeros(p.relations());
            int b = 63 - Long.numberOfLeadingZeros(p.relations());
            neighbours[a] |= 1L << b;
            neighbours[b] |= 1L << a;
        }
    }

    public int size() {
        return rows.length;
    }

    public long all() {
        return size() == 63 ? -1L >>> 1 : (1L << size()) - 1;
    }

    public List<JoinPredicate> predicates() {
        return predicates;
    }

    /** Relations adjacent to some relation of {@code set}, outside it. */
    public long neighbourhood(long set) {
        long n = 0;
        for (long s = set; s != 0; s &= s - 1) n |= neighbours[Long.numberOfTrailingZeros(s)];
        return n & ~set;
    }

    public boolean connected(long a, long b) {
        return (neighbourhood(a) & b) != 0;
    }

    /** Estimated rows of the join of every relation in {@code set}. */
    public double cardinality(long set) {
        Double c = cardinality.get(set);
        if (c != null) return c;
        double v = 1;
        for (long s = set; s != 0; s &= s - 1) v *= rows[Long.numberOfTrailingZeros(s)];
        for (JoinPredicate p : predicates) {
            if (Long.bitCount(p.relations()) >= 2 && (p.relations() & ~set) == 0) v *= p.selectivity();
        }
        cardinality.put(set, v);
        return v;
    }

    /** The cost of one join of two disjoint sets (excluding the cost of producing them). */
    public double joinCost(long left, long right) {
        double l = cardinality(left);
        double r = cardinality(right);
        double cost = cardinality(left | right) + Math.min(l, r);
        boolean keyed = false;
        for (JoinPredicate p : predicates) {
            if ((p.relations() & ~(left | right)) == 0 && p.keyBetween(left, right)) {
                keyed = true;
                break;
            }
        }
        return keyed ? cost : cost + l * r;
    }

    /** The cost of a whole plan. */
    public double cost(JoinTree t) {
        return switch (t) {
            case JoinTree.Leaf l -> 0;
            case JoinTree.Node n -> cost(n.left()) + cost(n.right()) + joinCost(n.left().relations(), n.right().relations());
        };
    }

    /** The same tree with the larger input of every join on the left (probe) and the smaller on the right (build). */
    public JoinTree buildSmaller(JoinTree t) {
        return switch (t) {
            case JoinTree.Leaf l -> l;
            case JoinTree.Node n -> {
                JoinTree a = buildSmaller(n.left());
                JoinTree b = buildSmaller(n.right());
                yield cardinality(b.relations()) > cardinality(a.relations()) ? new JoinTree.Node(b, a) : new JoinTree.Node(a, b);
            }
        };
    }
}
