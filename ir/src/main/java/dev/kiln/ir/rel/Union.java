package dev.kiln.ir.rel;

import dev.kiln.ir.type.Schema;
import java.util.List;

/**
 * UNION ALL: the rows of every input, one after another. The inputs have the schema's column
 * types (the frontend casts them to it); a column is nullable if it is in any input. UNION
 * (distinct), INTERSECT and EXCEPT are rewritten by the frontend into this and aggregates.
 */
public record Union(Schema schema, List<Rel> inputs) implements Rel {
    public Union {
        inputs = List.copyOf(inputs);
        if (inputs.size() < 2) throw new IllegalArgumentException("a union has at least two inputs, not " + inputs.size());
    }

    @Override
    public Rel withInputs(List<Rel> newInputs) {
        return new Union(schema, newInputs);
    }
}
