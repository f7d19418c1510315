package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.type.Field;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * An INNER join with a side that is unique on its columns (a distinct aggregate: how IN and
 * EXISTS sub-queries arrive decorrelated, as in TPC-H Q4 and Q18) where every column of that side
 * is equated to a column of the other side (or is a constant) is a SEMI join: each row of the
 * other side matches at most one row, and the unique side's columns equal the columns they are
 * equated to, so a projection rebuilds them. As a SEMI join it can be placed onto the join input it filters and
 * built on whichever side is smaller (see {@link ChooseSemiJoinBuildSide}), and its unique side
 * need not stay distinct when it only probes.
 */
public final class SemiJoinFromUniqueSide implements Rule {
    public String name() {
        return "semi-join-from-unique-side";
    }

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Join j) || j.kind() != JoinKind.INNER) return Optional.empty();
        Optional<Rel> r = rewrite(j, false);
        return r.isPresent() ? r : rewrite(j, true);
    }

    /** @param uniqueLeft the unique side is the left input (else the right) */
    private static Optional<Rel> rewrite(Join j, boolean uniqueLeft) {
        int lw = j.left().schema().size();
        int rw = j.right().schema().size();
        Rel unique = uniqueLeft ? j.left() : j.right();
        int uw = unique.schema().size();
        int uOffset = uniqueLeft ? 0 : lw;
        int oOffset = uniqueLeft ? lw : 0;
        // unique column → the other side's column (combined index) it is equated to
        int[] partner = new int[uw];
        java.util.Arrays.fill(partner, -1);
        for (Expr c : Exprs.conjuncts(j.condition())) {
            if (!(c instanceof Call eq) || eq.op() != Op.EQ || !(eq.arg(0) instanceof ColumnRef a) || !(eq.arg(1) instanceof ColumnRef b)) return Optional.empty();
            ColumnRef u = inRange(a, uOffset, uw) ? a : inRange(b, uOffset, uw) ? b : null;
            ColumnRef o = u == a ? b : a;
            if (u == null || inRange(o, uOffset, uw) || !u.type().equals(o.type())) return Optional.empty();
            // the rebuilt column is the other side's: it must not be nullable where the unique one is not
            if (o.nullable() && !u.nullable()) return Optional.empty();
            if (partner[u.index() - uOffset] < 0) partner[u.index() - uOffset] = o.index();
        }
        // a column not equated to anything may still be a constant (the TRUE marker a decorrelated
        // EXISTS adds): the projection repeats it
        Expr[] constant = new Expr[uw];
        BitSet equated = new BitSet();
        for (int i = 0; i < uw; i++) {
            if (partner[i] >= 0) {
                equated.set(i);
            } else if (unique instanceof Project pr && pr.exprs().get(i) instanceof Literal lit) {
                constant[i] = lit;
            } else {
                return Optional.empty();
            }
        }
        if (equated.isEmpty() || !uniqueOn(unique, equated)) return Optional.empty();
        Rel other = uniqueLeft ? j.right() : j.left();
        int ow = other.schema().size();
        // the condition over (other, unique)
        int[] mapping = new int[lw + rw];
        for (int i = 0; i < lw + rw; i++) {
            boolean inUnique = i >= uOffset && i < uOffset + uw;
            mapping[i] = inUnique ? ow + i - uOffset : i - oOffset;
        }
        Join semi = new Join(other, unique, JoinKind.SEMI, Exprs.remap(j.condition(), mapping));
        List<Expr> exprs = new ArrayList<>();
        for (int i = 0; i < lw + rw; i++) {
            boolean inUnique = i >= uOffset && i < uOffset + uw;
            if (inUnique && constant[i - uOffset] != null) {
                exprs.add(constant[i - uOffset]);
                continue;
            }
            int from = inUnique ? partner[i - uOffset] - oOffset : i - oOffset;
            Field f = other.schema().field(from);
            exprs.add(new ColumnRef(from, f.type(), f.nullable()));
        }
        return Optional.of(new Project(semi, exprs, j.schema().names()));
    }

    private static boolean inRange(ColumnRef r, int offset, int width) {
        return r.index() >= offset && r.index() < offset + width;
    }

    /**
     * Do no two rows of {@code rel} agree on all the columns {@code cols}? Only DISTINCT-style
     * aggregates (no aggregate functions) count: an aggregate that computes values joined back on
     * its keys (TPC-H Q2's minimum cost per part, Q17, Q20) stays an INNER join, which semi-join
     * reduction shrinks far better by filtering the aggregate's input.
     */
    static boolean uniqueOn(Rel rel, BitSet cols) {
        return switch (rel) {
            case Aggregate a when !a.aggs().isEmpty() -> false;
            case Aggregate a -> {
                BitSet keys = new BitSet();
                keys.set(0, a.groupKeys().size());
                BitSet covered = (BitSet) keys.clone();
                covered.and(cols);
                yield !a.groupKeys().isEmpty() ? covered.equals(keys) : true; // no keys: one row
            }
            case Filter f -> uniqueOn(f.input(), cols);
            case Project p -> {
                BitSet in = new BitSet();
                for (int i = cols.nextSetBit(0); i >= 0; i = cols.nextSetBit(i + 1)) {
                    if (!(p.exprs().get(i) instanceof ColumnRef r)) yield false;
                    in.set(r.index());
                }
                yield uniqueOn(p.input(), in);
            }
            default -> false;
        };
    }
}
