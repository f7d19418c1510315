package dev.kiln.frontend.plan;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Exprs;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Sort;
import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

/**
 * An immutable logical plan built in code, the plan API's counterpart of a SQL query: every
 * operation resolves its columns at once (so a mistake is reported at the call that made it, with
 * the columns there are) and returns a new relation over the same Kiln IR the SQL frontend
 * produces. Each column may carry a qualifier (its table's name, or an alias given by
 * {@link #as}) for telling the two sides of a join apart.
 */
public final class Relation implements HasRelation {
    private final Rel rel;
    private final List<String> qualifiers;

    Relation(Rel rel, List<String> qualifiers) {
        if (qualifiers.size() != rel.schema().size()) throw new IllegalArgumentException(qualifiers.size() + " qualifiers for " + rel.schema().size() + " columns");
        this.rel = rel;
        this.qualifiers = Collections.unmodifiableList(new ArrayList<>(qualifiers));
    }

    /**
     * All columns of a table, qualified by its name; a STRUCT column is its fields' columns, named
     * by their paths ({@code image.height}, see {@link dev.kiln.ir.type.Schema#flatten}).
     */
    public static Relation scan(TableRef table) {
        TableRef flat = new TableRef(table.name(), table.schema().flatten(), table.rowCount());
        return new Relation(TableScan.all(flat), Collections.nCopies(flat.schema().size(), table.name()));
    }

    /** A relation over any plan (its columns unqualified). */
    public static Relation of(Rel plan) {
        return new Relation(plan, Collections.nCopies(plan.schema().size(), null));
    }

    @Override
    public Relation relation() {
        return this;
    }

    /** The logical plan (parameters still unbound: see {@link Parameters}). */
    public Rel rel() {
        return rel;
    }

    public Schema schema() {
        return rel.schema();
    }

    public List<String> columnNames() {
        return rel.schema().names();
    }

    /** The names of this relation's parameters and their types, in the order they first appear. */
    public java.util.Map<String, DataType> parameters() {
        return Parameters.find(rel);
    }

    /** Every column qualified by {@code alias} instead of its table's name. */
    public Relation as(String alias) {
        if (alias == null || alias.isBlank() || alias.contains(".")) throw new KilnException("as(" + alias + "): an alias is a name without dots");
        return new Relation(rel, Collections.nCopies(rel.schema().size(), alias));
    }

    /** The rows for which {@code condition} is TRUE. {@code in(subquery)} and {@code notIn(subquery)} may be ANDed in. */
    public Relation filter(Column condition) {
        List<Column> plain = new ArrayList<>();
        List<Column.InSubquery> subqueries = new ArrayList<>();
        for (Column c : conjuncts(condition)) {
            if (c instanceof Column.InSubquery s) subqueries.add(s);
            else plain.add(c);
        }
        Resolver r = new Resolver("filter(" + condition + ")", rel, qualifiers);
        List<Expr> parts = new ArrayList<>();
        for (Column c : plain) parts.add(r.condition(c));
        Rel out = parts.isEmpty() ? r.input() : new Filter(r.input(), Exprs.and(parts));
        List<String> q = r.qualifiers();
        for (Column.InSubquery s : subqueries) {
            Resolver sr = new Resolver("filter(" + s + ")", out, pad(q, out));
            out = Subqueries.in(sr, s);
            q = sr.qualifiers();
        }
        return new Relation(out, pad(q, out)).keepFirst(rel.schema().size(), qualifiers);
    }

    /** Same as {@link #filter}. */
    public Relation where(Column condition) {
        return filter(condition);
    }

    private static List<Column> conjuncts(Column c) {
        if (c instanceof Column.Apply a && a.fn() == Column.Fn.AND) {
            List<Column> out = new ArrayList<>();
            for (Column x : a.args()) out.addAll(conjuncts(x));
            return out;
        }
        return List.of(c);
    }

    /** Qualifiers for the columns an operation appended (unqualified). */
    private static List<String> pad(List<String> q, Rel r) {
        if (q.size() >= r.schema().size()) return q;
        List<String> out = new ArrayList<>(q);
        out.addAll(Collections.nCopies(r.schema().size() - q.size(), null));
        return out;
    }

