package dev.kiln.connectors.json;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.BadRecord;
import dev.kiln.runtime.stream.SourceBatch;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Reads newline-delimited JSON objects (JSON Lines) into columnar batches of a given schema.
 *
 * <p>Each line is one object; its fields are matched to the schema's columns by name (exactly,
 * else ignoring case) and converted as they are parsed, straight from the bytes into off-heap
 * columns. Fields the schema does not name are skipped (nested objects and arrays included, and
 * still checked to be JSON). A field that is missing or {@code null} is NULL in a nullable
 * column. Empty lines are skipped; lines may end with {@code \n} or {@code \r\n}; a UTF-8 byte
 * order mark at the start is ignored.
 *
 * <p>Types (strict: what would lose information or guess is a bad record, never rounded):
 * <ul>
 *   <li>BOOLEAN: {@code true} / {@code false}.</li>
 *   <li>TINYINT..BIGINT: JSON integers in the type's range; {@code 1.0}, {@code 1e3} or
 *       {@code "1"} are not integers.</li>
 *   <li>DECIMAL(p,s): any JSON number whose exact value has at most s digits after the point and
 *       p-s before it ({@code 1.50} fits DECIMAL(3,1); {@code 1.55} does not: no rounding).</li>
 *   <li>DOUBLE: any JSON number, correctly rounded; beyond the range of a double is a bad record.</li>
 *   <li>DATE: a string {@code "YYYY-MM-DD"} (years 0000 to 9999).</li>
 *   <li>TIMESTAMP: a string {@code "YYYY-MM-DD[THH:MM:SS[.ffffff]][Z|+HH:MM]"} (a space may
 *       stand for T; up to 6 fractional digits; an offset is converted to UTC, none or Z is
 *       UTC already), or a JSON integer of milliseconds since 1970-01-01T00:00Z.</li>
 *   <li>VARCHAR: a JSON string, all escapes decoded (surrogate pairs into one 4-byte UTF-8
 *       character; a lone surrogate is a bad record). A number or boolean is a bad record, not
 *       its text: a producer sending the wrong type is a fact to report.</li>
 * </ul>
 * A field that appears twice in one object is a bad record (which value was meant is a guess).
 *
 * <p>A bad record (not JSON, not an object, a wrong type, a value out of range) gives no row; by
 * {@link BadRecordPolicy} it stops the read with a {@link KilnException} naming
 * {@code name:line:column}, or is returned as a {@link BadRecord} ({@code where = name:line},
 * the line's text, the reason ending in {@code at column N}, columns counted in characters from
 * 1). A reader is immutable and may be shared by threads; each call reads on its own.
 */
public final class JsonLinesReader {
    private final Schema schema;
    private final BadRecordPolicy policy;
    private final FieldNames names;
    /** heap arrays for VARCHAR text, kept between reads (a reader is shared: each read takes its own set) */
    private final TextBuffers.Pool buffers;

    public JsonLinesReader(Schema schema, BadRecordPolicy policy) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.names = RecordParser.namesOf(schema);
        this.buffers = new TextBuffers.Pool(schema.size());
    }

    public Schema schema() {
        return schema;
    }

    public BadRecordPolicy policy() {
        return policy;
    }

    /**
     * Reads the lines in {@code data[offset, offset + length)}. Batches hold at most
     * {@code Table.MORSEL_ROWS} rows, in {@code mem}; the caller frees them with it.
     *
     * @param name      what the bytes are called in messages, e.g. a file name or {@code kafka ysb-0@1200}
     * @param firstLine the line number of the first line (1 for the start of a file)
     */
    public SourceBatch read(byte[] data, int offset, int length, String name, long firstLine, QueryMemory mem) {
        Objects.checkFromIndexSize(offset, length, data.length);
        return new LinesRun(schema, names, policy, name, firstLine, length, mem, buffers).read(data, offset, length);
    }

    /** Reads a whole array of lines, numbered from 1. */
    public SourceBatch read(byte[] data, String name, QueryMemory mem) {
        return read(data, 0, data.length, name, 1, mem);
    }

    /**
     * Reads the lines in a segment: one backed by a byte array is parsed in place, any other
     * (mapped files, native buffers) is copied to the heap a megabyte at a time.
     */
    public SourceBatch read(MemorySegment data, String name, long firstLine, QueryMemory mem) {
        LinesRun run = new LinesRun(schema, names, policy, name, firstLine, data.byteSize(), mem, buffers);
        if (data.heapBase().orElse(null) instanceof byte[] array && data.byteSize() <= Integer.MAX_VALUE) {
            return run.read(array, (int) data.address(), (int) data.byteSize()); // a heap segment's address is its offset in the array
        }
        return run.read(data);
    }
}
