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

    record Record(List<Field> fields, int line) {}

    private final String file;
    private final String text;
    private final char delim;
    private final char quote;
    private int pos;
    private int line = 1;

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
                        throw new KilnException(file + ":" + quoteLine + ": unterminated quoted field (a '" + quote + "' opened here is never closed)");
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
                    throw new KilnException(file + ":" + line + ": unexpected character '" + text.charAt(pos) + "' after a closing quote (expected '" + delim + "' or the end of the line)");
                }
            } else {
                while (pos < text.length()) {
                    char c = text.charAt(pos);
                    if (c == delim || c == '\n' || c == '\r') break;
                    if (c == quote) {
                        throw new KilnException(file + ":" + line + ": a quote inside an unquoted field; quote the whole field and double the inner quotes");
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
            if (c == '\r') pos++;
            if (pos < text.length() && text.charAt(pos) == '\n') pos++;
            line++;
            break;
        }
        return new Record(fields, startLine);
    }
}
