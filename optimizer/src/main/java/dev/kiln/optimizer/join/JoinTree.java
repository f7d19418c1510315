package dev.kiln.optimizer.join;

/** A join order: leaves are relation numbers of a {@link JoinGraph}; the left input is the probe side. */
public sealed interface JoinTree {
    /** The relations below, as a bit set. */
    long relations();

    record Leaf(int relation) implements JoinTree {
        public long relations() {
            return 1L << relation;
        }
    }

    record Node(JoinTree left, JoinTree right) implements JoinTree {
        public long relations() {
            return left.relations() | right.relations();
        }
    }

    /** e.g. {@code ((0 ⋈ 1) ⋈ 2)} with the names given. */
    static String describe(JoinTree t, java.util.List<String> names) {
        return switch (t) {
            case Leaf l -> names.get(l.relation());
            case Node n -> "(" + describe(n.left(), names) + " ⋈ " + describe(n.right(), names) + ")";
        };
    }
}
