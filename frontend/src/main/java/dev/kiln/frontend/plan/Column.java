package dev.kiln.frontend.plan;

import dev.kiln.ir.type.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An expression of the plan API before it is resolved against a relation's columns: built by
 * {@link Functions} and the fluent methods here, resolved (names looked up, types derived, casts
 * inserted by the same rules as SQL) when it is handed to a {@link Relation} operation, so an
 * unknown column or a type error is reported at that call. Immutable, with structural equality.
 */
public sealed interface Column {

    /** A column by name, optionally qualified by a table name or alias: {@code col("o.o_orderkey")}. */
    record Named(String qualifier, String name) implements Column {
        public Named {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return qualifier == null ? name : qualifier + "." + name;
        }
    }

    /** A constant: Boolean, Integer, Long, Double, BigDecimal, String, LocalDate, LocalDateTime, or null with a type. */
    record Lit(Object value, DataType nullType) implements Column {
        @Override
        public String toString() {
            return value instanceof String s ? "'" + s.replace("'", "''") + "'" : value == null ? "NULL" : value.toString();
        }
    }

    /** A parameter of a prepared plan, bound to a value of {@code type} each time it runs. */
    record Param(String name, DataType type) implements Column {
        @Override
        public String toString() {
            return ":" + name;
        }
    }

    /** A scalar function or operator applied to arguments. */
    record Apply(Fn fn, List<Column> args) implements Column {
        public Apply {
            args = List.copyOf(args);
        }

        @Override
        public String toString() {
            if (fn.infix != null && args.size() == 2) return "(" + args.get(0) + " " + fn.infix + " " + args.get(1) + ")";
            return fn.name().toLowerCase(java.util.Locale.ROOT) + args.stream().map(String::valueOf).toList().toString().replace('[', '(').replace(']', ')');
        }
    }

    /** CAST(input AS type). */
    record CastTo(Column input, DataType type) implements Column {
        @Override
        public String toString() {
            return "cast(" + input + " as " + type.sql() + ")";
        }
    }

    /** CASE WHEN c1 THEN r1 ... ELSE otherwise END. */
    record When(List<Column> conditions, List<Column> results, Column otherwise) implements Column {
        public When {
            conditions = List.copyOf(conditions);
            results = List.copyOf(results);
        }

        /** Adds a branch. */
        public When when(Column condition, Object result) {
            List<Column> c = new ArrayList<>(conditions);
            List<Column> r = new ArrayList<>(results);
            c.add(condition);
            r.add(Functions.lit(result));
            return new When(c, r, otherwise);
        }

        /** The ELSE value (NULL when not given). */
        public When otherwise(Object value) {
            return new When(conditions, results, Functions.lit(value));
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("case");
            for (int i = 0; i < conditions.size(); i++) s.append(" when ").append(conditions.get(i)).append(" then ").append(results.get(i));
            return s.append(" else ").append(otherwise).append(" end").toString();
        }
    }

    /** An aggregate: only inside {@link Relation.Grouped#agg} or a {@link Relation#select} of aggregates. */
    record Agg(dev.kiln.ir.rel.AggFunc func, Column arg, boolean distinct) implements Column {
        @Override
        public String toString() {
            return func.name().toLowerCase(java.util.Locale.ROOT) + "(" + (distinct ? "distinct " : "") + (arg == null ? "*" : arg) + ")";
        }
    }

    /** {@code value IN (subquery)}, only as a conjunct of a filter; the subquery has one column. */
    record InSubquery(Column value, Relation subquery, boolean negated) implements Column {
        @Override
        public String toString() {
            return value + (negated ? " not in (" : " in (") + "subquery)";
        }
    }

    /** The single value of a one-column subquery (NULL when it has no row, an error when it has more than one). */
    record Scalar(Relation subquery) implements Column {
        @Override
        public String toString() {
            return "(scalar subquery)";
        }
    }

    /** A named output column: {@code sum(x).as("total")}. */
    record Alias(Column input, String name) implements Column {
        @Override
        public String toString() {
            return input + " as " + name;
        }
    }

    /** A sort key for {@link Relation#orderBy}. */
    record Order(Column input, boolean ascending, boolean nullsFirst) implements Column {
        @Override
        public String toString() {
            return input + (ascending ? " asc" : " desc") + (nullsFirst ? " nulls first" : " nulls last");
        }
    }

    /** Scalar functions and operators of the plan API (the same set SQL has). */
    enum Fn {
        PLUS("+"), MINUS("-"), TIMES("*"), DIVIDE("/"), MOD("%"), NEGATE(null), ABS(null),
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">="), IS_DISTINCT_FROM("is distinct from"), IS_NOT_DISTINCT_FROM("is not distinct from"),
        AND("and"), OR("or"), NOT(null), IS_NULL(null), IS_NOT_NULL(null), BETWEEN(null), IN(null),
        LIKE("like"), SUBSTRING(null), UPPER(null), LOWER(null), TRIM(null), CONCAT("||"), LENGTH(null),
        YEAR(null), QUARTER(null), MONTH(null), DAY(null), DAY_OF_WEEK(null), DAY_OF_YEAR(null), HOUR(null), MINUTE(null), SECOND(null),
        ADD_DAYS(null), ADD_MONTHS(null), DATE_DIFF(null), TIME_BUCKET(null), HOP_START(null),
        COALESCE(null), NULLIF(null), ROUND(null), FLOOR(null), CEIL(null);

        final String infix;

