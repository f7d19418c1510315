package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Sort;
import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.rel.Values;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Projection pruning, top-down over the whole plan: every operator asks its input only for the
 * columns it reads, scans read only those columns, unused projections and aggregates disappear.
 * The root keeps all its output columns.
 */
public final class PruneColumns implements Rule {
    public String name() {
        return "prune-columns";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        BitSet all = new BitSet();
        all.set(0, node.schema().size());
        Pruned p = prune(node, all);
        return p.rel.equals(node) ? Optional.empty() : Optional.of(p.rel);
    }

    /** The pruned operator and, for each old output column, its new index (-1 if dropped). */
    private record Pruned(Rel rel, int[] mapping) {}

    /**
     * {@code p} with a Project on top that keeps only the {@code needed} columns, when it
     * outputs more (e.g. a filter's column that nothing above reads).
     */
    private static Pruned narrow(Pruned p, BitSet needed) {
        int width = p.rel.schema().size();
        BitSet keep = new BitSet();
        for (int i = 0; i < p.mapping.length; i++) {
            if (needed.get(i) && p.mapping[i] >= 0) keep.set(p.mapping[i]);
        }
        if (keep.isEmpty()) keep.set(0); // rows keep a width
        if (keep.cardinality() == width) return p;
        int[] newIndex = new int[width];
        Arrays.fill(newIndex, -1);
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int c = keep.nextSetBit(0); c >= 0; c = keep.nextSetBit(c + 1)) {
            newIndex[c] = exprs.size();
            exprs.add(new dev.kiln.ir.expr.ColumnRef(c, p.rel.schema().field(c).type(), p.rel.schema().field(c).nullable()));
            names.add(p.rel.schema().field(c).name());
        }
        int[] mapping = new int[p.mapping.length];
        for (int i = 0; i < mapping.length; i++) mapping[i] = p.mapping[i] < 0 ? -1 : newIndex[p.mapping[i]];
        return new Pruned(new Project(p.rel, exprs, names), mapping);
    }

    /** The pruned operator with every column of {@code original} again, in its order. */
    private static Rel restore(Pruned p, Rel original) {
        boolean same = p.rel.schema().size() == p.mapping.length;
        for (int i = 0; same && i < p.mapping.length; i++) same = p.mapping[i] == i;
        if (same) return p.rel;
        List<Expr> exprs = new ArrayList<>();
        for (int i = 0; i < p.mapping.length; i++) {
            var f = p.rel.schema().field(p.mapping[i]);
            exprs.add(new dev.kiln.ir.expr.ColumnRef(p.mapping[i], f.type(), f.nullable()));
        }
        return new Project(p.rel, exprs, original.schema().names());
    }

    private static int[] identity(int n) {
        int[] m = new int[n];
        for (int i = 0; i < n; i++) m[i] = i;
        return m;
    }

    private Pruned prune(Rel rel, BitSet needed) {
        return switch (rel) {
            case TableScan s -> {
                List<Integer> cols = new ArrayList<>();
                int[] map = new int[s.columns().size()];
                Arrays.fill(map, -1);
                for (int i = 0; i < s.columns().size(); i++) {
                    if (needed.get(i)) {
                        map[i] = cols.size();
                        cols.add(s.columns().get(i));
                    }
                }
                if (cols.isEmpty() && !s.columns().isEmpty()) {
                    // keep the narrowest column: something must drive the row count
                    int best = narrowest(s);
                    map[best] = 0;
                    cols.add(s.columns().get(best));
                }
                yield new Pruned(new TableScan(s.table(), cols), map);
            }
            case Values v -> new Pruned(v, identity(v.schema().size()));
            case dev.kiln.ir.rel.Union u -> {
                // every input keeps all the union's columns (in order): only their own insides are pruned
                List<Rel> ins = new ArrayList<>();
                for (Rel in : u.inputs()) {
                    BitSet all = new BitSet();
                    all.set(0, in.schema().size());
                    ins.add(restore(prune(in, all), in));
                }
                yield new Pruned(new dev.kiln.ir.rel.Union(u.schema(), ins), identity(u.schema().size()));
            }
            case Filter f -> {
                BitSet need = (BitSet) needed.clone();
                need.or(Exprs.columnsUsed(f.condition()));
                Pruned in = prune(f.input(), need);
                yield new Pruned(new Filter(in.rel, Exprs.remap(f.condition(), in.mapping)), in.mapping);
            }
            case Project p -> {
                List<Integer> kept = new ArrayList<>();
                for (int i = 0; i < p.exprs().size(); i++) if (needed.get(i)) kept.add(i);
                if (kept.isEmpty() && !p.exprs().isEmpty()) kept.add(0); // keep a column so rows still have a width
                BitSet need = new BitSet();
                for (int i : kept) need.or(Exprs.columnsUsed(p.exprs().get(i)));
                Pruned in = prune(p.input(), need);
                int[] map = new int[p.exprs().size()];
                Arrays.fill(map, -1);
                List<Expr> exprs = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (int i : kept) {
                    map[i] = exprs.size();
                    exprs.add(Exprs.remap(p.exprs().get(i), in.mapping));
                    names.add(p.names().get(i));
                }
                yield new Pruned(new Project(in.rel, exprs, names), map);
            }
            case Join j -> {
                int lw = j.left().schema().size();
                int rw = j.right().schema().size();
                // RIGHT_SEMI/RIGHT_ANTI output the right columns alone
                BitSet need = j.kind().projectsLeft() ? (BitSet) needed.clone() : shifted(needed, lw);
                need.or(Exprs.columnsUsed(j.condition()));
                BitSet ln = need.get(0, lw);
                BitSet rn = need.get(lw, lw + rw);
                // a join input is materialized into a hash table: drop what only a filter below needed
                Pruned l = narrow(prune(j.left(), ln), ln);
                Pruned r = narrow(prune(j.right(), rn), rn);
                int newLw = l.rel.schema().size();
                int[] both = new int[lw + rw];
                for (int i = 0; i < lw; i++) both[i] = l.mapping[i];
                for (int i = 0; i < rw; i++) both[lw + i] = r.mapping[i] < 0 ? -1 : r.mapping[i] + newLw;
                Rel joined = new Join(l.rel, r.rel, j.kind(), Exprs.remap(j.condition(), both));
                int[] out = !j.kind().projectsRight() ? l.mapping
                        : !j.kind().projectsLeft() ? r.mapping
                        : both;
                yield new Pruned(joined, out);
            }
            case Aggregate a -> {
                int keys = a.groupKeys().size();
                List<Integer> keptAggs = new ArrayList<>();
                for (int i = 0; i < a.aggs().size(); i++) {
                    // SINGLE_VALUE stays even unused: it raises the error for a scalar subquery with several rows
                    if (needed.get(keys + i) || a.aggs().get(i).func() == AggFunc.SINGLE_VALUE) keptAggs.add(i);
                }
                if (keptAggs.isEmpty() && keys == 0 && !a.aggs().isEmpty()) keptAggs.add(0);
                BitSet need = new BitSet();
                for (int k : a.groupKeys()) need.set(k);
                for (int i : keptAggs) for (int arg : a.aggs().get(i).args()) need.set(arg);
                Pruned in = prune(a.input(), need);
                List<Integer> newKeys = a.groupKeys().stream().map(k -> in.mapping[k]).toList();
                List<AggCall> calls = new ArrayList<>();
                int[] map = new int[keys + a.aggs().size()];
                Arrays.fill(map, -1);
                for (int i = 0; i < keys; i++) map[i] = i;
                for (int i : keptAggs) {
                    AggCall c = a.aggs().get(i);
                    map[keys + i] = keys + calls.size();
                    calls.add(new AggCall(c.func(), c.args().stream().map(x -> in.mapping[x]).toList(), c.distinct(), c.type(), c.nullable(), c.name()));
                }
                yield new Pruned(new Aggregate(in.rel, newKeys, calls), map);
            }
            case Sort s -> {
                BitSet need = (BitSet) needed.clone();
                for (SortKey k : s.keys()) need.set(k.column());
                Pruned in = prune(s.input(), need);
                List<SortKey> keys = s.keys().stream().map(k -> new SortKey(in.mapping[k.column()], k.ascending(), k.nullsFirst())).toList();
                yield new Pruned(new Sort(in.rel, keys, s.offset(), s.limit()), in.mapping);
            }
            case dev.kiln.ir.rel.Infer inf -> {
                // outputs nobody reads are not computed; with none left the model does not run at all
                int width = inf.input().schema().size();
                BitSet need = needed.get(0, width);
                List<dev.kiln.ir.rel.Infer.Output> kept = new ArrayList<>();
                List<Integer> keptAt = new ArrayList<>();
                for (int j = 0; j < inf.outputs().size(); j++) {
                    if (needed.get(width + j)) {
                        kept.add(inf.outputs().get(j));
                        keptAt.add(j);
                    }
                }
                if (!kept.isEmpty()) for (int a : inf.args()) need.set(a);
                Pruned in = prune(inf.input(), need);
                int[] map = Arrays.copyOf(in.mapping, width + inf.outputs().size());
                for (int j = 0; j < inf.outputs().size(); j++) map[width + j] = -1;
                if (kept.isEmpty()) yield new Pruned(in.rel, map);
                List<Integer> args = inf.args().stream().map(a -> in.mapping[a]).toList();
                if (in.rel instanceof dev.kiln.ir.rel.Infer below && fusable(inf, args, below, needed)) {
                    // the model's one argument is the one output of the inference right below it, and nothing above reads that
                    // column: one Infer with the lower model as its prelude, whose per-row outputs never become a column
                    // (an image model's preprocessed pixels go straight into its batches)
                    int belowWidth = below.input().schema().size();
                    map[inf.args().getFirst()] = -1;
                    for (int j = 0; j < keptAt.size(); j++) map[width + keptAt.get(j)] = belowWidth + j;
                    var prelude = new dev.kiln.ir.rel.Infer.Prelude(below.model(), below.outputs().getFirst().modelOutput());
                    yield new Pruned(new dev.kiln.ir.rel.Infer(below.input(), inf.model(), below.args(), kept, Optional.of(prelude)), map);
                }
                for (int j = 0; j < keptAt.size(); j++) map[width + keptAt.get(j)] = in.rel.schema().size() + j;
                yield new Pruned(new dev.kiln.ir.rel.Infer(in.rel, inf.model(), args, kept, inf.prelude()), map);
            }
            case dev.kiln.ir.rel.SessionWindow w -> {
                int width = w.input().schema().size();
                BitSet need = needed.get(0, width);
                if (!needed.get(width)) {
                    // nobody reads the session start: the windows need not be computed at all
                    Pruned in = prune(w.input(), need);
                    int[] map = Arrays.copyOf(in.mapping, width + 1);
                    map[width] = -1;
                    yield new Pruned(in.rel, map);
                }
                for (int k : w.keys()) need.set(k);
                need.set(w.time());
                Pruned in = prune(w.input(), need);
                List<Integer> keys = w.keys().stream().map(k -> in.mapping[k]).toList();
                Rel sessions = new dev.kiln.ir.rel.SessionWindow(in.rel, keys, in.mapping[w.time()], w.gapMicros(), w.name());
                int[] map = Arrays.copyOf(in.mapping, width + 1);
                map[width] = in.rel.schema().size();
                yield new Pruned(sessions, map);
            }
        };
    }

    /**
     * Whether {@code inf} (its arguments {@code args} over its pruned input {@code below}) can take
     * {@code below}'s model as its prelude: neither has one, {@code below} has one output, it is
     * {@code inf}'s only argument, and no operator above reads it ({@code needed} is what the
     * operators above {@code inf} read, in {@code inf}'s columns).
     */
    private static boolean fusable(dev.kiln.ir.rel.Infer inf, List<Integer> args, dev.kiln.ir.rel.Infer below, BitSet needed) {
        return inf.prelude().isEmpty() && below.prelude().isEmpty() && args.size() == 1 && below.outputs().size() == 1
                && args.getFirst() == below.input().schema().size() && !needed.get(inf.args().getFirst()) && inf.model().graph().inputs().size() == 1;
    }

    private static int narrowest(TableScan s) {
        int best = 0;
        int bestWidth = Integer.MAX_VALUE;
        for (int i = 0; i < s.columns().size(); i++) {
            int w = s.schema().field(i).type().physical().width();
            int width = w < 0 ? 16 : w;
            if (width < bestWidth) {
                best = i;
                bestWidth = width;
            }
        }
        return best;
    }

    private static BitSet shifted(BitSet bits, int by) {
        BitSet out = new BitSet();
        bits.stream().forEach(i -> out.set(i + by));
        return out;
    }
}
