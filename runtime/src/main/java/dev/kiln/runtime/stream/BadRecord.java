package dev.kiln.runtime.stream;

/**
 * A record a source could not turn into a row.
 *
 * @param where  where it came from, e.g. {@code events/part-3.json:17} or {@code kafka ysb-0@1234}
 * @param text   the record as it was (cut to a few KB)
 * @param reason what is wrong with it, e.g. {@code field 'ad_id': expected a string, found 12}
 */
public record BadRecord(String where, String text, String reason) {
    public static final int MAX_TEXT = 4096;

    public BadRecord {
        if (text.length() > MAX_TEXT) text = text.substring(0, MAX_TEXT) + "...";
    }

    @Override
    public String toString() {
        return where + ": " + reason;
    }
}
