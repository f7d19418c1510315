package dev.kiln.connectors.csv;

import dev.kiln.ir.KilnException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits RFC 4180 text into records: quoted fields may hold delimiters, doubled quotes and line
 * breaks; lines end in LF or CRLF; a UTF-8 BOM is skipped. Each field remembers whether it was
 * quoted (a quoted empty field is an empty string, an unquoted one is NULL).
 */
final class CsvParser {
    record Field(String text, boolean quoted) {}

    /** A record's fields, the line it starts on, and its text as {@code text[start, end)} (without the line break). */
    record Record(List<Field> fields, int line, int start, int end) {}

    /** The text is not RFC 4180 at {@code line}; the message names file:line, {@code reason} is the rest. */
    static final class Malformed extends KilnException {
        final int line;
        final String reason;

        Malformed(String file, int line, String reason) {
            super(file + ":" + line + ": " + reason);
            this.line = line;
            this.reason = reason;
        }
    }

    private final String file;
    private final String text;
    private final char delim;
    private final char quote;
    private int pos;
    private int line = 1;
    /** where the record being read (or the last one) starts in the text */
    private int recordStart;
    private int recordLine;

    CsvParser(String file, String text, char delim, char quote) {
        this.file = file;
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        this.delim = delim;
        this.quote = quote;
    }

    /** The next record, or null at the end of the text. */
    Record next() {
        if (pos >= text.length()) return null;
        int startLine = line;
        recordStart = pos;
        recordLine = line;
        List<Field> fields = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        while (true) {
            boolean quoted = false;
            sb.setLength(0);
            if (pos < text.length() && text.charAt(pos) == quote) {
                quoted = true;
                int quoteLine = line;
                pos++;
                while (true) {
                    if (pos >= text.length()) {
                        throw new Malformed(file, quoteLine, "unterminated quoted field (a '" + quote + "' opened here is never closed)");
                    }
                    char c = text.charAt(pos++);
                    if (c == quote) {
                        if (pos < text.length() && text.charAt(pos) == quote) {
                            sb.append(quote);
                            pos++;
                        } else {
                            break;
                        }
                    } else {
                        if (c == '\n') line++;
                        sb.append(c);
                    }
                }
                if (pos < text.length() && text.charAt(pos) != delim && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
                    throw new Malformed(file, line, "unexpected character '" + text.charAt(pos) + "' after a closing quote (expected '" + delim + "' or the end of the line)");
                }
            } else {
                while (pos < text.length()) {
                    char c = text.charAt(pos);
                    if (c == delim || c == '\n' || c == '\r') break;
                    if (c == quote) {
                        throw new Malformed(file, line, "a quote inside an unquoted field; quote the whole field and double the inner quotes");
                    }
                    sb.append(c);
                    pos++;
                }
            }
            fields.add(new Field(sb.toString(), quoted));
            if (pos >= text.length()) break;
            char c = text.charAt(pos);
            if (c == delim) {
                pos++;
                continue;
            }
            int end = pos;
            if (c == '\r') pos++;
            if (pos < text.length() && text.charAt(pos) == '\n') pos++;
            line++;
            return new Record(fields, startLine, recordStart, end);
        }
        return new Record(fields, startLine, recordStart, pos);
    }

    /**
     * After a {@link Malformed} record: skips to the start of the next line, so that reading can
     * go on with the next record. Returns the malformed record as a record of no fields, its text
     * running from its start to the end of the line where it went wrong (to the end of the text
     * for an unterminated quote).
     */
    Record skipLine() {
        int end = pos;
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') end++;
        pos = end;
        if (pos < text.length() && text.charAt(pos) == '\r') pos++;
        if (pos < text.length() && text.charAt(pos) == '\n') pos++;
        if (pos > end) line++;
        return new Record(List.of(), recordLine, recordStart, end);
    }

    /** The text of {@code text[start, end)}. */
    String text(int start, int end) {
        return text.substring(start, end);
    }
}
