package dev.kiln.frontend.plan;

import dev.kiln.frontend.plan.Column.Agg;
import dev.kiln.frontend.plan.Column.Apply;
import dev.kiln.frontend.plan.Column.Fn;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.type.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The static factories of the plan API: {@code import static dev.kiln.frontend.plan.Functions.*}. */
public final class Functions {
    private Functions() {}

    /** A column by name; {@code "t.c"} is column c of the input named or aliased t. */
    public static Column col(String name) {
        if (name == null || name.isBlank()) throw new KilnException("col() needs a column name, not " + (name == null ? "null" : "'" + name + "'"));
        int dot = name.indexOf('.');
        return dot < 0 ? new Column.Named(null, name) : new Column.Named(name.substring(0, dot), name.substring(dot + 1));
    }

    /**
     * A constant. Integer → INTEGER, Long → BIGINT, Double → DOUBLE, BigDecimal → DECIMAL,
     * String → VARCHAR, LocalDate → DATE, LocalDateTime → TIMESTAMP, Boolean → BOOLEAN; a
     * Column is returned as is.
     */
    public static Column lit(Object value) {
        if (value instanceof Column c) return c;
        if (value == null) throw new KilnException("lit(null) has no type: use nullOf(type), e.g. nullOf(DataType.BIGINT)");
        if (value instanceof Integer || value instanceof Long || value instanceof Double || value instanceof BigDecimal || value instanceof String
                || value instanceof LocalDate || value instanceof LocalDateTime || value instanceof Boolean) {
            return new Column.Lit(value, null);
        }
        if (value instanceof Short || value instanceof Byte) return new Column.Lit(((Number) value).intValue(), null);
        if (value instanceof Float f) return new Column.Lit(f.doubleValue(), null);
        throw new KilnException("a " + value.getClass().getName() + " cannot be a plan literal; use Integer, Long, Double, BigDecimal, String, LocalDate, LocalDateTime or Boolean");
    }

    /** A typed NULL. */
    public static Column nullOf(DataType type) {
        return new Column.Lit(null, type);
    }

    /** A DATE literal, {@code yyyy-mm-dd}. */
    public static Column date(String isoDate) {
        try {
            return lit(LocalDate.parse(isoDate));
        } catch (DateTimeParseException e) {
            throw new KilnException("date('" + isoDate + "') is not a date: write yyyy-mm-dd, e.g. date(\"1994-01-01\")");
        }
    }

    /** A TIMESTAMP literal, {@code yyyy-mm-ddThh:mm[:ss[.fff]]} (a space instead of T is accepted). */
    public static Column timestamp(String iso) {
        try {
            return lit(LocalDateTime.parse(iso.replace(' ', 'T')));
        } catch (DateTimeParseException e) {
            throw new KilnException("timestamp('" + iso + "') is not a timestamp: write yyyy-mm-ddThh:mm:ss, e.g. timestamp(\"1994-01-01T12:00:00\")");
        }
    }

    /** An exact DECIMAL literal from its text, e.g. {@code decimal("0.05")}. */
    public static Column decimal(String text) {
        try {
            return lit(new BigDecimal(text));
        } catch (NumberFormatException e) {
            throw new KilnException("decimal('" + text + "') is not a number");
        }
    }

    /** A parameter of a prepared plan, of {@code type}; bound by name each time the plan runs. */
    public static Column param(String name, DataType type) {
        if (name == null || name.isBlank()) throw new KilnException("param() needs a name");
        if (type == null) throw new KilnException("param('" + name + "') needs a type, e.g. DataType.DATE");
        return new Column.Param(name, type);
    }

    public static Column not(Column c) {
        return c.not();
    }

    /** AND of all the conditions. */
    public static Column and(Column first, Column... more) {
        Column c = first;
        for (Column m : more) c = c.and(m);
        return c;
    }

    public static Column or(Column first, Column... more) {
        Column c = first;
        for (Column m : more) c = c.or(m);
        return c;
    }

    /** CASE WHEN condition THEN result ... ; continue with {@code .when(...)} and {@code .otherwise(...)}. */
    public static Column.When when(Column condition, Object result) {
        return new Column.When(List.of(condition), List.of(lit(result)), null);
    }

    public static Column coalesce(Object first, Object... more) {
        List<Column> args = new ArrayList<>();
        args.add(lit(first));
        for (Object m : more) args.add(lit(m));
        return new Apply(Fn.COALESCE, args);
    }

    public static Column nullIf(Object a, Object b) {
        return new Apply(Fn.NULLIF, List.of(lit(a), lit(b)));
    }

    /** An uncorrelated scalar subquery: the one value of a one-column relation (NULL if it has no row). */
    public static Column scalar(HasRelation subquery) {
        return new Column.Scalar(subquery.relation());
    }

    // aggregates

    /** COUNT(*). */
    public static Column count() {
        return new Agg(AggFunc.COUNT, null, false);
    }

    /** COUNT(x): the rows where x is not NULL. */
    public static Column count(Column x) {
        return new Agg(AggFunc.COUNT, x, false);
    }

    public static Column countDistinct(Column x) {
        return new Agg(AggFunc.COUNT, x, true);
    }

    public static Column sum(Column x) {
        return new Agg(AggFunc.SUM, x, false);
    }

    public static Column sumDistinct(Column x) {
        return new Agg(AggFunc.SUM, x, true);
    }

    public static Column avg(Column x) {
        return new Agg(AggFunc.AVG, x, false);
    }

    public static Column min(Column x) {
        return new Agg(AggFunc.MIN, x, false);
    }

    public static Column max(Column x) {
        return new Agg(AggFunc.MAX, x, false);
    }

    /** Any one value of the group (for columns that are functionally dependent on the keys). */
    public static Column anyValue(Column x) {
        return new Agg(AggFunc.ANY_VALUE, x, false);
    }
}
