package dev.kiln.runtime.stream;

import java.util.Objects;

/**
 * A source position as text (each source chooses its form, e.g. {@code 42} for an in-memory
 * source or {@code {"0":1200,"1":980}} for Kafka partitions). Stored verbatim in the offsets log.
 */
public record SourceOffset(String text) {
    public SourceOffset {
        Objects.requireNonNull(text, "text");
        if (text.contains("\n")) throw new IllegalArgumentException("a source offset is one line of text: " + text);
    }

    public static SourceOffset of(long position) {
        return new SourceOffset(Long.toString(position));
    }

    public long asLong() {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("source offset '" + text + "' is not a number", e);
        }
    }
}
