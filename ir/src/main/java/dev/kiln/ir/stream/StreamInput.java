package dev.kiln.ir.stream;

import dev.kiln.ir.type.Schema;
import java.util.List;
import java.util.OptionalInt;

/**
 * The rows a stream delivered in this micro-batch, each with weight +1.
 *
 * @param stream    the stream's name in the session
 * @param rows      its columns
 * @param eventTime the TIMESTAMP column its watermark follows, if it has one
 */
public record StreamInput(String stream, Schema rows, OptionalInt eventTime) implements Delta {
    @Override
    public Schema schema() {
        return Delta.withWeight(rows);
    }

    @Override
    public List<Delta> inputs() {
        return List.of();
    }
}