    /** The first {@code n} columns (dropping those a scalar subquery or IN added). */
    private Relation keepFirst(int n, List<String> q) {
        if (rel.schema().size() == n) return this;
        List<Expr> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) refs.add(ref(rel.schema(), i));
        return new Relation(new Project(rel, refs, rel.schema().names().subList(0, n)), q);
    }

    static ColumnRef ref(Schema s, int i) {
        Field f = s.field(i);
        return new ColumnRef(i, f.type(), f.nullable());
    }

    /**
     * One output column per argument, named by {@code as(...)}, by the column's own name, or by the
     * expression's text. If any argument is an aggregate, this is {@code agg(...)} over all rows.
     */
    public Relation select(Column... columns) {
        if (columns.length == 0) throw new KilnException("select() needs at least one column");
        if (java.util.Arrays.stream(columns).anyMatch(Aggregation::containsAggregate)) return agg(columns);
        Resolver r = new Resolver("select" + java.util.Arrays.toString(columns).replace('[', '(').replace(']', ')'), rel, qualifiers);
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> q = new ArrayList<>();
        for (Column c : columns) {
            exprs.add(r.resolve(c));
            names.add(outputName(c));
            q.add(c instanceof Column.Named n ? r.qualifiers().get(r.index(n)) : null);
        }
        return new Relation(new Project(r.input(), exprs, names), q);
    }

    public Relation select(String... columns) {
        return select(java.util.Arrays.stream(columns).map(Functions::col).toArray(Column[]::new));
    }

    /** All columns, with {@code name} added (or replaced, if a column has that name). */
    public Relation withColumn(String name, Column value) {
        Resolver r = new Resolver("withColumn(" + name + ", " + value + ")", rel, qualifiers);
        Expr v = r.resolve(value);
        List<Expr> exprs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> q = new ArrayList<>();
        boolean replaced = false;
        for (int i = 0; i < rel.schema().size(); i++) {
            boolean here = rel.schema().field(i).name().equalsIgnoreCase(name);
            replaced |= here;
            exprs.add(here ? v : ref(r.input().schema(), i));
            names.add(here ? name : rel.schema().field(i).name());
            q.add(here ? null : qualifiers.get(i));
        }
        if (!replaced) {
            exprs.add(v);
            names.add(name);
            q.add(null);
        }
        return new Relation(new Project(r.input(), exprs, names), q);
    }

    /** All columns but the named ones. */
    public Relation drop(String... names) {
        List<Integer> keep = new ArrayList<>();
        Resolver r = new Resolver("drop" + java.util.Arrays.toString(names), rel, qualifiers);
        java.util.Set<Integer> dropped = new java.util.HashSet<>();
        for (String n : names) dropped.add(r.index((Column.Named) Functions.col(n)));
        for (int i = 0; i < rel.schema().size(); i++) if (!dropped.contains(i)) keep.add(i);
        if (keep.isEmpty()) throw new KilnException("drop" + java.util.Arrays.toString(names) + " would leave no column");
        return pick(keep);
    }

    /** The same columns, {@code from} renamed to {@code to}. */
    public Relation rename(String from, String to) {
        Resolver r = new Resolver("rename(" + from + ", " + to + ")", rel, qualifiers);
        int at = r.index((Column.Named) Functions.col(from));
        List<String> names = new ArrayList<>(rel.schema().names());
        names.set(at, to);
        List<Expr> refs = IntStream.range(0, names.size()).mapToObj(i -> (Expr) ref(rel.schema(), i)).toList();
        return new Relation(new Project(rel, refs, names), qualifiers);
    }

    /** Columns by position of the input, qualifiers kept. */
    private Relation pick(List<Integer> columns) {
        List<Expr> refs = columns.stream().map(i -> (Expr) ref(rel.schema(), i)).toList();
        List<String> n = columns.stream().map(i -> rel.schema().field(i).name()).toList();
        return new Relation(new Project(rel, refs, n), columns.stream().map(qualifiers::get).toList());
    }

    static String outputName(Column c) {
        return switch (c) {
            case Column.Alias a -> a.name();
            case Column.Named n -> n.name();
            default -> c.toString();
        };
    }

    /** GROUP BY the keys; finish with {@link Grouped#agg}. */
    public Grouped groupBy(Column... keys) {
        return new Grouped(this, List.of(keys));
    }

    public Grouped groupBy(String... keys) {
        return groupBy(java.util.Arrays.stream(keys).map(Functions::col).toArray(Column[]::new));
    }

    /** Aggregates over all rows: one row. */
    public Relation agg(Column... outputs) {
        return Aggregation.lower(this, List.of(), List.of(outputs));
    }

    /** A grouping waiting for its aggregates. */
    public record Grouped(Relation input, List<Column> keys) {
        /** The group keys followed by one column per output (each an expression of aggregates and keys). */
        public Relation agg(Column... outputs) {
            if (outputs.length == 0) throw new KilnException("agg() needs at least one aggregate; for the distinct keys use distinct()");
            return Aggregation.lower(input, keys, List.of(outputs));
        }

        /** COUNT(*) per group, as column {@code count}. */
        public Relation count() {
            return agg(Functions.count().as("count"));
        }
    }

    /** The distinct rows. */
    public Relation distinct() {
        Rel agg = new Aggregate(rel, IntStream.range(0, rel.schema().size()).boxed().toList(), List.of());
        return new Relation(agg, qualifiers);
    }

    /** INNER JOIN on a condition over both sides' columns. */
    public Relation join(HasRelation right, Column on) {
        return join(right, on, JoinType.INNER);
    }

    /**
     * A join of {@code type} on a condition over both sides' columns. SEMI and ANTI keep this
     * relation's columns only (EXISTS / NOT EXISTS of a matching right row).
     */
    public Relation join(HasRelation other, Column on, JoinType type) {
        Relation right = other.relation();
        List<String> q = new ArrayList<>(qualifiers);
        q.addAll(right.qualifiers);
        Rel both = new Join(rel, right.rel, JoinKind.INNER, Literal.of(true));
        Resolver r = new Resolver(type.name().toLowerCase(java.util.Locale.ROOT) + " join on " + on, both, q);
        if (containsSubquery(on)) throw r.error("a join condition cannot hold a subquery; filter() after the join instead");
        Expr condition = r.condition(on);
        Join join = new Join(rel, right.rel, type.kind, condition);
        return new Relation(join, type.kind.projectsRight() ? q : qualifiers);
    }

    /** Every pair of rows. */
    /**
     * Sliding event-time windows: each row once per window of length {@code size}, every
     * {@code slide}, that holds its TIMESTAMP column {@code time}, with the window's start as the
     * new column {@code name} (group by it: {@code hopWindows("ts", slide, size, "win").groupBy(col("win"))}).
     * The size must be a multiple of the slide.
     */
    public Relation hopWindows(String time, java.time.Duration slide, java.time.Duration size, String name) {
        long s = micros(slide), z = micros(size);
        if (s <= 0 || z <= 0) throw new dev.kiln.ir.KilnException("hopWindows: the slide and size must be positive, not " + slide + " and " + size);
        if (z % s != 0) throw new dev.kiln.ir.KilnException("hopWindows: the size " + size + " must be a multiple of the slide " + slide);
        if (z / s > 1000) throw new dev.kiln.ir.KilnException("hopWindows: " + z / s + " windows per row is too many; make the slide at least size / 1000");
        dev.kiln.ir.type.Schema one = dev.kiln.ir.type.Schema.of(new dev.kiln.ir.type.Field("$hop", dev.kiln.ir.type.DataType.BIGINT, false));
        List<List<dev.kiln.ir.expr.Expr>> rows = new ArrayList<>();
        for (long j = 0; j < z / s; j++) rows.add(List.of(new dev.kiln.ir.expr.Literal(j, dev.kiln.ir.type.DataType.BIGINT)));
        Relation numbers = Relation.of(new dev.kiln.ir.rel.Values(one, rows));
        Column start = new Column.Apply(Column.Fn.HOP_START, List.of(Functions.col(time), Functions.lit(s), Functions.lit(z), Functions.col("$hop")));
        return crossJoin(numbers).withColumn(name, start).drop("$hop");
    }

    /**
     * Event-time session windows: every row with the start of its session as the new column
     * {@code name}. Rows with equal {@code keys} whose TIMESTAMP {@code time}s are less than
     * {@code gap} apart share a session; group by the start and the keys, and a session ends at
     * {@code max(time) + gap}: {@code sessionWindows("ts", gap, "session", "user").groupBy(col("session"), col("user"))}.
     */
    public Relation sessionWindows(String time, java.time.Duration gap, String name, String... keys) {
        long g = micros(gap);
        if (g <= 0) throw new dev.kiln.ir.KilnException("sessionWindows: the gap must be positive, not " + gap);
        int t = columnIndex("sessionWindows", time);
        if (!(rel.schema().field(t).type() instanceof dev.kiln.ir.type.DataType.TimestampType)) {
            throw new dev.kiln.ir.KilnException("sessionWindows: " + time + " must be a TIMESTAMP, not " + rel.schema().field(t).type().sql());
        }
        List<Integer> k = new ArrayList<>();
        for (String key : keys) k.add(columnIndex("sessionWindows", key));
        List<String> q = new ArrayList<>(qualifiers);
        q.add(null);
        return new Relation(new dev.kiln.ir.rel.SessionWindow(rel, k, t, g, name), q);
    }

    /** The index of the column called {@code name} (case-insensitive); a clear error naming {@code method} if there is none. */
    public int columnIndex(String method, String name) {
        List<String> names = rel.schema().names();
        for (int i = 0; i < names.size(); i++) if (names.get(i).equalsIgnoreCase(name)) return i;
        throw new dev.kiln.ir.KilnException(method + ": no column " + name + " among " + names);
    }

    private static long micros(java.time.Duration d) {
        return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1000);
    }

    public Relation crossJoin(HasRelation right) {
        return join(right, Functions.lit(true), JoinType.INNER);
    }

    private static boolean containsSubquery(Column c) {
        return Aggregation.any(c, x -> x instanceof Column.Scalar || x instanceof Column.InSubquery);
    }

    /**
     * ORDER BY; a key is a column or expression, with {@code .asc()} (the default) or {@code .desc()}.
     * After {@code limit()} it sorts the rows kept (as each call applies to the relation before it).
     */
    public Relation orderBy(Column... keys) {
        Resolver r = new Resolver("orderBy" + java.util.Arrays.toString(keys).replace('[', '(').replace(']', ')'), rel, qualifiers);
        int width = rel.schema().size();
        List<Expr> extra = new ArrayList<>();
        List<SortKey> sortKeys = new ArrayList<>();
        for (Column k : keys) {
            Column.Order o = k instanceof Column.Order x ? x : new Column.Order(k, true, false);
            if (o.input() instanceof Column.Order) throw r.error("a sort key has two directions: " + k);
            Expr e = r.resolve(o.input());
            int at;
            if (e instanceof ColumnRef c && c.index() < width) {
                at = c.index();
            } else {
                at = width + extra.size();
                extra.add(e);
            }
            sortKeys.add(new SortKey(at, o.ascending(), o.nullsFirst()));
        }
        Rel in = r.input();
        List<String> q = r.qualifiers();
        if (!extra.isEmpty() || in.schema().size() != width) {
            List<Expr> exprs = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                exprs.add(ref(in.schema(), i));
                names.add(in.schema().field(i).name());
            }
            for (int i = 0; i < extra.size(); i++) {
                exprs.add(extra.get(i));
                names.add("$sort" + i);
            }
            in = new Project(in, exprs, names);
            q = new ArrayList<>(qualifiers);
            q.addAll(Collections.nCopies(extra.size(), null));
        }
        return new Relation(new Sort(in, sortKeys, 0, -1), q).keepFirst(width, qualifiers);
    }

    /** At most {@code n} rows (after any orderBy). */
    public Relation limit(long n) {
        if (n < 0) throw new KilnException("limit(" + n + "): the limit must be >= 0");
        if (rel instanceof Sort s && s.limit() == -1) return new Relation(new Sort(s.input(), s.keys(), s.offset(), n), qualifiers);
        if (rel instanceof Project p && p.input() instanceof Sort s && s.limit() == -1) {
            return new Relation(new Project(new Sort(s.input(), s.keys(), s.offset(), n), p.exprs(), p.names()), qualifiers);
        }
        return new Relation(new Sort(rel, List.of(), 0, n), qualifiers);
    }

    /** Skips the first {@code n} rows (after any orderBy). */
    public Relation offset(long n) {
        if (n < 0) throw new KilnException("offset(" + n + "): the offset must be >= 0");
        if (rel instanceof Sort s && s.limit() == -1 && s.offset() == 0) return new Relation(new Sort(s.input(), s.keys(), n, -1), qualifiers);
        if (rel instanceof Project p && p.input() instanceof Sort s && s.limit() == -1 && s.offset() == 0) {
            return new Relation(new Project(new Sort(s.input(), s.keys(), n, -1), p.exprs(), p.names()), qualifiers);
        }
        return new Relation(new Sort(rel, List.of(), n, -1), qualifiers);
    }

    /** UNION ALL: both relations' rows; columns matched by position, of their common types. */
    public Relation unionAll(HasRelation other) {
        return SetOperations.unionAll(this, other.relation());
    }

    /** UNION: the distinct rows of both. */
    public Relation union(HasRelation other) {
        return unionAll(other).distinct();
    }

    /** INTERSECT: the distinct rows in both. */
    public Relation intersect(HasRelation other) {
        return SetOperations.intersectOrExcept(this, other.relation(), true);
    }

    /** EXCEPT: the distinct rows of this relation that are not in {@code other}. */
    public Relation except(HasRelation other) {
        return SetOperations.intersectOrExcept(this, other.relation(), false);
    }

    List<String> qualifiers() {
        return qualifiers;
    }

    /** The logical plan, as EXPLAIN prints it. */
    @Override
    public String toString() {
        return PlanPrinter.print(rel);
    }

    /** Join types of the plan API. */
    public enum JoinType {
        INNER(JoinKind.INNER), LEFT(JoinKind.LEFT), RIGHT(JoinKind.RIGHT), FULL(JoinKind.FULL),
        /** Rows of the left side with a match on the right (EXISTS); left columns only. */
        SEMI(JoinKind.SEMI),
        /** Rows of the left side without a match on the right (NOT EXISTS); left columns only. */
        ANTI(JoinKind.ANTI);

        final JoinKind kind;

        JoinType(JoinKind kind) {
            this.kind = kind;
        }
    }

    static AggCall agg(AggFunc f, int arg, DataType type, boolean nullable, String name) {
        return new AggCall(f, arg < 0 ? List.of() : List.of(arg), false, type, nullable, name);
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

}
