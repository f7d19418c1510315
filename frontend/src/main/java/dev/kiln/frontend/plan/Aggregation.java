package dev.kiln.frontend.plan;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.type.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Lowers {@code groupBy(keys).agg(outputs)}: a projection computes the keys and every aggregate's
 * argument, an {@link Aggregate} groups them, and a projection computes each output from the
 * aggregates and the keys (so {@code sum(a).div(count())} or {@code key.plus(1)} are outputs
 * like any other). A sub-expression of an output equal to a key is that key; any other column
 * outside an aggregate is an error. Distinct aggregates over one argument are computed in two
 * levels (group by keys and the argument, then by the keys), as the SQL frontend expands them.
 */
final class Aggregation {
    private Aggregation() {}

    /** An aggregate of the output row: function, its argument's index in the pre-projection (-1: none), DISTINCT. */
    private record Slot(AggFunc func, int arg, boolean distinct) {}

    private final static class State {
        final Resolver r;
        final List<Expr> keys = new ArrayList<>();
        final List<Expr> args = new ArrayList<>();
        final List<Slot> slots = new ArrayList<>();
        final List<DataType> slotTypes = new ArrayList<>();
        final List<Boolean> slotNullable = new ArrayList<>();
        /** The output name of each slot that is an output by itself (else null). */
        final List<String> slotNames = new ArrayList<>();

        State(Resolver r) {
            this.r = r;
        }

        String slotName(int j) {
            return slotNames.get(j) != null ? slotNames.get(j) : "$agg" + j;
        }

        Expr output(Column c) {
            switch (c) {
                case Column.Agg g -> {
                    return slot(g);
                }
                case Column.Alias a -> {
                    return output(a.input());
                }
                case Column.Scalar s -> throw r.error("a scalar subquery in agg() must be inside an aggregate; add it with select() or withColumn() after agg()");
                default -> {}
            }
            if (!containsAggregate(c)) {
                Expr e = r.resolve(c);
                int key = keys.indexOf(e);
                if (key >= 0) return new ColumnRef(key, e.type(), e.nullable());
                if (Exprs.columnsUsed(e).isEmpty()) return e;
                if (c instanceof Column.Named) {
                    throw r.error("column '" + c + "' is neither a group key nor inside an aggregate; add it to groupBy(...) or aggregate it, e.g. anyValue(col(\"" + c + "\"))");
                }
            }
            return r.build(c, this::output);
        }

        Expr slot(Column.Agg g) {
            int arg = -1;
            Optional<DataType> argType = Optional.empty();
            boolean argNullable = false;
            if (g.arg() != null) {
                if (containsAggregate(g.arg())) throw r.error("an aggregate cannot contain another aggregate: " + g);
                Expr e = r.resolve(g.arg());
                arg = args.indexOf(e);
                if (arg < 0) {
                    arg = args.size();
                    args.add(e);
                }
                argType = Optional.of(e.type());
                argNullable = e.nullable();
            } else if (g.func() != AggFunc.COUNT) {
                throw r.error(g.func() + " needs an argument");
            }
            DataType type;
            try {
                type = TypeRules.aggregateType(g.func(), argType);
            } catch (KilnException e) {
                throw r.error(e.getMessage() + ", in " + g);
            }
            boolean distinct = g.distinct() && g.func() != AggFunc.MIN && g.func() != AggFunc.MAX;
            Slot s = new Slot(g.func(), arg, distinct);
            int at = slots.indexOf(s);
            if (at < 0) {
                at = slots.size();
                slots.add(s);
                slotTypes.add(type);
                slotNullable.add(g.func() != AggFunc.COUNT && (keys.isEmpty() || argNullable));
                slotNames.add(null);
            }
            return new ColumnRef(keys.size() + at, type, slotNullable.get(at));
        }
    }

