package dev.kiln.ir.rel;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.type.Schema;
import java.util.List;

/** Constant rows; each row is a list of Literal / NullLiteral matching the schema. */
public record Values(Schema schema, List<List<Expr>> rows) implements Rel {
    public Values {
        rows = rows.stream().map(List::copyOf).toList();
    }

    @Override
    public List<Rel> inputs() {
        return List.of();
    }

    @Override
    public Rel withInputs(List<Rel> newInputs) {
        if (!newInputs.isEmpty()) throw new IllegalArgumentException("Values has no inputs");
        return this;
    }
}
