package dev.kiln.optimizer.stream;

import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.stream.Delta;
import dev.kiln.ir.stream.Linear;
import dev.kiln.ir.stream.StreamInput;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where the columns of a linear plan (filters, projections and joins over delta inputs) come
 * from: the input column a column passes on unchanged, whether it bounds event time (and by how
 * much), and the plan with one more input column carried up to its output. The incrementalization
 * pass asks these to find window keys, session starts and result keys.
 */
final class LinearLineage {
    private LinearLineage() {}

    /** {@code plan} with column {@code c} of delta input {@code input} appended to its output; null where it cannot pass. */
    static Rel carry(Rel plan, int input, int c) {
        return switch (plan) {
            case TableScan s when Linear.inputIndex(s.table()) == input -> {
                List<Integer> cols = new ArrayList<>(s.columns());
                cols.add(c);
                yield new TableScan(s.table(), cols);
            }
            case Filter f -> {
                Rel below = carry(f.input(), input, c);
                yield below == null ? null : new Filter(below, f.condition());
            }
            case Project p -> {
                Rel below = carry(p.input(), input, c);
                if (below == null) yield null;
                List<Expr> exprs = new ArrayList<>(p.exprs());
                List<String> names = new ArrayList<>(p.names());
                var last = below.schema().field(below.schema().size() - 1);
                exprs.add(new ColumnRef(below.schema().size() - 1, last.type(), last.nullable()));
                names.add("$session_time");
                yield new Project(below, exprs, names);
            }
            default -> null;
        };
    }

    /** {input, column} that column {@code col} of the linear plan passes on unchanged, or null. */
    static int[] origin(Rel plan, int col) {
        return switch (plan) {
            case TableScan s -> {
                int i = Linear.inputIndex(s.table());
                yield i < 0 ? null : new int[] {i, s.columns().get(col)};
            }
            case Filter f -> origin(f.input(), col);
            case Project p -> p.exprs().get(col) instanceof ColumnRef c ? origin(p.input(), c.index()) : null;
            case Join j -> {
                int nl = j.left().schema().size();
                if (!j.kind().projectsLeft()) yield origin(j.right(), col);
                yield col < nl ? origin(j.left(), col) : origin(j.right(), col - nl);
            }
            default -> null;
        };
    }

    /**
     * If column {@code col} of the linear plan bounds event time - it is a stream's event time
     * (span 1 microsecond), a tumbling window start over it, TIME_BUCKET(ts, w) (span w), or a
     * sliding one, HOP_START(ts, slide, size, j) (span size) -
     * the span; else empty.
     */
    static OptionalLong span(Rel plan, int col, List<Delta> inputs) {
        return switch (plan) {
            case TableScan s -> {
                int i = Linear.inputIndex(s.table());
                if (i < 0 || !(inputs.get(i) instanceof StreamInput si) || si.eventTime().isEmpty()) yield OptionalLong.empty();
                yield s.columns().get(col) == si.eventTimePosition() ? OptionalLong.of(1) : OptionalLong.empty();
            }
            case Filter f -> span(f.input(), col, inputs);
            case Project p -> {
                Expr e = p.exprs().get(col);
                if (e instanceof ColumnRef c) yield span(p.input(), c.index(), inputs);
                if (e instanceof Call c && c.op() == Op.TIME_BUCKET && c.arg(0) instanceof ColumnRef ts && c.arg(1) instanceof Literal width
                        && span(p.input(), ts.index(), inputs).equals(OptionalLong.of(1))) {
                    yield OptionalLong.of(((Number) width.value()).longValue());
                }
                // a sliding window's start: its rows' event times lie in [start, start + size)
                if (e instanceof Call c && c.op() == Op.HOP_START && c.arg(0) instanceof ColumnRef ts && c.arg(2) instanceof Literal size
                        && span(p.input(), ts.index(), inputs).equals(OptionalLong.of(1))) {
                    yield OptionalLong.of(((Number) size.value()).longValue());
                }
                yield OptionalLong.empty();
            }
            case Join j -> {
                int nl = j.left().schema().size();
                if (!j.kind().projectsLeft()) yield span(j.right(), col, inputs);
                yield col < nl ? span(j.left(), col, inputs) : span(j.right(), col - nl, inputs);
            }
            default -> OptionalLong.empty();
        };
    }

    /** Is column {@code col} of the plan column {@code source} of its (single) delta input, unchanged? */
    static boolean traces(Rel plan, int col, int source) {
        return switch (plan) {
            case TableScan s -> Linear.inputIndex(s.table()) == 0 && s.columns().get(col) == source;
            case Filter f -> traces(f.input(), col, source);
            case Project p -> p.exprs().get(col) instanceof ColumnRef c && traces(p.input(), c.index(), source);
            default -> false;
        };
    }
}
