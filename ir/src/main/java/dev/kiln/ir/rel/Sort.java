package dev.kiln.ir.rel;

import dev.kiln.ir.type.Schema;
import java.util.List;

/**
 * ORDER BY {@code keys} (may be empty), then skips {@code offset} rows and keeps at most
 * {@code limit} (-1 = no limit). With keys and a limit this is a top-N.
 */
public record Sort(Rel input, List<SortKey> keys, long offset, long limit) implements Rel {
    public Sort {
        keys = List.copyOf(keys);
        if (offset < 0) throw new IllegalArgumentException("OFFSET must be >= 0");
        if (limit < -1) throw new IllegalArgumentException("LIMIT must be >= 0");
    }

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
        return new Sort(newInputs.getFirst(), keys, offset, limit);
    }
}