    static Relation lower(Relation input, List<Column> keys, List<Column> outputs) {
        String op = (keys.isEmpty() ? "" : "groupBy" + paren(keys) + ".") + "agg" + paren(outputs);
        Resolver r = new Resolver(op, input.rel(), input.qualifiers());
        State st = new State(r);
        List<String> names = new ArrayList<>();
        List<String> qualifiers = new ArrayList<>();
        for (Column k : keys) {
            if (containsAggregate(k)) throw r.error("a group key cannot be an aggregate: " + k);
            if (k instanceof Column.Order) throw r.error("a group key has no sort direction: " + k);
            st.keys.add(r.resolve(k));
            names.add(Relation.outputName(k));
            qualifiers.add(k instanceof Column.Named n ? r.qualifiers().get(r.index(n)) : null);
        }
        List<Expr> outs = new ArrayList<>();
        for (int i = 0; i < st.keys.size(); i++) outs.add(new ColumnRef(i, st.keys.get(i).type(), st.keys.get(i).nullable()));
        for (Column o : outputs) {
            outs.add(st.output(o));
            names.add(Relation.outputName(o));
            qualifiers.add(null);
        }
        int k = st.keys.size();
        for (int i = k; i < outs.size(); i++) {
            if (outs.get(i) instanceof ColumnRef c && c.index() >= k && st.slotNames.get(c.index() - k) == null) st.slotNames.set(c.index() - k, names.get(i));
        }
        List<Expr> pre = new ArrayList<>(st.keys);
        pre.addAll(st.args);
        List<String> preNames = new ArrayList<>();
        for (int i = 0; i < k; i++) preNames.add(names.get(i));
        for (int i = 0; i < st.args.size(); i++) preNames.add("$arg" + i);
        Rel projected = new Project(r.input(), pre, preNames);
        Rel grouped = st.slots.stream().anyMatch(Slot::distinct) ? twoLevels(st, projected, r) : oneLevel(st, projected);
        boolean identity = outs.size() == grouped.schema().size() && grouped.schema().names().equals(names);
        for (int i = 0; identity && i < outs.size(); i++) identity = outs.get(i) instanceof ColumnRef c && c.index() == i;
        return new Relation(identity ? grouped : new Project(grouped, outs, names), qualifiers);
    }

    private static Rel oneLevel(State st, Rel in) {
        int k = st.keys.size();
        List<AggCall> calls = new ArrayList<>();
        for (int j = 0; j < st.slots.size(); j++) {
            Slot s = st.slots.get(j);
            calls.add(new AggCall(s.func(), s.arg() < 0 ? List.of() : List.of(k + s.arg()), false, st.slotTypes.get(j), st.slotNullable.get(j), st.slotName(j)));
        }
        return new Aggregate(in, Relation.range(k), calls);
    }

