package dev.kiln.runtime.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One entry of a checkpoint's text logs (offsets, commits, metadata): a header line, then the
 * content as UTF-8. The header says what the file is, its batch and the content's length, and
 * ends with a CRC32 of everything else in the file (the header line before the checksum, its
 * newline and the content):
 *
 * <pre>
 * kiln-offsets v1 batch=7 bytes=23 crc32=1c291ca3
 * {"events":1200,"ads":40}
 * </pre>
 *
 * So an entry cut short by a crash is "truncated", and any changed byte is caught.
 */
final class LogFile {
    private LogFile() {}

    private static final String FORMAT = "v1";
    private static final String CRC_FIELD = " crc32=";

    sealed interface Read permits Ok, Bad, Missing {}

    record Ok(String content) implements Read {}

    /** @param problem what is wrong, phrased to follow the file's name ("is truncated (...)") */
    record Bad(String problem) implements Read {}

    record Missing() implements Read {}

    /** Writes the entry atomically and durably ({@link Durable#replace}). {@code batchId} -1: none. */
    static void write(Path file, String kind, long batchId, String content) throws IOException {
        byte[] body = content.getBytes(StandardCharsets.UTF_8);
        String prefix = "kiln-" + kind + " " + FORMAT + (batchId >= 0 ? " batch=" + batchId : "") + " bytes=" + body.length;
        String header = prefix + CRC_FIELD + String.format("%08x", crc(prefix, body)) + "\n";
        byte[] head = header.getBytes(StandardCharsets.US_ASCII);
        Durable.replace(file, ch -> {
            Durable.writeFully(ch, ByteBuffer.wrap(head));
            Durable.writeFully(ch, ByteBuffer.wrap(body));
        });
    }

    static Read read(Path file, String kind, long batchId) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Missing();
        } catch (IOException e) {
            return new Bad("cannot be read (" + e + ")");
        }
        if (bytes.length == 0) return new Bad("is empty (its write never completed)");
        int nl = 0;
        while (nl < bytes.length && bytes[nl] != '\n') nl++;
        if (nl == bytes.length) return new Bad("is truncated (it ends inside its header line)");
        String header = new String(bytes, 0, nl, StandardCharsets.ISO_8859_1); // one char per byte, whatever the bytes are
        String shown = header.length() > 80 ? header.substring(0, 80) + "..." : header;
        if (!header.startsWith("kiln-" + kind + " ")) return new Bad("is not a Kiln " + kind + " log entry (its first line is \"" + shown + "\")");
        int crcAt = header.lastIndexOf(CRC_FIELD);
        Map<String, String> fields = new HashMap<>();
        String[] tokens = (crcAt < 0 ? header : header.substring(0, crcAt)).split(" ", -1);
        if (tokens.length > 1 && !tokens[1].equals(FORMAT)) {
            return new Bad("has format " + tokens[1] + ", which this Kiln cannot read (it reads " + FORMAT + ")");
        }
        for (int i = 2; i < tokens.length; i++) {
            int eq = tokens[i].indexOf('=');
            if (eq > 0) fields.put(tokens[i].substring(0, eq), tokens[i].substring(eq + 1));
        }
        long length = number(fields.get("bytes"), 10);
        long stored = crcAt < 0 || header.length() != crcAt + CRC_FIELD.length() + 8 ? -1 : number(header.substring(crcAt + CRC_FIELD.length()), 16);
        long batch = batchId < 0 ? -1 : number(fields.get("batch"), 10);
        if (length < 0 || stored < 0 || (batchId >= 0 && batch < 0) || fields.size() != tokens.length - 2) {
            return new Bad("has a damaged header line \"" + shown + "\" (the file is corrupted)");
        }
        int found = bytes.length - nl - 1;
        if (found < length) return new Bad("is truncated (expected " + length + " bytes of content after the header, found " + found + ")");
        if (found > length) return new Bad("has " + (found - length) + " bytes more than its header announces (the file is corrupted)");
        byte[] body = java.util.Arrays.copyOfRange(bytes, nl + 1, bytes.length);
        long computed = crc(header.substring(0, crcAt), body);
        if (computed != stored) return new Bad(String.format("fails its CRC32 check (stored %08x, computed %08x): the file is corrupted", stored, computed));
        if (batch != batchId) return new Bad("holds batch " + batch + ", not " + batchId + " as its name says");
        return new Ok(new String(body, StandardCharsets.UTF_8));
    }

    /** A non-negative number in lowercase digits only (so that no changed byte reads as the same value), or -1. */
    private static long number(String text, int radix) {
        if (text == null || text.isEmpty() || text.length() > 18) return -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && !(radix == 16 && c >= 'a' && c <= 'f')) return -1;
        }
        return Long.parseLong(text, radix);
    }

    private static long crc(String prefix, byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(prefix.getBytes(StandardCharsets.ISO_8859_1));
        crc.update('\n');
        crc.update(body);
        return crc.getValue();
    }
}
