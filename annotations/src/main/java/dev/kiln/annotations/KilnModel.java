package dev.kiln.annotations;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A model the queries of a {@link KilnQueries} interface call with {@code PREDICT(name, ...)}: an
 * ONNX file on the class path ({@code src/main/resources} in a Maven build). At compile time the
 * annotation processor imports it to type each call; {@code kiln.bind(...)} registers it in the
 * session under {@code name} unless the session already has a model of that name (one registered
 * in its place, which must give the same column types).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface KilnModel {
    /** The name the queries call it by. */
    String name();

    /** The ONNX file's path on the class path, as {@code ClassLoader.getResource} takes it ({@code models/risk.onnx}). */
    String resource();
}
