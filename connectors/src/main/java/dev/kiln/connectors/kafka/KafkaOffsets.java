package dev.kiln.connectors.kafka;

import dev.kiln.runtime.stream.SourceOffset;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in a topic: for each partition the offset of the next record to read, written as
 * a JSON object with the partition numbers as keys in ascending order, {@code {"0":1200,"1":980}}
 * (the text that goes into the streaming checkpoint's offsets log). An empty topic is {@code {}}.
 */
public record KafkaOffsets(SortedMap<Integer, Long> next) {
    private static final Pattern ENTRY = Pattern.compile("\\s*\"(\\d+)\"\\s*:\\s*(\\d+)\\s*(,|$)");

    public KafkaOffsets {
        next = Collections.unmodifiableSortedMap(new TreeMap<>(next));
    }

    public static KafkaOffsets parse(SourceOffset offset) {
        return parse(offset.text());
    }

    public static KafkaOffsets parse(String text) {
        String t = text.strip();
        if (!t.startsWith("{") || !t.endsWith("}")) throw malformed(text);
        String body = t.substring(1, t.length() - 1);
        TreeMap<Integer, Long> next = new TreeMap<>();
        if (!body.isBlank()) {
            Matcher m = ENTRY.matcher(body);
            int at = 0;
            while (true) {
                m.region(at, body.length());
                if (!m.lookingAt()) throw malformed(text); // also a trailing comma: nothing after it
                try {
                    if (next.put(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))) != null) throw malformed(text);
                } catch (NumberFormatException e) {
                    throw malformed(text);
                }
                at = m.end();
                if (m.group(3).isEmpty()) break;
            }
        }
        return new KafkaOffsets(next);
    }

    public SourceOffset toSourceOffset() {
        return new SourceOffset(text());
    }

    public String text() {
        StringBuilder sb = new StringBuilder("{");
        for (var e : next.entrySet()) {
            if (sb.length() > 1) sb.append(',');
            sb.append('"').append(e.getKey()).append("\":").append(e.getValue());
        }
        return sb.append('}').toString();
    }

    private static IllegalArgumentException malformed(String text) {
        return new IllegalArgumentException("Kafka source offset '" + text + "' is not of the form {\"0\":1200,\"1\":980} (partition -> next offset); "
                + "was the checkpoint written by another kind of source?");
    }

    @Override
    public String toString() {
        return text();
    }
}
