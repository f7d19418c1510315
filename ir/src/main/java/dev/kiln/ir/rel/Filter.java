package dev.kiln.ir.rel;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.type.Schema;
import java.util.List;

/** Keeps the rows for which the BOOLEAN condition is TRUE (not FALSE, not NULL). */
public record Filter(Rel input, Expr condition) implements Rel {
    @Override
    public Schema schema() {
        return input.schema();
    }

    @Override
    public List<Rel> inputs() {
        return List.of(input);
    }

    @Override
    public Rel withInputs(List<Rel> newInputs) {
        return new Filter(newInputs.getFirst(), condition);
    }
}
