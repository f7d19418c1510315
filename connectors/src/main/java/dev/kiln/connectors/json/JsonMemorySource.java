package dev.kiln.connectors.json;

import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.BadRecord;
import dev.kiln.runtime.stream.SourceBatch;
import dev.kiln.runtime.stream.SourceOffset;
import dev.kiln.runtime.stream.StreamSource;
import dev.kiln.runtime.vector.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A stream of JSON lines held in memory (appended by the program, or all given at once), parsed
 * by {@link JsonLinesReader} when a batch reads them: the in-memory source of the streaming
 * benchmarks, where parsing is part of the work measured. The offset is the number of lines; a
 * source may also reveal its lines at a fixed rate (lines per second since {@link #startClock}),
 * to drive latency measurements. A range is parsed in parallel slices when an executor is given.
 */
public final class JsonMemorySource implements StreamSource {
    private final String name;
    private final JsonLinesReader reader;
    private final ExecutorService parallel;
    private final int slices;
    private byte[] data = new byte[1 << 16];
    private int size;
    /** start offset of each line, plus one past the end of the last */
    private int[] lineStarts = new int[1024];
    private int lines;
    private long ratePerSecond;
    private long clockStart;

    /**
     * @param parallel parses a range in {@code slices} parts on it (null: on the calling thread)
     */
    public JsonMemorySource(String name, Schema schema, BadRecordPolicy policy, ExecutorService parallel, int slices) {
        this.name = name;
        this.reader = new JsonLinesReader(schema, policy);
        this.parallel = parallel;
        this.slices = Math.max(1, slices);
    }

    public JsonMemorySource(String name, Schema schema) {
        this(name, schema, BadRecordPolicy.SKIP_AND_REPORT, null, 1);
    }

    /** Appends newline-terminated JSON lines. */
    public synchronized void append(byte[] bytes, int offset, int length) {
        if (length == 0) return;
        if (bytes[offset + length - 1] != '\n') throw new IllegalArgumentException("JSON lines must end with a newline");
        if (size + length > data.length) data = Arrays.copyOf(data, Math.max(size + length, (int) Math.min(Integer.MAX_VALUE - 8, data.length * 2L)));
        System.arraycopy(bytes, offset, data, size, length);
        int end = size + length;
        if (lines == 0) lineStarts[0] = 0;
        for (int i = size; i < end; i++) {
            if (data[i] == '\n') {
                if (lines + 2 > lineStarts.length) lineStarts = Arrays.copyOf(lineStarts, lineStarts.length * 2);
                lineStarts[++lines] = i + 1;
            }
        }
        size = end;
    }

    public void append(byte[] bytes) {
        append(bytes, 0, bytes.length);
    }

    /** From now on only {@code ratePerSecond} lines per second since this call are visible (0: all). */
    public synchronized void startClock(long ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
        this.clockStart = System.nanoTime();
    }

    /** When line {@code i} became visible under the rate clock, in System.nanoTime() terms (latency measurements). */
    public synchronized long visibleAtNanos(long i) {
        return ratePerSecond == 0 ? clockStart : clockStart + (long) ((i + 1) * 1e9 / ratePerSecond);
    }

    public synchronized long lines() {
        return lines;
    }

    @Override
    public Schema schema() {
        return reader.schema();
    }

    @Override
    public synchronized Optional<SourceOffset> latest() {
        long visible = lines;
        if (ratePerSecond > 0) visible = Math.min(lines, (long) ((System.nanoTime() - clockStart) / 1e9 * ratePerSecond));
        return visible == 0 ? Optional.empty() : Optional.of(SourceOffset.of(visible));
    }

    /** Offsets count rows: at most {@code maxRows} past {@code start}. */
    @Override
    public Optional<SourceOffset> latest(Optional<SourceOffset> start, long maxRows) {
        return SourceOffset.capped(latest(), start, maxRows);
    }

    /** Readers of projections of the schema (the fields of other columns are skipped, not decoded). */
    private final java.util.Map<List<Integer>, JsonLinesReader> projections = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public SourceBatch read(Optional<SourceOffset> start, SourceOffset end, QueryMemory mem, List<Integer> columns) {
        JsonLinesReader r = projections.computeIfAbsent(List.copyOf(columns), c -> new JsonLinesReader(reader.schema().select(c), reader.policy()));
        return read(r, start, end, mem);
    }

    @Override
    public SourceBatch read(Optional<SourceOffset> start, SourceOffset end, QueryMemory mem) {
        return read(reader, start, end, mem);
    }

    private SourceBatch read(JsonLinesReader reader, Optional<SourceOffset> start, SourceOffset end, QueryMemory mem) {
        int from = (int) (long) start.map(SourceOffset::asLong).orElse(0L);
        int to = (int) end.asLong();
        byte[] bytes;
        int[] starts;
        synchronized (this) {
            if (from < 0 || to < from || to > lines) throw new IllegalArgumentException(describe() + " has " + lines + " lines; cannot read (" + from + ", " + to + "]");
            bytes = data;
            starts = lineStarts;
        }
        int parts = parallel == null ? 1 : Math.min(slices, Math.max(1, (to - from) / 4096));
        if (parts == 1) return reader.read(bytes, starts[from], starts[to] - starts[from], name, from + 1L, mem);
        List<Future<SourceBatch>> futures = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int a = from + (int) ((long) (to - from) * p / parts);
            int b = from + (int) ((long) (to - from) * (p + 1) / parts);
            Callable<SourceBatch> task = () -> reader.read(bytes, starts[a], starts[b] - starts[a], name, a + 1L, mem);
            futures.add(parallel.submit(task));
        }
        List<Batch> batches = new ArrayList<>();
        List<BadRecord> bad = new ArrayList<>();
        for (Future<SourceBatch> f : futures) {
            SourceBatch sb;
            try {
                sb = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while parsing " + describe(), e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException(e.getCause());
            }
            batches.addAll(sb.batches());
            bad.addAll(sb.badRecords());
        }
        return new SourceBatch(batches, bad);
    }

    @Override
    public String describe() {
        return "json-memory[" + name + "]";
    }
}
