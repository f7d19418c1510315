package dev.kiln.ir.rel;

import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins two inputs on a BOOLEAN condition over the left row followed by the right row
 * (a literal TRUE condition is a cross product). Equi-join keys are found by
 * {@link JoinConditions#analyze}.
 */
public record Join(Rel left, Rel right, JoinKind kind, Expr condition) implements Rel {
    @Override
    public Schema schema() {
        List<Field> fields = new ArrayList<>();
        if (kind.projectsLeft()) {
            for (Field f : left.schema().fields()) fields.add(kind.leftNullable() ? new Field(f.name(), f.type(), true) : f);
        }
        if (kind.projectsRight()) {
            for (Field f : right.schema().fields()) fields.add(kind.rightNullable() ? new Field(f.name(), f.type(), true) : f);
        }
        return new Schema(fields);
    }

    @Override
    public List<Rel> inputs() {
        return List.of(left, right);
    }

    @Override
    public Rel withInputs(List<Rel> newInputs) {
        return new Join(newInputs.get(0), newInputs.get(1), kind, condition);
    }
}
