package dev.kiln.ir.rel;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.List;

/** Computes one output column per expression, named by {@code names}. */
public record Project(Rel input, List<Expr> exprs, List<String> names) implements Rel {
    public Project {
        exprs = List.copyOf(exprs);
        names = List.copyOf(names);
        if (exprs.size() != names.size()) {
            throw new IllegalArgumentException(exprs.size() + " expressions but " + names.size() + " names");
        }
    }

    @Override
    public Schema schema() {
        List<Field> fields = new ArrayList<>(exprs.size());
        for (int i = 0; i < exprs.size(); i++) {
            fields.add(new Field(names.get(i), exprs.get(i).type(), exprs.get(i).nullable()));
        }
        return new Schema(fields);
    }

    @Override
    public List<Rel> inputs() {
        return List.of(input);
    }

    @Override
    public Rel withInputs(List<Rel> newInputs) {
        return new Project(newInputs.getFirst(), exprs, names);
    }
}
