package dev.kiln.ir.stream;

import java.util.OptionalInt;

/**
 * A group key that bounds event time: every row of a group whose key is {@code k} has an event
 * time below {@code k + span} microseconds. Once the watermark reaches {@code k + span} the group
 * can get no more on-time rows: it is final (APPEND emits it) and its state is dropped.
 * A tumbling window start (TIME_BUCKET(ts, w)) has span w; the event time itself has span 1.
 *
 * <p>A session window's key is its start, and a session ends {@code gap} after its last row, which
 * only the group's rows tell: then {@code endAggregate} names the aggregate holding MAX(event time),
 * and the group closes at that value + {@code span} (the gap) instead.
 *
 * @param key          the index among the group keys
 * @param endAggregate the index among the aggregates of the MAX(event time) that ends a session
 */
public record WindowKey(int key, long span, OptionalInt endAggregate) {
    public WindowKey(int key, long span) {
        this(key, span, OptionalInt.empty());
    }

    /** Is this a session window, which closes by its last row's time? */
    public boolean session() {
        return endAggregate.isPresent();
    }
}