        Fn(String infix) {
            this.infix = infix;
        }
    }

    private Apply apply(Fn fn, Object... others) {
        List<Column> args = new ArrayList<>();
        args.add(this);
        for (Object o : others) args.add(Functions.lit(o));
        return new Apply(fn, args);
    }

    // arithmetic; a non-Column argument is a literal
    default Column plus(Object other) { return apply(Fn.PLUS, other); }
    default Column minus(Object other) { return apply(Fn.MINUS, other); }
    default Column times(Object other) { return apply(Fn.TIMES, other); }
    default Column div(Object other) { return apply(Fn.DIVIDE, other); }
    default Column mod(Object other) { return apply(Fn.MOD, other); }
    default Column negate() { return apply(Fn.NEGATE); }
    default Column abs() { return apply(Fn.ABS); }

    // comparisons
    default Column eq(Object other) { return apply(Fn.EQ, other); }
    default Column ne(Object other) { return apply(Fn.NE, other); }
    default Column lt(Object other) { return apply(Fn.LT, other); }
    default Column le(Object other) { return apply(Fn.LE, other); }
    default Column gt(Object other) { return apply(Fn.GT, other); }
    default Column ge(Object other) { return apply(Fn.GE, other); }
    default Column isDistinctFrom(Object other) { return apply(Fn.IS_DISTINCT_FROM, other); }
    default Column isNotDistinctFrom(Object other) { return apply(Fn.IS_NOT_DISTINCT_FROM, other); }
    /** {@code low <= this AND this <= high}, as SQL's BETWEEN. */
    default Column between(Object low, Object high) { return apply(Fn.BETWEEN, low, high); }
    default Column in(Object... values) { return apply(Fn.IN, values); }
    default Column in(HasRelation subquery) { return new InSubquery(this, subquery.relation(), false); }
    /** NOT IN (subquery) with SQL's rules: no row passes when the subquery yields a NULL. */
    default Column notIn(HasRelation subquery) { return new InSubquery(this, subquery.relation(), true); }
    default Column isNull() { return apply(Fn.IS_NULL); }
    default Column isNotNull() { return apply(Fn.IS_NOT_NULL); }

    // logic
    default Column and(Column other) { return apply(Fn.AND, other); }
    default Column or(Column other) { return apply(Fn.OR, other); }
    default Column not() { return apply(Fn.NOT); }

    // strings
    default Column like(String pattern) { return apply(Fn.LIKE, pattern); }
    default Column notLike(String pattern) { return like(pattern).not(); }
    /** LIKE 'prefix%' with the prefix's own % and _ escaped. */
    default Column startsWith(String prefix) {
        String escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return new Apply(Fn.LIKE, List.of(this, Functions.lit(escaped), Functions.lit("\\")));
    }
    /** SQL SUBSTRING: {@code start} counts from 1. */
    default Column substring(int start, int length) { return apply(Fn.SUBSTRING, start, length); }
    default Column upper() { return apply(Fn.UPPER); }
    default Column lower() { return apply(Fn.LOWER); }
    default Column trim() { return apply(Fn.TRIM); }
    default Column concat(Object other) { return apply(Fn.CONCAT, other); }
    default Column length() { return apply(Fn.LENGTH); }

    // dates
    default Column year() { return apply(Fn.YEAR); }
    default Column quarter() { return apply(Fn.QUARTER); }
    default Column month() { return apply(Fn.MONTH); }
    default Column day() { return apply(Fn.DAY); }
    default Column dayOfWeek() { return apply(Fn.DAY_OF_WEEK); }
    default Column dayOfYear() { return apply(Fn.DAY_OF_YEAR); }
    default Column hour() { return apply(Fn.HOUR); }
    default Column minute() { return apply(Fn.MINUTE); }
    default Column second() { return apply(Fn.SECOND); }
    default Column plusDays(int days) { return apply(Fn.ADD_DAYS, days); }
    default Column plusMonths(int months) { return apply(Fn.ADD_MONTHS, months); }
    default Column plusYears(int years) { return apply(Fn.ADD_MONTHS, 12 * years); }
    /**
     * The start of the tumbling window of length {@code width} (counted from the epoch) that
     * holds this TIMESTAMP: {@code groupBy(col("ts").window(Duration.ofSeconds(10)))}.
     */
    default Column window(java.time.Duration width) {
        long micros = Math.multiplyExact(width.getSeconds(), 1_000_000L) + width.getNano() / 1000;
        if (micros <= 0) throw new dev.kiln.ir.KilnException("a window's width must be at least a microsecond, not " + width);
        return apply(Fn.TIME_BUCKET, micros);
    }
    /** Days from {@code other} to this date. */
    default Column daysSince(Object other) { return apply(Fn.DATE_DIFF, other); }

    // numbers
    default Column round(int digits) { return apply(Fn.ROUND, digits); }
    default Column floor() { return apply(Fn.FLOOR); }
    default Column ceil() { return apply(Fn.CEIL); }

    default Column cast(DataType type) { return new CastTo(this, type); }
    default Column as(String name) { return new Alias(this instanceof Alias a ? a.input() : this, name); }
    default Column asc() { return new Order(this, true, false); }
    default Column desc() { return new Order(this, false, true); }
    default Column ascNullsFirst() { return new Order(this, true, true); }
    default Column descNullsLast() { return new Order(this, false, false); }

    /** The columns as a list, for the varargs factories. */
    static List<Column> list(Column... columns) {
        return Arrays.asList(columns);
    }
}
