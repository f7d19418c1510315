package dev.kiln.annotations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the schema of a table for typed queries: a record whose components are the table's
 * columns. A component's column is named {@link #prefix} + the component's name in lowercase
 * ({@code shipDate} with prefix {@code l_} is {@code l_shipdate}), or as its {@link Column} says.
 * Types: boolean, byte, short, int, long, double (and their boxes), BigDecimal, String,
 * LocalDate, LocalDateTime; primitive components are NOT NULL columns. The record may declare
 * only the columns its queries use; the session's table is checked against it when the queries
 * are bound.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface KilnTable {
    /** The table's name. */
    String value();

    /** Put before every component's lowercase name to give its column name (TPC-H style: {@code "l_"}). */
    String prefix() default "";
}
