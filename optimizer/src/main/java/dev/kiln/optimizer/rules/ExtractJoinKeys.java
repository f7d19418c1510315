package dev.kiln.optimizer.rules;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import dev.kiln.optimizer.Rule;
import dev.kiln.optimizer.RuleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns equalities between a left-only and a right-only expression into hash-join keys of the form
 * {@code left_column = right_column}: a computed side ({@code a.x + 1 = b.y}, or a cast that makes
 * the types meet) is computed by a Project appended below the join, and the equality then compares
 * the new columns ({@link dev.kiln.ir.rel.JoinConditions#analyze} only takes plain columns of
 * equal types as keys). A Project above the join drops the added columns again, so the join's
 * row type is unchanged. Valid for every join kind: the inputs only gain columns.
 */
public final class ExtractJoinKeys implements Rule {
    public String name() {
        return "extract-join-keys";
    }

    /** One equality to rewrite, both sides already cast to a common type; right in right-input coordinates. */
    private record Key(Expr left, Expr right) {}

    public Optional<Rel> apply(Rel node, RuleContext ctx) {
        if (!(node instanceof Join j)) return Optional.empty();
        int lw = j.left().schema().size();
        int rw = j.right().schema().size();
        List<Expr> conjuncts = Exprs.conjuncts(j.condition());
        List<Optional<Key>> keys = conjuncts.stream().map(c -> key(c, lw)).toList();
        if (keys.stream().allMatch(Optional::isEmpty)) return Optional.empty();

        List<Expr> leftExtra = new ArrayList<>();
        List<Expr> rightExtra = new ArrayList<>();
        for (Optional<Key> k : keys) {
            k.ifPresent(key -> {
                if (!(key.left() instanceof ColumnRef) && !leftExtra.contains(key.left())) leftExtra.add(key.left());
                if (!(key.right() instanceof ColumnRef) && !rightExtra.contains(key.right())) rightExtra.add(key.right());
            });
        }
        int nl = leftExtra.size();
        // old combined index → new combined index: right columns move past the left's new columns
        int[] shiftRight = new int[lw + rw];
        for (int i = 0; i < lw + rw; i++) shiftRight[i] = i < lw ? i : i + nl;

        List<Expr> condition = new ArrayList<>();
        for (int i = 0; i < conjuncts.size(); i++) {
            Optional<Key> k = keys.get(i);
            if (k.isEmpty()) {
                condition.add(Exprs.remap(conjuncts.get(i), shiftRight));
                continue;
            }
            Expr l = k.get().left();
            Expr r = k.get().right();
            ColumnRef lc = l instanceof ColumnRef c ? c : new ColumnRef(lw + leftExtra.indexOf(l), l.type(), l.nullable());
            ColumnRef rc = r instanceof ColumnRef c ? new ColumnRef(lw + nl + c.index(), c.type(), c.nullable())
                    : new ColumnRef(lw + nl + rw + rightExtra.indexOf(r), r.type(), r.nullable());
            condition.add(new Call(Op.EQ, List.of(lc, rc), DataType.BOOLEAN, lc.nullable() || rc.nullable()));
        }
        Rel left = widen(j.left(), leftExtra);
        Rel right = widen(j.right(), rightExtra);
        Join joined = new Join(left, right, j.kind(), Exprs.and(condition));
        return Optional.of(restore(joined, j.schema(), lw, nl));
    }

    /** The equality as a key to extract, or empty if it is not one or is already plain columns of one type. */
    private static Optional<Key> key(Expr c, int lw) {
        if (!(c instanceof Call eq) || eq.op() != Op.EQ || eq.args().size() != 2) return Optional.empty();
        Expr a = eq.arg(0);
        Expr b = eq.arg(1);
        if (a instanceof ColumnRef && b instanceof ColumnRef && a.type().equals(b.type())) return Optional.empty();
        Sides sa = Sides.of(a, lw);
        Sides sb = Sides.of(b, lw);
        Expr l;
        Expr r;
        if (sa == Sides.LEFT && sb == Sides.RIGHT) {
            l = a;
            r = b;
        } else if (sa == Sides.RIGHT && sb == Sides.LEFT) {
            l = b;
            r = a;
        } else {
            return Optional.empty();
        }
        DataType t = TypeRules.commonType(l.type(), r.type());
        return Optional.of(new Key(TypeRules.castTo(l, t), Exprs.shift(TypeRules.castTo(r, t), -lw)));
    }

    /** The input with {@code extra} expressions appended as new columns. */
    private static Rel widen(Rel input, List<Expr> extra) {
        if (extra.isEmpty()) return input;
        Schema s = input.schema();
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>(s.names());
        for (int i = 0; i < s.size(); i++) exprs.add(new ColumnRef(i, s.field(i).type(), s.field(i).nullable()));
        for (int i = 0; i < extra.size(); i++) {
            exprs.add(extra.get(i));
            names.add("key$" + i);
        }
        return new Project(input, exprs, names);
    }

    /** A Project over the widened join giving back the original row type. */
    private static Rel restore(Join joined, Schema original, int lw, int nl) {
        Schema s = joined.schema();
        List<Expr> exprs = new ArrayList<>();
        for (int i = 0; i < original.size(); i++) {
            // RIGHT_SEMI/RIGHT_ANTI output the right columns alone, the extra ones after them
            int from = !joined.kind().projectsLeft() || i < lw ? i : i + nl;
            exprs.add(new ColumnRef(from, s.field(from).type(), s.field(from).nullable()));
        }
        Project p = new Project(joined, exprs, original.names());
        return p.schema().equals(s) ? joined : p;
    }
}
