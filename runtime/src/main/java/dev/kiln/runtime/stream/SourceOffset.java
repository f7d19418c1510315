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

    /**
     * For sources whose offsets count rows: {@code newest}, but at most {@code maxRows} rows past
     * {@code start} (at least one).
     */
    public static java.util.Optional<SourceOffset> capped(java.util.Optional<SourceOffset> newest, java.util.Optional<SourceOffset> start, long maxRows) {
        if (newest.isEmpty()) return newest;
        long from = start.map(SourceOffset::asLong).orElse(0L);
        return java.util.Optional.of(of(Math.min(newest.get().asLong(), from + Math.max(1, maxRows))));
    }

    public long asLong() {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("source offset '" + text + "' is not a number", e);
        }
    }
}
