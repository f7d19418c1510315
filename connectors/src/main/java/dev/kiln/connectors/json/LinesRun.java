package dev.kiln.connectors.json;

import dev.kiln.connectors.TableAssembler;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.BadRecord;
import dev.kiln.runtime.stream.SourceBatch;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@link JsonLinesReader#read} call: cuts the input into regions of whole lines, hands each
 * line to the {@link RecordParser}, moves the row count on for good records, turns bad ones into
 * {@link BadRecord}s (or the FAIL policy's exception), and cuts {@link Table#MORSEL_ROWS}-row
 * batches. On any exception everything allocated is freed: the caller gets all rows or none.
 */
final class LinesRun {
    /** Input in native memory is copied to the heap in chunks of this size (a line longer than a chunk doubles it). */
    private static final int CHUNK = 1 << 20;

    private final Schema schema;
    private final BadRecordPolicy policy;
    private final String name;
    private final QueryMemory mem;
    private final RecordParser parser;
    private final RowTarget.Columns target = new RowTarget.Columns();
    private final List<Batch> batches = new ArrayList<>();
    private final List<BadRecord> bad = new ArrayList<>();
    private final long totalBytes;
    private long doneBytes;
    private long line;
    private final RowColumn[] columns;
    /** whether the columns hold a started batch (started lazily, so input without records allocates nothing) */
    private boolean inBatch;
    private int rows;
    private int capacity;

    private final TextBuffers.Pool pool;
    private final TextBuffers buffers;
    private boolean released;

    LinesRun(Schema schema, FieldNames names, BadRecordPolicy policy, String name, long firstLine, long totalBytes, QueryMemory mem, TextBuffers.Pool pool) {
        this.schema = schema;
        this.policy = policy;
        this.name = name;
        this.mem = mem;
        this.parser = new RecordParser(schema, names);
        parser.out = target;
        this.line = firstLine;
        this.totalBytes = totalBytes;
        this.columns = new RowColumn[schema.size()];
        this.pool = pool;
        this.buffers = pool.take();
        for (int c = 0; c < columns.length; c++) columns[c] = new RowColumn(schema.field(c).type(), mem, buffers, c);
        target.columns = columns;
    }

    SourceBatch read(byte[] data, int offset, int length) {
        try {
            int skip = bom(data, offset, length);
            lines(data, offset + skip, length - skip);
            return finish();
        } catch (RuntimeException | Error e) {
            abandon();
            throw e;
        }
    }

    SourceBatch read(MemorySegment data) {
        try {
            long size = data.byteSize();
            byte[] chunk = new byte[(int) Math.min(size, CHUNK)];
            long pos = 0;
            if (size >= 3) {
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, chunk, 0, 3);
                pos = bom(chunk, 0, 3);
            }
            while (pos < size) {
                int n = (int) Math.min(chunk.length, size - pos);
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, chunk, 0, n);
                if (pos + n == size) {
                    lines(chunk, 0, n);
                    break;
                }
                int last = n - 1;
                while (last >= 0 && chunk[last] != '\n') last--;
                if (last < 0) {
                    if (chunk.length > Integer.MAX_VALUE / 2) throw new KilnException(name + ":" + line + ": a line longer than 1 GB; JSON Lines records must be shorter");
                    chunk = new byte[chunk.length * 2];
                    continue;
                }
                region(chunk, 0, last + 1);
                pos += last + 1;
            }
            return finish();
        } catch (RuntimeException | Error e) {
            abandon();
            throw e;
        }
    }

    /** Bytes of a UTF-8 byte order mark at the start of the input (some editors write one). */
    private static int bom(byte[] b, int off, int len) {
        return len >= 3 && b[off] == (byte) 0xEF && b[off + 1] == (byte) 0xBB && b[off + 2] == (byte) 0xBF ? 3 : 0;
    }

    /** All lines of b[off, off+len); the last may lack its '\n', so it is parsed from a copy that has one. */
    private void lines(byte[] b, int off, int len) {
        int end = off + len;
        int last = end - 1;
        while (last >= off && b[last] != '\n') last--;
        if (last >= off) region(b, off, last + 1);
        if (last + 1 < end) {
            byte[] tail = Arrays.copyOfRange(b, last + 1, end + 1);
            tail[tail.length - 1] = '\n';
            region(tail, 0, tail.length);
        }
    }

    /** Lines of b[from, to), where b[to - 1] is '\n'. */
    private void region(byte[] b, int from, int to) {
        parser.buf = b;
        parser.limit = to;
        int p = from;
        while (p < to) {
            if (!inBatch) startBatch(totalBytes - doneBytes - (p - from));
            else if (rows == capacity) grow();
            int start = p;
            try {
                p = parser.parse(p, rows) + 1;
                if (!parser.empty && ++rows == Table.MORSEL_ROWS) cut();
            } catch (RecordParser.ParseError e) {
                p = start;
                while (b[p] != '\n') p++;
                badRecord(b, start, p, e);
                p++;
            }
            line++;
        }
        doneBytes += to - from;
    }

    private void badRecord(byte[] b, int start, int end, RecordParser.ParseError e) {
        int column = RecordParser.column(b, start, e.pos);
        if (policy == BadRecordPolicy.FAIL) {
            throw new KilnException(name + ":" + line + ":" + column + ": " + e.getMessage()
                    + "; fix the record, or read with BadRecordPolicy.SKIP_AND_REPORT to set bad records aside");
        }
        int textEnd = end > start && b[end - 1] == '\r' ? end - 1 : end;
        int textLength = Math.min(textEnd - start, 4 * BadRecord.MAX_TEXT + 4); // enough for MAX_TEXT characters and the cut mark
        String text = new String(b, start, textLength, StandardCharsets.UTF_8);
        bad.add(new BadRecord(name + ":" + line, text, e.getMessage() + " at column " + column));
    }

    private void startBatch(long bytesLeft) {
        // about 100 bytes a record: a guess that only decides how soon the columns double
        capacity = (int) Math.max(16, Math.min(Table.MORSEL_ROWS, bytesLeft / 96 + 1));
        inBatch = true;
        for (RowColumn c : columns) c.start(capacity);
        target.columns = columns;
    }

    private void grow() {
        capacity = Math.min(Table.MORSEL_ROWS, capacity * 2);
        for (RowColumn c : columns) c.grow(capacity);
    }

    private void cut() {
        List<ColumnVector> vectors = new ArrayList<>(columns.length);
        try {
            for (RowColumn c : columns) vectors.add(c.finish(rows));
        } catch (RuntimeException | Error e) {
            for (ColumnVector v : vectors) TableAssembler.free(mem, v);
            throw e;
        }
        batches.add(new Batch(schema, vectors, rows));
        inBatch = false;
        rows = 0;
    }

    private SourceBatch finish() {
        if (rows > 0) cut();
        else freeColumns();
        release();
        return new SourceBatch(batches, bad);
    }

    private void abandon() {
        freeColumns();
        TableAssembler.free(mem, batches);
        batches.clear();
        release();
    }

    /** Hands the columns' heap arrays back to the reader (once: this run is over). */
    private void release() {
        if (released) return; // finish() may fail after releasing, and abandon() then comes here again
        released = true;
        for (int c = 0; c < columns.length; c++) columns[c].keep(buffers, c);
        pool.give(buffers);
    }

    private void freeColumns() {
        for (RowColumn c : columns) c.free();
        inBatch = false;
    }
}
