package dev.kiln.ir.rel;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * Event-time session windows: every input row, with one more column holding the start of its
 * session. Rows with equal {@code keys} whose {@code time}s are less than {@code gapMicros} apart
 * (directly or through a chain of such rows) share a session; it starts at its first row's time
 * and ends {@code gap} after its last row's, so the end is {@code MAX(time) + gap} of a GROUP BY
 * over the session's start. A row whose time is NULL belongs to no session (NULL start).
 *
 * <p>The start is what a GROUP BY keys on because it stays put as a session grows at its end,
 * which is how sessions grow on a stream: only a row that arrives before a session's first row,
 * or one that bridges two sessions, moves the start of rows already seen.
 *
 * @param name the name of the added column
 */
public record SessionWindow(Rel input, List<Integer> keys, int time, long gapMicros, String name) implements Rel {
    public SessionWindow {
        keys = List.copyOf(keys);
        if (gapMicros <= 0) throw new IllegalArgumentException("a session gap must be positive, not " + gapMicros + " µs");
    }

    @Override
    public Schema schema() {
        List<Field> fields = new ArrayList<>(input.schema().fields());
        fields.add(new Field(name, DataType.TIMESTAMP, input.schema().field(time).nullable()));
        return new Schema(fields);
    }

    @Override
    public List<Rel> inputs() {
        return List.of(input);
    }

    @Override
    public Rel withInputs(List<Rel> newInputs) {
        return new SessionWindow(newInputs.getFirst(), keys, time, gapMicros, name);
    }
}
