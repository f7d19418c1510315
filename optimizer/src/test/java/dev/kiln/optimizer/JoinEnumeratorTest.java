package dev.kiln.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.optimizer.join.JoinEnumerator;
import dev.kiln.optimizer.join.JoinGraph;
import dev.kiln.optimizer.join.JoinPredicate;
import dev.kiln.optimizer.join.JoinTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** DPccp against a brute-force enumeration of every bushy plan without cross products. */
class JoinEnumeratorTest {
    enum Shape { CHAIN, STAR, CLIQUE, CYCLE }

    static JoinGraph graph(Shape shape, int n, Random r) {
        List<Double> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add(Math.floor(Math.pow(10, 1 + r.nextDouble() * 6)));
        List<JoinPredicate> preds = new ArrayList<>();
        List<int[]> edges = new ArrayList<>();
        switch (shape) {
            case CHAIN -> { for (int i = 0; i + 1 < n; i++) edges.add(new int[] {i, i + 1}); }
            case STAR -> { for (int i = 1; i < n; i++) edges.add(new int[] {0, i}); }
            case CLIQUE -> { for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) edges.add(new int[] {i, j}); }
            case CYCLE -> {
                for (int i = 0; i + 1 < n; i++) edges.add(new int[] {i, i + 1});
                if (n > 2) edges.add(new int[] {n - 1, 0});
            }
        }
        for (int[] e : edges) {
            long a = 1L << e[0], b = 1L << e[1];
            double sel = 1 / Math.max(rows.get(e[0]), rows.get(e[1])) * (0.5 + r.nextDouble() * 2);
            boolean equi = r.nextInt(5) != 0; // now and then a non-equi predicate (no hash key: a product cost)
            preds.add(new JoinPredicate(a | b, Math.min(1, sel), equi ? a : 0, equi ? b : 0));
        }
        return new JoinGraph(rows, preds);
    }

    /** The cheapest cost over every plan of {@code set} whose joins all connect their inputs, by exhaustive recursion. */
    static double bruteForce(JoinGraph g, long set) {
        if (Long.bitCount(set) == 1) return 0;
        double best = Double.POSITIVE_INFINITY;
        for (long left = (set - 1) & set; left != 0; left = (left - 1) & set) {
            long right = set & ~left;
            if (!connectedSet(g, left) || !connectedSet(g, right) || !g.connected(left, right)) continue;
            best = Math.min(best, bruteForce(g, left) + bruteForce(g, right) + g.joinCost(left, right));
        }
        return best;
    }

    static boolean connectedSet(JoinGraph g, long set) {
        long reached = Long.lowestOneBit(set);
        while (true) {
            long next = (reached | g.neighbourhood(reached)) & set;
            if (next == reached) return reached == set;
            reached = next;
        }
    }

    /** Every join of the plan connects its two inputs (no cross product). */
    static void assertNoCrossProducts(JoinGraph g, JoinTree t) {
        if (t instanceof JoinTree.Node n) {
            assertTrue(g.connected(n.left().relations(), n.right().relations()), "cross product in " + t);
            assertNoCrossProducts(g, n.left());
            assertNoCrossProducts(g, n.right());
        }
    }

    @Property(tries = 300)
    void dpccpFindsTheBruteForceOptimum(@ForAll Shape shape, @ForAll @IntRange(min = 2, max = 6) int n, @ForAll long seed) {
        JoinGraph g = graph(shape, n, new Random(seed));
        JoinEnumerator.Result best = JoinEnumerator.best(g);
        double brute = bruteForce(g, g.all());
        assertEquals(brute, best.cost(), brute * 1e-9, shape + " " + n);
        assertEquals(g.all(), best.tree().relations());
        assertNoCrossProducts(g, best.tree());
        assertEquals("DPccp", best.method());
    }

    @Property(tries = 50)
    void everyJoinBuildsItsSmallerInput(@ForAll Shape shape, @ForAll @IntRange(min = 2, max = 8) int n, @ForAll long seed) {
        JoinGraph g = graph(shape, n, new Random(seed));
        assertBuildSmaller(g, JoinEnumerator.best(g).tree());
    }

    static void assertBuildSmaller(JoinGraph g, JoinTree t) {
        if (t instanceof JoinTree.Node n) {
            assertTrue(g.cardinality(n.right().relations()) <= g.cardinality(n.left().relations()), "build side larger in " + t);
            assertBuildSmaller(g, n.left());
            assertBuildSmaller(g, n.right());
        }
    }

    @Test
    void largeGraphsAreOrderedGreedilyWithoutCrossProducts() {
        JoinGraph g = graph(Shape.CHAIN, 20, new Random(7));
        JoinEnumerator.Result r = JoinEnumerator.best(g);
        assertEquals("GOO", r.method());
        assertEquals(g.all(), r.tree().relations());
        assertNoCrossProducts(g, r.tree());
    }

    @Test
    void disconnectedGraphsJoinTheirComponentsByCrossProductsOnlyAtTheTop() {
        // 0-1 and 2-3 connected, no predicate between the pairs
        JoinGraph g = new JoinGraph(List.of(100.0, 1000.0, 10.0, 50.0), List.of(
                new JoinPredicate(0b0011, 0.01, 0b0001, 0b0010), new JoinPredicate(0b1100, 0.1, 0b0100, 0b1000)));
        JoinEnumerator.Result r = JoinEnumerator.best(g);
        assertEquals("DPccp + cross products of 2 components", r.method());
        JoinTree.Node top = (JoinTree.Node) r.tree();
        assertEquals(0b0011, top.left().relations()); // 1000 rows on the probe side, the 50-row pair built
        assertEquals(0b1100, top.right().relations());
        assertEquals("((1 ⋈ 0) ⋈ (3 ⋈ 2))", JoinTree.describe(r.tree(), List.of("0", "1", "2", "3")));
    }
}
