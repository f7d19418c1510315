package dev.kiln.annotations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The column a component of a {@link KilnTable} record stands for, when its name does not say it. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Column {
    /** The column's name; empty for the name the table's prefix and the component give. */
    String value() default "";

    /** For a BigDecimal component: the DECIMAL column's scale (digits after the point); -1 for the default, 2. */
    int scale() default -1;

    /**
     * The column holds no NULL (a primitive component always says so): the queries are typed with
     * that, and binding checks that the session's column is NOT NULL too.
     */
    boolean notNull() default false;
}
