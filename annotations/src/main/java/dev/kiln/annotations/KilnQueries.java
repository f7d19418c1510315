package dev.kiln.annotations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An interface of typed queries: every abstract method carries a {@link Query}. At compile time
 * kiln-annotation-processor checks each query against the {@link KilnTable} records (those
 * compiled with it, and those listed in {@link #tables}) and the method's signature, and
 * generates the implementation {@code KilnQueries_<Name>}; {@code kiln.bind(Name.class)} returns
 * one bound to a session.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface KilnQueries {
    /** {@link KilnTable} records from other compilations (a library's jar) that the queries read. */
    Class<?>[] tables() default {};

    /** The models the queries call ({@code PREDICT(name, ...)}), ONNX files on the class path. */
    KilnModel[] models() default {};
}
