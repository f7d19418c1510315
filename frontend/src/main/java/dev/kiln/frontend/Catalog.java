package dev.kiln.frontend;

import dev.kiln.ir.rel.TableRef;
import java.util.List;
import java.util.Optional;

/** What the frontend may look up while compiling SQL. Names are case-insensitive. */
public interface Catalog {
    Optional<TableRef> table(String name);

    List<String> tableNames();

    /** The SQL text of a view, if {@code name} is one. */
    Optional<String> viewSql(String name);

    default List<String> viewNames() {
        return List.of();
    }

    /** A model registered under {@code name} (CREATE MODEL). */
    default Optional<dev.kiln.ir.rel.ModelRef> model(String name) {
        return Optional.empty();
    }

    /**
     * The graphs a call of the model runs, in order: the model alone, or with the steps CREATE MODEL
     * put around it (an image preprocessing before it, a decoder after it) as graphs of their own,
     * each taking the previous one's outputs, so that each is batched and compiled as it can be.
     */
    default List<dev.kiln.ir.rel.ModelRef> modelStages(String name) {
        return model(name).map(List::of).orElse(List.of());
    }

    default List<String> modelNames() {
        return List.of();
    }
}
