package dev.kiln.ir.stream;

/**
 * A group key that bounds event time: every row of a group whose key is {@code k} has an event
 * time below {@code k + span} microseconds. Once the watermark reaches {@code k + span} the group
 * can get no more on-time rows: it is final (APPEND emits it) and its state is dropped.
 * A tumbling window start (TIME_BUCKET(ts, w)) has span w; the event time itself has span 1.
 *
 * @param key the index among the group keys
 */
public record WindowKey(int key, long span) {}
