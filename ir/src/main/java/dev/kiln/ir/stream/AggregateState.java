package dev.kiln.ir.stream;

import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * GROUP BY with state: {@code partials} yields, per batch, one row per changed group - its
 * {@code keyCount} keys, the weighted partial sums the {@link StateAgg}s name, and the change of
 * the group's row count as the weight. The operator adds them to the group's state and emits
 * the change of the result: the group's old row with weight -1 and its new row with +1 (nothing
 * when it did not change; only -1 when its count reached 0). {@code multisets} yield
 * (keys, value, weight) rows for MIN/MAX/DISTINCT aggregates. With no keys the result always has
 * exactly one row, as in batch SQL.
 *
 * @param schema the output Z-set: the original aggregate's columns and the weight
 * @param window a key bounding event time, whose groups the watermark closes
 */
public record AggregateState(Delta partials, List<Delta> multisets, int keyCount, List<StateAgg> aggs, Schema schema,
                             Optional<WindowKey> window) implements Delta {
    public AggregateState {
        multisets = List.copyOf(multisets);
        aggs = List.copyOf(aggs);
    }

    @Override
    public List<Delta> inputs() {
        List<Delta> all = new ArrayList<>();
        all.add(partials);
        all.addAll(multisets);
        return all;
    }
}
