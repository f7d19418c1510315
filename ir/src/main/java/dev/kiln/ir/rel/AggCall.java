package dev.kiln.ir.rel;

import dev.kiln.ir.type.DataType;
import java.util.List;

/**
 * One aggregate of an {@link Aggregate}: the function over input columns {@code args}
 * (empty for COUNT(*)), with DISTINCT if {@code distinct}, named {@code name}.
 */
public record AggCall(AggFunc func, List<Integer> args, boolean distinct, DataType type, boolean nullable, String name) {
    public AggCall {
        args = List.copyOf(args);
    }
}
