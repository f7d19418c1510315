package dev.kiln.engine;

import dev.kiln.codegen.CompileStats;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a query, still in the query's off-heap batches (the query memory stays open until
 * {@link #close}). {@link #rows} boxes them for convenience.
 */
public final class QueryResult implements AutoCloseable {
    private final List<String> columnNames;
    private final Schema schema;
    private final List<Batch> batches;
    private final QueryMemory memory;
    private final Timings timings;
    private final CompileStats compileStats;
    private final String message;

    /**
     * @param planNanos parse + validate + optimize
     */
    public record Timings(long planNanos, long compileNanos, long executeNanos, long peakMemoryBytes) {
        public double totalMillis() {
            return (planNanos + compileNanos + executeNanos) / 1e6;
        }
    }

    QueryResult(List<String> columnNames, Schema schema, List<Batch> batches, QueryMemory memory, Timings timings, CompileStats stats, String message) {
        this.columnNames = List.copyOf(columnNames);
        this.schema = schema;
        this.batches = batches;
        this.memory = memory;
        this.timings = timings;
        this.compileStats = stats;
        this.message = message;
    }

    static QueryResult message(String message) {
        return new QueryResult(List.of(), Schema.of(), List.of(), null, new Timings(0, 0, 0, 0), new CompileStats(0, 0, 0), message);
    }

    public List<String> columnNames() {
        return columnNames;
    }

    public Schema schema() {
        return schema;
    }

    public List<Batch> batches() {
        return batches;
    }

    public long rowCount() {
        long n = 0;
        for (Batch b : batches) n += b.rowCount();
        return n;
    }

    /** Boxed rows: Boolean, Long, BigDecimal, Double, LocalDate, LocalDateTime, String; null for NULL. */
    public List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        for (Batch b : batches) {
            for (int i = 0; i < b.rowCount(); i++) {
                Object[] row = new Object[schema.size()];
                for (int c = 0; c < row.length; c++) row[c] = b.column(c).getObject(i);
                rows.add(row);
            }
        }
        return rows;
    }

    public Timings timings() {
        return timings;
    }

    public CompileStats compileStats() {
        return compileStats;
    }

    /** For statements without rows (CREATE VIEW …): what happened. */
    public String message() {
        return message;
    }

    @Override
    public void close() {
        if (memory != null) memory.close();
    }
}
