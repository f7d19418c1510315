package dev.kiln.connectors.json;

import dev.kiln.ir.type.Schema;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Parses one JSON object that stands alone in a byte range (a Kafka record value, a message body)
 * into a {@link Sink}, with the parser of {@link JsonLinesReader}: the same schema-directed
 * conversion straight from the bytes, the same type rules (see {@link JsonLinesReader}) and the
 * same reasons for a bad record, ending in {@code at column N} (characters from the start of the
 * record, from 1).
 *
 * <p>Two differences from a line of JSON Lines, both because the record is delimited by its
 * length, not by a line break: line breaks may appear in the whitespace between tokens (a
 * pretty-printed object is one record), and an empty record is bad rather than skipped.
 *
 * <p>Why a copy: the parser relies on a {@code '\n'} after the record (every loop stops there
 * without a bounds check) and the caller's array cannot be written, so the record's bytes are
 * copied once into a scratch array, with the line breaks inside it made {@code '\r'}
 * (whitespace to the parser, and still a control character inside a string). Nothing else is
 * allocated per record: no String, no token or field objects. Strings are handed to the sink as
 * slices of that scratch array (or of a second one for strings that had escapes), valid until
 * the next {@link #parse}. Not thread-safe: one parser per thread.
 */
public final class JsonRecordParser {
    /**
     * Receives one record's values by column index (the schema's order); each column gets one
     * call, a value or {@link #setNull}, when the record is good. A bad record may have set some
     * columns before it failed; the caller drops them.
     */
    public interface Sink {
        void setNull(int column);

        void setBoolean(int column, boolean v);

        /** Every integer type; DECIMAL as its unscaled value; DATE as days since 1970-01-01; TIMESTAMP as microseconds since 1970-01-01T00:00 (UTC). */
        void setLong(int column, long v);

        void setDouble(int column, double v);

        /** VARCHAR as UTF-8 bytes {@code [offset, offset + length)}, unchanged until the next {@link JsonRecordParser#parse}. */
        void setString(int column, byte[] bytes, int offset, int length);
    }

    /** A record that is not a row of the schema; the message is the reason, as {@link JsonLinesReader} gives it. */
    public static final class InvalidRecordException extends RuntimeException {
        InvalidRecordException(String reason) {
            super(reason, null, false, false); // bad records can be many; the reason says enough
        }
    }

    /** Scratch arrays up to this size are kept for the next record; a larger record gets its own. */
    private static final int KEEP = 1 << 20;
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    private final Schema schema;
    private final RecordParser parser;
    private final SinkTarget target = new SinkTarget();
    private byte[] buf = new byte[512];

    /** A parser for records of {@code schema}; a schema it cannot read is refused here, naming the column. */
    public JsonRecordParser(Schema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.parser = new RecordParser(schema, RecordParser.namesOf(schema));
        parser.out = target;
    }

    public Schema schema() {
        return schema;
    }

    /**
     * Parses {@code data[offset, offset + length)}, one JSON object, into {@code out}.
     *
     * @throws InvalidRecordException if the bytes are not a row of the schema (not JSON, not an
     *     object, a wrong type, a value out of range, a NOT NULL field missing or null)
     */
    public void parse(byte[] data, int offset, int length, Sink out) {
        Objects.checkFromIndexSize(offset, length, data.length);
        byte[] b = buf;
        if (length >= b.length) {
            b = new byte[Math.max(length + 1, Math.min(KEEP, 2 * b.length))];
            if (b.length <= KEEP) buf = b;
        }
        System.arraycopy(data, offset, b, 0, length);
        boolean lineBreaks = lineBreaksToReturns(b, length);
        b[length] = '\n';
        parser.buf = b;
        parser.limit = length + 1;
        target.start(out, b);
        try {
            parser.parse(0, 0);
        } catch (RecordParser.ParseError e) {
            throw new InvalidRecordException(reason(e, b, lineBreaks, data, offset));
        } finally {
            target.sink = null;
        }
        if (parser.empty) throw new InvalidRecordException("expected a JSON object, found an empty record");
    }

    private static String reason(RecordParser.ParseError e, byte[] b, boolean lineBreaks, byte[] data, int offset) {
        String message = e.getMessage();
        if (lineBreaks && b[e.pos] == '\r' && data[offset + e.pos] == '\n') {
            // a raw line break inside a string, which the parser saw as the '\r' it was made
            message = message.replace("U+000D", "U+000A").replace("\\u000D", "\\u000A");
        }
        return message + " at column " + RecordParser.column(b, 0, e.pos);
    }

    /** Makes every '\n' in {@code b[0, n)} a '\r'; whether there was one. Eight bytes a step: records rarely have any. */
    private static boolean lineBreaksToReturns(byte[] b, int n) {
        boolean any = false;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long x = (long) WORD.get(b, i) ^ NEWLINES;
            if (((x - ONES) & ~x & HIGH) != 0) {
                for (int k = i; k < i + 8; k++) {
                    if (b[k] == '\n') {
                        b[k] = '\r';
                        any = true;
                    }
                }
            }
        }
        for (; i < n; i++) {
            if (b[i] == '\n') {
                b[i] = '\r';
                any = true;
            }
        }
        return any;
    }

    /**
     * Forwards the parser's values to the sink. Strings still in the record's bytes go as slices
     * of them; a string with escapes was decoded into the parser's one scratch array, which the
     * next such string overwrites, so it is copied to {@link #strings} first (a sink may keep
     * the slice until the record is done, as the Kafka RowSink does).
     */
    static final class SinkTarget extends RowTarget {
        Sink sink;
        private byte[] input;
        private byte[] strings = new byte[256];
        private int used;

        void start(Sink s, byte[] record) {
            sink = Objects.requireNonNull(s, "sink");
            input = record;
            used = 0;
        }

        @Override
        void setNull(int col, int row) {
            sink.setNull(col);
        }

        @Override
        void setBoolean(int col, int row, boolean v) {
            sink.setBoolean(col, v);
        }

        @Override
        void setByte(int col, int row, byte v) {
            sink.setLong(col, v);
        }

        @Override
        void setShort(int col, int row, short v) {
            sink.setLong(col, v);
        }

        @Override
        void setInt(int col, int row, int v) {
            sink.setLong(col, v);
        }

        @Override
        void setLong(int col, int row, long v) {
            sink.setLong(col, v);
        }

        @Override
        void setDouble(int col, int row, double v) {
            sink.setDouble(col, v);
        }

        @Override
        void setString(int col, int row, byte[] b, int off, int len) {
            if (b == input) {
                sink.setString(col, b, off, len);
                return;
            }
            if (used + len > strings.length) {
                // slices already handed out keep the old array alive and unchanged
                strings = new byte[Math.max(used + len, strings.length * 2)];
                used = 0;
            }
            System.arraycopy(b, off, strings, used, len);
            sink.setString(col, strings, used, len);
            used += len;
        }
    }
}
