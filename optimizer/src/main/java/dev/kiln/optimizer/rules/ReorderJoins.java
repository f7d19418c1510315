package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import dev.kiln.optimizer.cost.Estimator;
import dev.kiln.optimizer.cost.RelEstimate;
import dev.kiln.optimizer.cost.Selectivity;
import dev.kiln.optimizer.join.JoinEnumerator;
import dev.kiln.optimizer.join.JoinGraph;
import dev.kiln.optimizer.join.JoinPredicate;
import dev.kiln.optimizer.join.JoinTree;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Cost-based join ordering, applied once over the whole plan: every maximal tree of INNER joins
 * (looking through filters and column-only projections between them) is flattened into its
 * relations and the conjuncts of its conditions, a {@link JoinGraph} is built from the
 * estimator's row counts and selectivities, {@link JoinEnumerator} picks the order, and the tree
 * is rebuilt with each conjunct at the lowest join that has all its columns, the smaller input of
 * every join on the right (the hash join's build side), and a projection on top restoring the
 * original column order. Trees inside the relations (e.g. in a sub-query) are reordered first.
 * The trace notes the chosen order and its cost against the original order's cost.
 */
public final class ReorderJoins implements Rule {
    public String name() {
        return "reorder-joins";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        Estimator estimator = new Estimator(ctx.statistics());
        Rel out = rewrite(node, estimator, ctx);
        return out.equals(node) ? Optional.empty() : Optional.of(out);
    }

    private Rel rewrite(Rel node, Estimator est, RuleContext ctx) {
        if (node instanceof Join j && j.kind() == JoinKind.INNER) return reorder(j, est, ctx);
        List<Rel> inputs = new ArrayList<>();
        boolean changed = false;
        for (Rel in : node.inputs()) {
            Rel n = rewrite(in, est, ctx);
            changed |= n != in;
            inputs.add(n);
        }
        return changed ? node.withInputs(inputs) : node;
    }

    /** The flattened tree: relations, their first column in the global row, and conjuncts over the global row. */
    private static final class Flat {
        final List<Rel> relations = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();
        final List<Field> fields = new ArrayList<>();
        final List<Expr> conjuncts = new ArrayList<>();
        /** The original tree's cost: its joins as (left set, right set), in any order. */
        final List<long[]> originalJoins = new ArrayList<>();

        int relationOf(int column) {
            int r = 0;
            while (r + 1 < offsets.size() && offsets.get(r + 1) <= column) r++;
            return r;
        }

        long relationsOf(Expr e) {
            long set = 0;
            BitSet cols = Exprs.columnsUsed(e);
            for (int c = cols.nextSetBit(0); c >= 0; c = cols.nextSetBit(c + 1)) set |= 1L << relationOf(c);
            return set;
        }
    }

    /** Adds {@code rel} to the flat tree; returns its output columns as global columns (and its relation set through {@code sets}). */
    private int[] flatten(Rel rel, Flat flat, long[] set, Estimator est, RuleContext ctx) {
        if (rel instanceof Join j && j.kind() == JoinKind.INNER) {
            long[] ls = new long[1];
            long[] rs = new long[1];
            int[] l = flatten(j.left(), flat, ls, est, ctx);
            int[] r = flatten(j.right(), flat, rs, est, ctx);
            int[] map = new int[l.length + r.length];
            System.arraycopy(l, 0, map, 0, l.length);
            System.arraycopy(r, 0, map, l.length, r.length);
            for (Expr c : Exprs.conjuncts(j.condition())) if (!c.equals(Exprs.TRUE)) flat.conjuncts.add(Exprs.remap(c, map));
            flat.originalJoins.add(new long[] {ls[0], rs[0]});
            set[0] = ls[0] | rs[0];
            return map;
        }
        if (rel instanceof Filter f && joinBelow(f.input())) {
            int[] map = flatten(f.input(), flat, set, est, ctx);
            for (Expr c : Exprs.conjuncts(f.condition())) flat.conjuncts.add(Exprs.remap(c, map));
            return map;
        }
        if (rel instanceof Project p && joinBelow(p.input()) && p.exprs().stream().allMatch(e -> e instanceof ColumnRef)) {
            int[] in = flatten(p.input(), flat, set, est, ctx);
            return p.exprs().stream().mapToInt(e -> in[((ColumnRef) e).index()]).toArray();
        }
        Rel leaf = rewrite(rel, est, ctx);
        int relation = flat.relations.size();
        if (relation == 63) throw new IllegalStateException("more than 63 relations in one join tree");
        int offset = flat.fields.size();
        flat.relations.add(leaf);
        flat.offsets.add(offset);
        flat.fields.addAll(leaf.schema().fields());
        set[0] = 1L << relation;
        int[] map = new int[leaf.schema().size()];
        for (int i = 0; i < map.length; i++) map[i] = offset + i;
        return map;
    }

    /** Is there an INNER join under filters and column-only projections? */
    private static boolean joinBelow(Rel rel) {
        return switch (rel) {
            case Join j -> j.kind() == JoinKind.INNER;
            case Filter f -> joinBelow(f.input());
            case Project p -> p.exprs().stream().allMatch(e -> e instanceof ColumnRef) && joinBelow(p.input());
            default -> false;
        };
    }

    private Rel reorder(Join root, Estimator est, RuleContext ctx) {
        Flat flat = new Flat();
        int[] output;
        try {
            output = flatten(root, flat, new long[1], est, ctx);
        } catch (IllegalStateException tooMany) {
            ctx.note("a join tree of more than 63 relations is kept in the order as written (the enumerators' bit sets hold 63)");
            return root;
        }
        int n = flat.relations.size();
        // single-relation conjuncts filter their relation; the rest are join predicates
        List<List<Expr>> local = new ArrayList<>();
        for (int i = 0; i < n; i++) local.add(new ArrayList<>());
        List<Expr> joinConjuncts = new ArrayList<>();
        for (Expr c : flat.conjuncts) {
            long rels = flat.relationsOf(c);
            if (Long.bitCount(rels) == 1) {
                int r = Long.numberOfTrailingZeros(rels);
                local.get(r).add(Exprs.shift(c, -flat.offsets.get(r)));
            } else {
                joinConjuncts.add(c);
            }
        }
        List<Rel> relations = new ArrayList<>();
        List<Double> rows = new ArrayList<>();
        List<RelEstimate> estimates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Rel r = flat.relations.get(i);
            if (!local.get(i).isEmpty()) r = new Filter(r, Exprs.and(local.get(i)));
            relations.add(r);
            RelEstimate e = est.estimate(r);
            estimates.add(e);
            rows.add(Math.max(e.rows(), 1));
        }
        List<JoinPredicate> predicates = predicates(joinConjuncts, flat, estimates);
        JoinGraph graph = new JoinGraph(rows, predicates);
        JoinEnumerator.Result best = JoinEnumerator.best(graph);

        Built built = build(best.tree(), relations, flat, joinConjuncts, new boolean[joinConjuncts.size()]);
        Rel result = restoreOrder(built, output, root.schema());
        if (!result.equals(root)) {
            double original = 0;
            for (long[] j : flat.originalJoins) original += graph.joinCost(j[0], j[1]);
            List<String> names = names(flat.relations);
            boolean sameOrder = joinPairs(best.tree()).equals(flat.originalJoins.stream().map(ReorderJoins::pair).collect(java.util.stream.Collectors.toSet()));
            ctx.note("join order " + JoinTree.describe(best.tree(), names) + " by " + best.method() + ", cost " + Estimator.format(best.cost())
                    + (sameOrder ? " (the order as written; build sides by size)" : " (as written: " + Estimator.format(original) + ")"));
        }
        return result;
    }

    /**
     * The graph's predicates: column equalities between the same two relations form one composite
     * key (its selectivity as the estimator gives it for a join on those keys, not a product of
     * independent equalities); every other conjunct is a predicate by itself.
     */
    private static List<JoinPredicate> predicates(List<Expr> conjuncts, Flat flat, List<RelEstimate> estimates) {
        java.util.Map<Long, List<int[]>> keys = new java.util.LinkedHashMap<>(); // relation pair -> (relation a, column a, column b)
        List<JoinPredicate> out = new ArrayList<>();
        for (Expr c : conjuncts) {
            if (c instanceof Call eq && eq.op() == Op.EQ && eq.arg(0) instanceof ColumnRef x && eq.arg(1) instanceof ColumnRef y
                    && x.type().equals(y.type()) && flat.relationOf(x.index()) != flat.relationOf(y.index())) {
                int ra = Math.min(flat.relationOf(x.index()), flat.relationOf(y.index()));
                ColumnRef ca = flat.relationOf(x.index()) == ra ? x : y;
                ColumnRef cb = ca == x ? y : x;
                int rb = flat.relationOf(cb.index());
                keys.computeIfAbsent((1L << ra) | (1L << rb), k -> new ArrayList<>())
                        .add(new int[] {ra, ca.index() - flat.offsets.get(ra), rb, cb.index() - flat.offsets.get(rb)});
            } else {
                out.add(predicate(c, flat, estimates));
            }
        }
        for (var e : keys.entrySet()) {
            int ra = e.getValue().getFirst()[0];
            int rb = e.getValue().getFirst()[2];
            List<Integer> ka = e.getValue().stream().map(k -> k[1]).toList();
            List<Integer> kb = e.getValue().stream().map(k -> k[3]).toList();
            double sel = Estimator.keySelectivity(ka, estimates.get(ra), kb, estimates.get(rb));
            out.add(new JoinPredicate(e.getKey(), Math.min(1, sel), 1L << ra, 1L << rb));
        }
        return out;
    }

    /** The joins of a tree as unordered pairs of relation sets (so that build-side swaps compare equal). */
    private static java.util.Set<List<Long>> joinPairs(JoinTree t) {
        java.util.Set<List<Long>> out = new java.util.HashSet<>();
        collectPairs(t, out);
        return out;
    }

    private static void collectPairs(JoinTree t, java.util.Set<List<Long>> out) {
        if (t instanceof JoinTree.Node n) {
            out.add(pair(new long[] {n.left().relations(), n.right().relations()}));
            collectPairs(n.left(), out);
            collectPairs(n.right(), out);
        }
    }

    private static List<Long> pair(long[] sides) {
        return List.of(Math.min(sides[0], sides[1]), Math.max(sides[0], sides[1]));
    }

    private static JoinPredicate predicate(Expr c, Flat flat, List<RelEstimate> estimates) {
        long rels = flat.relationsOf(c);
        // selectivity over the combined columns of the relations it reads
        List<Optional<dev.kiln.ir.stats.ColumnStats>> cols = new ArrayList<>();
        double product = 1;
        for (int i = 0; i < flat.relations.size(); i++) {
            RelEstimate e = estimates.get(i);
            if ((rels & (1L << i)) != 0) {
                cols.addAll(e.columns());
                product *= Math.max(e.rows(), 1);
            } else {
                cols.addAll(java.util.Collections.nCopies(e.columns().size(), Optional.empty()));
            }
        }
        double sel = Selectivity.of(c, new RelEstimate(product, cols));
        long a = 0, b = 0;
        if (c instanceof Call eq && eq.op() == Op.EQ && eq.arg(0) instanceof ColumnRef x && eq.arg(1) instanceof ColumnRef y
                && x.type().equals(y.type())) {
            a = 1L << flat.relationOf(x.index());
            b = 1L << flat.relationOf(y.index());
            if (a == b) a = b = 0;
        }
        return new JoinPredicate(rels, sel, a, b);
    }

    /** A rebuilt subtree and, for each of its output columns, the global column it carries. */
    private record Built(Rel rel, List<Integer> columns, long relations) {}

    private static Built build(JoinTree t, List<Rel> relations, Flat flat, List<Expr> conjuncts, boolean[] used) {
        return switch (t) {
            case JoinTree.Leaf l -> {
                Rel r = relations.get(l.relation());
                List<Integer> cols = new ArrayList<>();
                for (int i = 0; i < r.schema().size(); i++) cols.add(flat.offsets.get(l.relation()) + i);
                yield new Built(r, cols, l.relations());
            }
            case JoinTree.Node node -> {
                Built left = build(node.left(), relations, flat, conjuncts, used);
                Built right = build(node.right(), relations, flat, conjuncts, used);
                long set = left.relations() | right.relations();
                List<Integer> cols = new ArrayList<>(left.columns());
                cols.addAll(right.columns());
                int[] toLocal = new int[flat.fields.size()];
                java.util.Arrays.fill(toLocal, -1);
                for (int i = 0; i < cols.size(); i++) toLocal[cols.get(i)] = i;
                List<Expr> condition = new ArrayList<>();
                for (int i = 0; i < conjuncts.size(); i++) {
                    if (used[i] || (flat.relationsOf(conjuncts.get(i)) & ~set) != 0) continue;
                    used[i] = true;
                    condition.add(Exprs.remap(conjuncts.get(i), toLocal));
                }
                yield new Built(new Join(left.rel(), right.rel(), JoinKind.INNER, Exprs.and(condition)), cols, set);
            }
        };
    }

    /** A projection giving the original tree's columns in their original order and names (none if already so). */
    private static Rel restoreOrder(Built built, int[] output, Schema original) {
        List<Expr> exprs = new ArrayList<>();
        Schema s = built.rel().schema();
        for (int g : output) {
            int i = built.columns().indexOf(g);
            exprs.add(new ColumnRef(i, s.field(i).type(), s.field(i).nullable()));
        }
        Project p = new Project(built.rel(), exprs, original.names());
        boolean identity = exprs.size() == s.size() && s.names().equals(original.names());
        for (int i = 0; identity && i < exprs.size(); i++) identity = ((ColumnRef) exprs.get(i)).index() == i;
        return identity ? built.rel() : p;
    }

    /** Each relation named by its first table, numbered when a table appears twice. */
    private static List<String> names(List<Rel> relations) {
        List<String> base = relations.stream().map(ReorderJoins::tableName).toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < base.size(); i++) {
            String b = base.get(i);
            out.add(java.util.Collections.frequency(base, b) > 1 ? b + "#" + (base.subList(0, i).stream().filter(b::equals).count() + 1) : b);
        }
        return out;
    }

    private static String tableName(Rel r) {
        if (r instanceof TableScan s) return s.table().name();
        for (Rel in : r.inputs()) {
            String n = tableName(in);
            if (!n.isEmpty()) return n;
        }
        return r.inputs().isEmpty() ? PlanPrinter.line(r) : "";
    }
}
