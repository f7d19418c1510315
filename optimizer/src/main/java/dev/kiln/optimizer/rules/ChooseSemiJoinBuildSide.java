package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import dev.kiln.optimizer.cost.Estimator;
import java.util.BitSet;
import java.util.Locale;
import java.util.Optional;

/**
 * A SEMI or ANTI join builds its hash table on the right input and probes with the left, whose
 * rows it keeps. When the kept (left) side is the small one, building on it is cheaper: the
 * mirrored join ({@code RIGHT_SEMI}/{@code RIGHT_ANTI}) with the inputs swapped builds the kept
 * rows with a mark each, lets the large side probe, and emits the marked (unmarked) rows. The
 * large side then also needs no DISTINCT: an aggregate without aggregate functions (or a
 * projection of plain columns) under it that only served to make it distinct is dropped, since a
 * probe marks the same entry however often a key repeats (TPC-H Q22 probes orders' customer keys
 * into its 19K customers instead of aggregating 1.5M orders first; Q4 probes lineitem into the
 * quarter's orders).
 *
 * <p>Cost, in probe-row units, with a hash-table insert or aggregate update counting two:
 * {@code distinct + 2·|right| + |left|} as it is, {@code 2·|left| + |right without distinct|}
 * mirrored; the mirror is taken when it is at most {@value #GAIN} of the other.
 */
public final class ChooseSemiJoinBuildSide implements Rule {
    static final double GAIN = 0.8;

    public String name() {
        return "semi-join-build-side";
    }

    /** The probe side after dropping what only made it distinct, and the condition over (left, it). */
    private record Probe(Rel rel, Expr condition, boolean droppedDistinct) {}

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Join j) || (j.kind() != JoinKind.SEMI && j.kind() != JoinKind.ANTI)) return Optional.empty();
        Estimator est = new Estimator(ctx.statistics());
        double left = est.estimate(j.left()).rows();
        double right = est.estimate(j.right()).rows();
        Probe p = undistinct(j);
        double raw = p.droppedDistinct() ? est.estimate(p.rel()).rows() : right;
        double asIs = (p.droppedDistinct() ? 2 * raw : 0) + 2 * right + left;
        double mirrored = 2 * left + raw;
        if (mirrored > GAIN * asIs) return Optional.empty();
        int lw = j.left().schema().size();
        int pw = p.rel().schema().size();
        int[] swap = new int[lw + pw];
        for (int i = 0; i < lw; i++) swap[i] = pw + i;
        for (int i = 0; i < pw; i++) swap[lw + i] = i;
        ctx.note(String.format(Locale.ROOT, "%s join builds its kept side (%s rows) and probes with the other (%s rows%s)",
                j.kind(), Estimator.format(left), Estimator.format(raw), p.droppedDistinct() ? ", no longer made distinct" : ""));
        return Optional.of(new Join(p.rel(), j.left(), j.kind().mirror(), Exprs.remap(p.condition(), swap)));
    }

    /** Strips projections of plain columns and distinct aggregates off the right input, as far as the condition allows. */
    private static Probe undistinct(Join j) {
        int lw = j.left().schema().size();
        Rel rel = j.right();
        Expr cond = j.condition();
        boolean dropped = false;
        while (true) {
            BitSet used = rightColumns(cond, lw);
            int[] mapping = new int[lw + rel.schema().size()];
            for (int i = 0; i < lw; i++) mapping[i] = i;
            Rel below;
            if (rel instanceof Project pr && used.stream().allMatch(c -> pr.exprs().get(c) instanceof ColumnRef)) {
                for (int c = 0; c < pr.exprs().size(); c++) mapping[lw + c] = pr.exprs().get(c) instanceof ColumnRef r ? lw + r.index() : -1;
                below = pr.input();
            } else if (rel instanceof Aggregate a && a.aggs().isEmpty() && !a.groupKeys().isEmpty()) {
                for (int c = 0; c < a.groupKeys().size(); c++) mapping[lw + c] = lw + a.groupKeys().get(c);
                below = a.input();
                dropped = true;
            } else {
                return new Probe(rel, cond, dropped);
            }
            cond = Exprs.remap(cond, mapping);
            rel = below;
        }
    }

    private static BitSet rightColumns(Expr cond, int lw) {
        BitSet all = Exprs.columnsUsed(cond);
        BitSet out = new BitSet();
        for (int i = all.nextSetBit(lw); i >= 0; i = all.nextSetBit(i + 1)) out.set(i - lw);
        return out;
    }
}
