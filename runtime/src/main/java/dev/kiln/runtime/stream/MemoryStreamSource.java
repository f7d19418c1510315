package dev.kiln.runtime.stream;

import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.TableBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A stream of rows added by the program (tests, examples, an application feeding events): the
 * offset is the number of rows added so far, so any range can be read again. Rows are boxed
 * values as {@link dev.kiln.runtime.vector.ColumnVector#getObject} gives them (Long for every
 * integer type, BigDecimal, Double, String, LocalDate, LocalDateTime, Boolean, null).
 */
public final class MemoryStreamSource implements StreamSource {
    private final String name;
    private final Schema schema;
    private final List<Object[]> rows = new ArrayList<>();

    public MemoryStreamSource(String name, Schema schema) {
        this.name = name;
        this.schema = schema;
    }

    /** Appends rows; they are part of the next batch. */
    public synchronized void add(List<Object[]> more) {
        for (Object[] r : more) {
            if (r.length != schema.size()) throw new IllegalArgumentException("a row of " + name + " needs " + schema.size() + " values, not " + r.length);
            rows.add(r.clone());
        }
    }

    public void add(Object[]... more) {
        add(List.of(more));
    }

    public synchronized long size() {
        return rows.size();
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public synchronized Optional<SourceOffset> latest() {
        return rows.isEmpty() ? Optional.empty() : Optional.of(SourceOffset.of(rows.size()));
    }

    /** Offsets count rows: at most {@code maxRows} past {@code start}. */
    @Override
    public Optional<SourceOffset> latest(Optional<SourceOffset> start, long maxRows) {
        return SourceOffset.capped(latest(), start, maxRows);
    }

    @Override
    public SourceBatch read(Optional<SourceOffset> start, SourceOffset end, QueryMemory mem) {
        long from = start.map(SourceOffset::asLong).orElse(0L);
        long to = end.asLong();
        List<Object[]> slice;
        synchronized (this) {
            if (from < 0 || to < from || to > rows.size()) {
                throw new IllegalArgumentException("memory stream " + name + " has " + rows.size() + " rows; cannot read (" + from + ", " + to + "]");
            }
            slice = List.copyOf(rows.subList((int) from, (int) to));
        }
        TableBuilder tb = new TableBuilder(name, schema, mem);
        for (Object[] r : slice) tb.appendRow(r);
        return new SourceBatch(tb.build().batches(), List.of());
    }

    @Override
    public String describe() {
        return "memory[" + name + "]";
    }
}
