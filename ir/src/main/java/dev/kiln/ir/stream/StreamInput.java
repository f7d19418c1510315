package dev.kiln.ir.stream;

import dev.kiln.ir.type.Schema;
import java.util.List;
import java.util.OptionalInt;

/**
 * The rows a stream delivered in this micro-batch, each with weight +1: only the stream's
 * columns the plan reads, so that a source can skip the others (a JSON source does not decode
 * them at all).
 *
 * @param stream    the stream's name in the session
 * @param rows      all of the stream's columns
 * @param eventTime the TIMESTAMP column (of {@code rows}) its watermark follows, if it has one
 * @param columns   the columns of {@code rows} this input yields, in this order (no repeats)
 */
public record StreamInput(String stream, Schema rows, OptionalInt eventTime, List<Integer> columns) implements Delta {
    public StreamInput {
        columns = List.copyOf(columns);
        if (columns.stream().distinct().count() != columns.size()) throw new IllegalArgumentException("repeated columns " + columns);
    }

    @Override
    public Schema schema() {
        return Delta.withWeight(rows.select(columns));
    }

    @Override
    public List<Delta> inputs() {
        return List.of();
    }

    /** The position of the event-time column among {@link #columns}, or -1 when it is not read. */
    public int eventTimePosition() {
        return eventTime.isPresent() ? columns.indexOf(eventTime.getAsInt()) : -1;
    }
}
