package dev.kiln.annotations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The SQL query of a method of a {@link KilnQueries} interface. {@code :name} is the method's
 * parameter {@code name}, bound as a typed value. The method returns {@code List<R>} (every row),
 * {@code Optional<R>} (at most one row) or {@code R} (exactly one row), where R is a record whose
 * components take the columns of their names, or a single column's Java type (String, long,
 * BigDecimal...).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Query {
    String value();
}
