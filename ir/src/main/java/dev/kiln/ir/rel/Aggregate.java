package dev.kiln.ir.rel;

import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * GROUP BY the input columns {@code groupKeys}; the output row is the group keys (in order)
 * followed by one column per aggregate. With no keys it yields exactly one row, even on empty input.
 */
public record Aggregate(Rel input, List<Integer> groupKeys, List<AggCall> aggs) implements Rel {
    public Aggregate {
        groupKeys = List.copyOf(groupKeys);
        aggs = List.copyOf(aggs);
    }

    @Override
    public Schema schema() {
        Schema in = input.schema();
        List<Field> fields = new ArrayList<>();
        for (int k : groupKeys) fields.add(in.field(k));
        for (AggCall a : aggs) fields.add(new Field(a.name(), a.type(), a.nullable()));
        return new Schema(fields);
    }

    @Override
    public List<Rel> inputs() {
        return List.of(input);
    }

    @Override
    public Rel withInputs(List<Rel> newInputs) {
        return new Aggregate(newInputs.getFirst(), groupKeys, aggs);
    }
}