    /**
     * Level one groups by the keys and the distinct argument, with partial aggregates of the
     * others; level two groups by the keys, aggregating the distinct argument and combining the
     * partials. A projection then gives the keys and one column per slot, as {@link #oneLevel} does.
     */
    private static Rel twoLevels(State st, Rel in, Resolver r) {
        int k = st.keys.size();
        List<Integer> distinctArgs = st.slots.stream().filter(Slot::distinct).map(Slot::arg).distinct().toList();
        if (distinctArgs.size() > 1) {
            throw r.error("distinct aggregates over " + distinctArgs.size() + " different arguments in one agg() are not supported yet; compute each in its own agg() and join the results on the keys");
        }
        int d = k + distinctArgs.getFirst();
        List<Integer> keys1 = new ArrayList<>(Relation.range(k));
        keys1.add(d);
        List<AggCall> partials = new ArrayList<>();
        List<AggCall> finals = new ArrayList<>();
        List<java.util.function.IntFunction<Expr>> slotExprs = new ArrayList<>();
        boolean global = k == 0;
        for (int j = 0; j < st.slots.size(); j++) {
            Slot s = st.slots.get(j);
            DataType t = st.slotTypes.get(j);
            boolean nullable = st.slotNullable.get(j);
            String name = "$agg" + j;
            if (s.distinct()) {
                finals.add(new AggCall(s.func(), List.of(k), false, t, nullable, name));
                int at = k + finals.size() - 1;
                slotExprs.add(base -> new ColumnRef(at, t, nullable));
                continue;
            }
            List<Integer> arg = s.arg() < 0 ? List.of() : List.of(k + s.arg());
            int p = k + 1 + partials.size();
            switch (s.func()) {
                case COUNT -> {
                    partials.add(new AggCall(AggFunc.COUNT, arg, false, DataType.BIGINT, false, name));
                    finals.add(new AggCall(AggFunc.SUM, List.of(p), false, DataType.BIGINT, global, name));
                    int at = k + finals.size() - 1;
                    slotExprs.add(base -> global ? TypeRules.coalesce(List.of(new ColumnRef(at, DataType.BIGINT, true), Literal.of(0L))) : new ColumnRef(at, DataType.BIGINT, false));
                }
                case AVG -> {
                    DataType argType = in.schema().field(k + s.arg()).type();
                    DataType sumType = TypeRules.aggregateType(AggFunc.SUM, Optional.of(argType));
                    partials.add(new AggCall(AggFunc.SUM, arg, false, sumType, true, name + "sum"));
                    partials.add(new AggCall(AggFunc.COUNT, arg, false, DataType.BIGINT, false, name + "count"));
                    finals.add(new AggCall(AggFunc.SUM, List.of(p), false, sumType, true, name + "sum"));
                    finals.add(new AggCall(AggFunc.SUM, List.of(p + 1), false, DataType.BIGINT, global, name + "count"));
                    int at = k + finals.size() - 2;
                    slotExprs.add(base -> {
                        Expr sum = TypeRules.castTo(new ColumnRef(at, sumType, true), DataType.DOUBLE);
                        Expr count = TypeRules.castTo(new ColumnRef(at + 1, DataType.BIGINT, global), DataType.DOUBLE);
                        Expr divisor = nullable ? TypeRules.nullIf(count, Literal.of(0.0)) : count;
                        return TypeRules.arithmetic(Op.DIVIDE, sum, divisor);
                    });
                }
                default -> {
                    // SUM of sums, MIN of minimums, MAX of maximums, any of any values
                    partials.add(new AggCall(s.func(), arg, false, t, nullable, name));
                    finals.add(new AggCall(s.func() == AggFunc.ANY_VALUE ? AggFunc.ANY_VALUE : s.func(), List.of(p), false, t, nullable, name));
                    int at = k + finals.size() - 1;
                    slotExprs.add(base -> new ColumnRef(at, t, nullable));
                }
            }
        }
        Rel level1 = new Aggregate(in, keys1, partials);
        Rel level2 = new Aggregate(level1, Relation.range(k), finals);
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            exprs.add(Relation.ref(level2.schema(), i));
            names.add(level2.schema().field(i).name());
        }
        for (int j = 0; j < slotExprs.size(); j++) {
            exprs.add(slotExprs.get(j).apply(0));
            names.add(st.slotName(j));
        }
        return new Project(level2, exprs, names);
    }

    static boolean containsAggregate(Column c) {
        return any(c, x -> x instanceof Column.Agg);
    }

    /** Does {@code c} or any column inside it (not inside subqueries) satisfy {@code p}? */
    static boolean any(Column c, Predicate<Column> p) {
        if (p.test(c)) return true;
        return switch (c) {
            case Column.Apply a -> a.args().stream().anyMatch(x -> any(x, p));
            case Column.Alias a -> any(a.input(), p);
            case Column.CastTo t -> any(t.input(), p);
            case Column.Order o -> any(o.input(), p);
            case Column.When w -> w.conditions().stream().anyMatch(x -> any(x, p)) || w.results().stream().anyMatch(x -> any(x, p))
                    || (w.otherwise() != null && any(w.otherwise(), p));
            case Column.Agg g -> g.arg() != null && any(g.arg(), p);
            case Column.InSubquery s -> any(s.value(), p);
            case Column.Named n -> false;
            case Column.Lit l -> false;
            case Column.Param q -> false;
            case Column.Scalar s -> false;
        };
    }

    private static String paren(List<Column> cs) {
        return cs.toString().replace('[', '(').replace(']', ')');
    }
}
