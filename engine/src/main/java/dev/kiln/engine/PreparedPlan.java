package dev.kiln.engine;

import dev.kiln.frontend.plan.Parameters;
import dev.kiln.frontend.plan.Relation;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plan-API plan with parameters ({@code param("cutoff", DataType.DATE)}), run with values bound
 * by name. Each run binds the values as literals into the logical plan and optimizes it (so the
 * optimizer sees the real values, as it would for SQL literals); the generated classes take
 * literals as parameters, so every run after the first finds its classes in the class cache and
 * compiles nothing. Bindings are immutable: {@link #bind} returns a new prepared plan.
 */
public final class PreparedPlan {
    private final Kiln kiln;
    private final Relation relation;
    private final Map<String, DataType> parameters;
    private final Map<String, Object> values;

    PreparedPlan(Kiln kiln, Relation relation) {
        this(kiln, relation, relation.parameters(), Map.of());
    }

    private PreparedPlan(Kiln kiln, Relation relation, Map<String, DataType> parameters, Map<String, Object> values) {
        this.kiln = kiln;
        this.relation = relation;
        this.parameters = parameters;
        this.values = values;
    }

    /** The parameters by name, with their types. */
    public Map<String, DataType> parameters() {
        return parameters;
    }

    /** This plan with {@code name} bound to {@code value} (null for NULL); checked against the parameter's type now. */
    public PreparedPlan bind(String name, Object value) {
        DataType t = parameters.get(name);
        if (t == null) throw new KilnException("there is no parameter '" + name + "'; parameters: " + parameters.keySet());
        Parameters.literal(name, value, t);
        Map<String, Object> v = new LinkedHashMap<>(values);
        v.put(name, value);
        return new PreparedPlan(kiln, relation, parameters, v);
    }

    /** Plans and compiles with the values bound so far (missing ones an error); returns what compiling cost. */
    public dev.kiln.codegen.CompileStats compile() {
        return kiln.prepare(Parameters.bind(relation.rel(), values));
    }

    /** Runs with the bound values; every parameter must have one. */
    public QueryResult collect() {
        return kiln.run(Parameters.bind(relation.rel(), values));
    }

    public <R extends Record> java.util.List<R> collectAs(Class<R> type) {
        try (QueryResult r = collect()) {
            return r.as(type);
        }
    }
}
