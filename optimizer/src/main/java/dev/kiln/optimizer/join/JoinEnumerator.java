package dev.kiln.optimizer.join;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a cheap join order for a {@link JoinGraph}. Each connected component of up to
 * {@value #EXACT_LIMIT} relations is solved exactly by dynamic programming over connected
 * subgraphs (DPccp, Moerkotte &amp; Neumann 2006: every csg-cmp pair is enumerated exactly once, in
 * an order where both halves are already solved, so no cross product is ever considered);
 * larger components greedily (GOO, Fegaras 1998: repeatedly join the two connected subplans with
 * the cheapest join). The components are then joined greedily by cross products, cheapest first —
 * the only place a cross product appears.
 */
public final class JoinEnumerator {
    private JoinEnumerator() {}

    public static final int EXACT_LIMIT = 12;

    /** A plan and its cost under the graph's cost model. */
    public record Result(JoinTree tree, double cost, String method) {}

    public static Result best(JoinGraph g) {
        List<Long> components = components(g);
        List<JoinTree> parts = new ArrayList<>();
        boolean greedy = false;
        for (long c : components) {
            if (Long.bitCount(c) <= EXACT_LIMIT) {
                parts.add(dpccp(g, c));
            } else {
                parts.add(goo(g, singletons(c)));
                greedy = true;
            }
        }
        JoinTree t = parts.size() == 1 ? parts.getFirst() : goo(g, parts);
        t = g.buildSmaller(t);
        String method = (greedy ? "GOO" : "DPccp") + (parts.size() > 1 ? " + cross products of " + parts.size() + " components" : "");
        return new Result(t, g.cost(t), method);
    }

    private static List<JoinTree> singletons(long set) {
        List<JoinTree> out = new ArrayList<>();
        for (long s = set; s != 0; s &= s - 1) out.add(new JoinTree.Leaf(Long.numberOfTrailingZeros(s)));
        return out;
    }

    /** The connected components, as bit sets, by increasing lowest relation. */
    static List<Long> components(JoinGraph g) {
        List<Long> out = new ArrayList<>();
        long seen = 0;
        for (int i = 0; i < g.size(); i++) {
            if ((seen & (1L << i)) != 0) continue;
            long comp = 1L << i;
            long frontier = comp;
            while (frontier != 0) {
                long next = g.neighbourhood(comp);
                frontier = next & ~comp;
                comp |= next;
            }
            seen |= comp;
            out.add(comp);
        }
        return out;
    }

    /**
     * The cheapest bushy plan without cross products over the connected set {@code nodes}. DPccp
     * wants the relations numbered breadth-first, so the component is renumbered that way first.
     */
    public static JoinTree dpccp(JoinGraph g, long nodes) {
        int[] bfs = breadthFirst(g, nodes);
        int[] position = new int[g.size()];
        for (int i = 0; i < bfs.length; i++) position[bfs[i]] = i;
        List<Double> rows = new ArrayList<>();
        for (int r : bfs) rows.add(g.cardinality(1L << r));
        List<JoinPredicate> preds = new ArrayList<>();
        for (JoinPredicate p : g.predicates()) {
            if ((p.relations() & ~nodes) != 0 || Long.bitCount(p.relations()) < 2) continue;
            preds.add(new JoinPredicate(renumber(p.relations(), position), p.selectivity(), renumber(p.equiA(), position), renumber(p.equiB(), position)));
        }
        JoinGraph local = new JoinGraph(rows, preds);
        Dp dp = new Dp(local, local.all());
        for (int v = bfs.length - 1; v >= 0; v--) {
            long single = 1L << v;
            dp.best.put(single, new Plan(new JoinTree.Leaf(v), 0));
            dp.emitCsg(single);
            dp.enumerateCsgRec(single, upTo(v));
        }
        return back(dp.best.get(local.all()).tree(), bfs);
    }

    private static int[] breadthFirst(JoinGraph g, long nodes) {
        int[] order = new int[Long.bitCount(nodes)];
        int head = 0, tail = 0;
        long seen = Long.lowestOneBit(nodes);
        order[tail++] = Long.numberOfTrailingZeros(nodes);
        while (head < tail) {
            long next = g.neighbourhood(1L << order[head++]) & nodes & ~seen;
            for (long s = next; s != 0; s &= s - 1) order[tail++] = Long.numberOfTrailingZeros(s);
            seen |= next;
        }
        if (tail != order.length) throw new IllegalArgumentException("DPccp needs a connected set of relations");
        return order;
    }

    private static long renumber(long set, int[] position) {
        long out = 0;
        for (long s = set; s != 0; s &= s - 1) out |= 1L << position[Long.numberOfTrailingZeros(s)];
        return out;
    }

    private static JoinTree back(JoinTree t, int[] relationAt) {
        return switch (t) {
            case JoinTree.Leaf l -> new JoinTree.Leaf(relationAt[l.relation()]);
            case JoinTree.Node n -> new JoinTree.Node(back(n.left(), relationAt), back(n.right(), relationAt));
        };
    }

    /** Relations 0..v as a bit set. */
    private static long upTo(int v) {
        return v == 63 ? -1L : (1L << (v + 1)) - 1;
    }

    private record Plan(JoinTree tree, double cost) {}

    private static final class Dp {
        final JoinGraph g;
        final long nodes;
        final Map<Long, Plan> best = new HashMap<>();

        Dp(JoinGraph g, long nodes) {
            this.g = g;
            this.nodes = nodes;
        }

        long neighbours(long s) {
            return g.neighbourhood(s) & nodes;
        }

        // subsets of a neighbourhood are visited in increasing order (n & -n, then (sub - n) & n):
        // DPccp needs subsets before their supersets so that both halves of a pair are solved
        void enumerateCsgRec(long s, long x) {
            long n = neighbours(s) & ~x;
            if (n == 0) return;
            for (long sub = n & -n; sub != 0; sub = (sub - n) & n) emitCsg(s | sub);
            for (long sub = n & -n; sub != 0; sub = (sub - n) & n) enumerateCsgRec(s | sub, x | n);
        }

        void emitCsg(long s1) {
            int min = Long.numberOfTrailingZeros(s1);
            long x = s1 | (upTo(min) & nodes);
            long n = neighbours(s1) & ~x;
            // each neighbour v_i in descending order, excluding the smaller neighbours from its complements
            for (long rest = n; rest != 0; ) {
                int i = 63 - Long.numberOfLeadingZeros(rest);
                rest &= ~(1L << i);
                long s2 = 1L << i;
                emitCsgCmp(s1, s2);
                enumerateCmpRec(s1, s2, x | (n & upTo(i)));
            }
        }

        void enumerateCmpRec(long s1, long s2, long x) {
            long n = neighbours(s2) & ~x;
            if (n == 0) return;
            for (long sub = n & -n; sub != 0; sub = (sub - n) & n) {
                if (g.connected(s1, s2 | sub)) emitCsgCmp(s1, s2 | sub);
            }
            for (long sub = n & -n; sub != 0; sub = (sub - n) & n) enumerateCmpRec(s1, s2 | sub, x | n);
        }

        void emitCsgCmp(long s1, long s2) {
            Plan p1 = best.get(s1);
            Plan p2 = best.get(s2);
            if (p1 == null || p2 == null) throw new IllegalStateException("DPccp emitted a pair before its halves were solved");
            double cost = p1.cost() + p2.cost() + g.joinCost(s1, s2);
            Plan current = best.get(s1 | s2);
            if (current == null || cost < current.cost()) best.put(s1 | s2, new Plan(new JoinTree.Node(p1.tree(), p2.tree()), cost));
        }
    }

    /**
     * Greedy operator ordering: join the pair of subplans whose join is cheapest, preferring
     * connected pairs (a cross product only when no pair is connected), until one plan is left.
     */
    public static JoinTree goo(JoinGraph g, List<JoinTree> start) {
        List<JoinTree> plans = new ArrayList<>(start);
        while (plans.size() > 1) {
            int bi = -1, bj = -1;
            boolean bestConnected = false;
            double bestCost = Double.POSITIVE_INFINITY;
            for (int i = 0; i < plans.size(); i++) {
                for (int j = i + 1; j < plans.size(); j++) {
                    long a = plans.get(i).relations();
                    long b = plans.get(j).relations();
                    boolean conn = g.connected(a, b);
                    double cost = g.joinCost(a, b);
                    if (conn && !bestConnected || conn == bestConnected && cost < bestCost) {
                        bi = i;
                        bj = j;
                        bestCost = cost;
                        bestConnected = conn;
                    }
                }
            }
            JoinTree joined = new JoinTree.Node(plans.get(bi), plans.get(bj));
            plans.remove(bj);
            plans.set(bi, joined);
        }
        return plans.getFirst();
    }
}
