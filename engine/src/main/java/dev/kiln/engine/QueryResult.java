package dev.kiln.engine;

import dev.kiln.codegen.CompileStats;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The rows of one query, left in the query's own off-heap batches rather than copied out: the
 * query's {@link QueryMemory} stays open until {@link #close} (or until the session closes, which
 * closes every result still open). Copying would double the memory and time of large results for
 * callers that stream them (the CLI formatter, the benchmark); {@link #rows} and {@link #get} box
 * values on demand for callers that want objects. Reading a closed result is an error.
 */
public final class QueryResult implements AutoCloseable {
    private final List<String> columnNames;
    private final Schema schema;
    private final List<Batch> batches;
    private final long[] batchStart;
    private final long rowCount;
    private final Optional<QueryMemory> memory;
    private final Consumer<QueryResult> onClose;
    private final Timings timings;
    private final CompileStats compileStats;
    private final Optional<String> message;
    private long updateCount = -1;
    private boolean closed;

    /** Where the time of one statement went. */
    /**
     * @param spilledBytes bytes written to local disk because the query outgrew its memory budget
     * @param planCached   the optimized plan came from the session's plan cache (the query text ran
     *                     before and the catalog has not changed): parse time is the look-up's
     */
    public record Timings(long parseNanos, long planNanos, long compileNanos, long executeNanos, long peakMemoryBytes, long spilledBytes,
                          boolean planCached) {
        static final Timings NONE = new Timings(0, 0, 0, 0, 0, 0, false);

        /** SQL text to validated logical plan (Calcite and translation into Kiln IR). */
        public double parseMillis() {
            return parseNanos / 1e6;
        }

        /** Optimizer passes. */
        public double planMillis() {
            return planNanos / 1e6;
        }

        /** Pipeline planning, code generation and class loading (or class-cache hits). */
        public double compileMillis() {
            return compileNanos / 1e6;
        }

        public double executeMillis() {
            return executeNanos / 1e6;
        }

        public double totalMillis() {
            return (parseNanos + planNanos + compileNanos + executeNanos) / 1e6;
        }
    }

    QueryResult(List<String> columnNames, Schema schema, List<Batch> batches, QueryMemory memory, Consumer<QueryResult> onClose,
                Timings timings, CompileStats stats) {
        this(columnNames, schema, batches, Optional.of(memory), onClose, timings, stats, Optional.empty());
    }

    private QueryResult(List<String> columnNames, Schema schema, List<Batch> batches, Optional<QueryMemory> memory,
                        Consumer<QueryResult> onClose, Timings timings, CompileStats stats, Optional<String> message) {
        this.columnNames = List.copyOf(columnNames);
        this.schema = schema;
        this.batches = List.copyOf(batches);
        this.batchStart = new long[this.batches.size() + 1];
        for (int i = 0; i < this.batches.size(); i++) batchStart[i + 1] = batchStart[i] + this.batches.get(i).rowCount();
        this.rowCount = batchStart[this.batches.size()];
        this.memory = memory;
        this.onClose = onClose;
        this.timings = timings;
        this.compileStats = stats;
        this.message = message;
    }

    /** The result of a statement without rows (CREATE VIEW, DROP VIEW). */
    static QueryResult message(String message, long parseNanos) {
        return update(message, 0, parseNanos);
    }

    /** The result of a statement that changed {@code rows} rows (INSERT) or none (CREATE, DROP). */
    static QueryResult update(String message, long rows, long nanos) {
        QueryResult r = new QueryResult(List.of(), Schema.of(), List.of(), Optional.empty(), x -> {}, new Timings(nanos, 0, 0, 0, 0, 0, false),
                new CompileStats(0, 0, 0), Optional.of(message));
        r.updateCount = rows;
        return r;
    }

    /** For a statement without rows, how many rows it inserted (0 for CREATE, DROP, ANALYZE); -1 for a query. */
    public long updateCount() {
        return updateCount;
    }

    public List<String> columnNames() {
        return columnNames;
    }

    public int columnCount() {
        return columnNames.size();
    }

    public Schema schema() {
        return schema;
    }

    /** The off-heap batches, valid until {@link #close}. */
    public List<Batch> batches() {
        checkOpen();
        return batches;
    }

    public long rowCount() {
        return rowCount;
    }

    /**
     * One value, boxed: Boolean, Long, BigDecimal, Double, LocalDate, LocalDateTime, String;
     * null for NULL.
     */
    public Object get(long row, int column) {
        checkOpen();
        if (row < 0 || row >= rowCount) throw new KilnException("row " + row + " is out of range: the result has " + rowCount + " rows");
        if (column < 0 || column >= columnCount()) {
            throw new KilnException("column " + column + " is out of range: the result has " + columnCount() + " columns " + columnNames);
        }
        int b = java.util.Arrays.binarySearch(batchStart, row);
        // an exact hit may be the start of an empty batch; move to the batch that holds the row
        if (b >= 0) {
            while (batchStart[b + 1] == row) b++;
        } else {
            b = -b - 2;
        }
        return batches.get(b).column(column).getObject((int) (row - batchStart[b]));
    }

    /** All rows, boxed as by {@link #get}. */
    public List<Object[]> rows() {
        checkOpen();
        List<Object[]> rows = new ArrayList<>((int) Math.min(rowCount, Integer.MAX_VALUE));
        for (Batch b : batches) {
            for (int i = 0; i < b.rowCount(); i++) {
                Object[] row = new Object[columnCount()];
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
    public Optional<String> message() {
        return message;
    }

    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) throw new KilnException("this query result is closed (its memory was released); read it before closing it or its session");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        memory.ifPresent(QueryMemory::close);
        onClose.accept(this);
    }
}
