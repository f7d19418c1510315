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

    /** The index of the column named {@code name} (ignoring case), or an error listing the columns. */
    public int column(String name) {
        for (int i = 0; i < columnNames.size(); i++) if (columnNames.get(i).equalsIgnoreCase(name)) return i;
        throw new KilnException("the result has no column '" + name + "'; columns: " + columnNames);
    }

    public boolean isNull(long row, int column) {
        return get(row, column) == null;
    }

    /** An integer column's value (TINYINT to BIGINT). */
    public long getLong(long row, int column) {
        return (Long) typed(row, column, Long.class, "getLong");
    }

    public long getLong(long row, String column) {
        return getLong(row, column(column));
    }

    /** A DOUBLE column's value. */
    public double getDouble(long row, int column) {
        return (Double) typed(row, column, Double.class, "getDouble");
    }

    public double getDouble(long row, String column) {
        return getDouble(row, column(column));
    }

    public boolean getBoolean(long row, int column) {
        return (Boolean) typed(row, column, Boolean.class, "getBoolean");
    }

    public boolean getBoolean(long row, String column) {
        return getBoolean(row, column(column));
    }

    /** A VARCHAR column's value; null for NULL. */
    public String getString(long row, int column) {
        return (String) nullableTyped(row, column, String.class, "getString");
    }

    public String getString(long row, String column) {
        return getString(row, column(column));
    }

    /** A DECIMAL column's value; null for NULL. */
    public java.math.BigDecimal getDecimal(long row, int column) {
        return (java.math.BigDecimal) nullableTyped(row, column, java.math.BigDecimal.class, "getDecimal");
    }

    public java.math.BigDecimal getDecimal(long row, String column) {
        return getDecimal(row, column(column));
    }

    /** A DATE column's value; null for NULL. */
    public java.time.LocalDate getDate(long row, int column) {
        return (java.time.LocalDate) nullableTyped(row, column, java.time.LocalDate.class, "getDate");
    }

    public java.time.LocalDate getDate(long row, String column) {
        return getDate(row, column(column));
    }

    /** A TIMESTAMP column's value; null for NULL. */
    public java.time.LocalDateTime getTimestamp(long row, int column) {
        return (java.time.LocalDateTime) nullableTyped(row, column, java.time.LocalDateTime.class, "getTimestamp");
    }

    public java.time.LocalDateTime getTimestamp(long row, String column) {
        return getTimestamp(row, column(column));
    }

    private Object nullableTyped(long row, int column, Class<?> type, String getter) {
        Object v = get(row, column);
        // the column's type decides, NULL or not: getString on a BIGINT column is a mistake in every row
        if (!type.isInstance(sample(schema.field(column).type()))) throw wrongGetter(column, getter);
        return v;
    }

    private Object typed(long row, int column, Class<?> type, String getter) {
        Object v = nullableTyped(row, column, type, getter);
        if (v == null) {
            throw new KilnException("column '" + columnNames.get(column) + "' is NULL in row " + row + "; " + getter + " cannot return NULL: check isNull() first or use get()");
        }
        return v;
    }

    /** A value of the Java class {@link #get} returns for {@code t}. */
    private static Object sample(dev.kiln.ir.type.DataType t) {
        return switch (t) {
            case dev.kiln.ir.type.DataType.BooleanType b -> Boolean.FALSE;
            case dev.kiln.ir.type.DataType.IntType i -> 0L;
            case dev.kiln.ir.type.DataType.DecimalType d -> java.math.BigDecimal.ZERO;
            case dev.kiln.ir.type.DataType.DoubleType d -> 0.0;
            case dev.kiln.ir.type.DataType.DateType d -> java.time.LocalDate.EPOCH;
            case dev.kiln.ir.type.DataType.TimestampType d -> java.time.LocalDateTime.MIN;
            case dev.kiln.ir.type.DataType.VarcharType v -> "";
            default -> new Object();
        };
    }

    private KilnException wrongGetter(int column, String getter) {
        dev.kiln.ir.type.Field f = schema.field(column);
        String right = switch (sample(f.type())) {
            case Boolean b -> "getBoolean";
            case Long l -> "getLong";
            case java.math.BigDecimal d -> "getDecimal";
            case Double d -> "getDouble";
            case java.time.LocalDate d -> "getDate";
            case java.time.LocalDateTime d -> "getTimestamp";
            case String s -> "getString";
            default -> "get";
        };
        return new KilnException("column '" + columnNames.get(column) + "' is " + f.type().sql() + ": read it with " + right + ", not " + getter);
    }

    /**
     * The rows as records: each component takes the column of its name (ignoring case, then
     * also underscores: {@code shipDate} reads {@code ship_date}); types are checked once, before
     * any row is read (a nullable column needs a boxed component).
     */
    public <R extends Record> List<R> as(Class<R> type) {
        checkOpen();
        return RecordTables.read(this, type);
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
