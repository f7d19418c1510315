package dev.kiln.ir.stream;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * Session windows with state ({@link dev.kiln.ir.rel.SessionWindow} on a stream): keeps the rows
 * of the sessions the watermark has not closed, per key, and emits the change of the rows with
 * their session start - a new row with its session's start, and, when a row bridges two sessions
 * or lands before a session's first row, the rows whose start moved, taken back with the old start
 * and inserted with the new one. A session closes when the watermark passes its last row's time
 * plus the gap; its rows are dropped then, and a row behind the watermark is late (dropped and
 * counted): it might belong to a closed session.
 *
 * @param keys      the input's columns sessions are kept apart by
 * @param time      the input's event-time column
 * @param gapMicros the session gap
 */
public record SessionState(Delta input, List<Integer> keys, int time, long gapMicros, String name) implements Delta {
    public SessionState {
        keys = List.copyOf(keys);
    }

    @Override
    public Schema schema() {
        Schema in = input.rowSchema();
        List<Field> f = new ArrayList<>(in.fields());
        f.add(new Field(name, DataType.TIMESTAMP, in.field(time).nullable()));
        f.add(Delta.weightField());
        return new Schema(f);
    }

    @Override
    public List<Delta> inputs() {
        return List.of(input);
    }

    /** The index of the session-start column. */
    public int sessionColumn() {
        return input.rowSchema().size();
    }
}
