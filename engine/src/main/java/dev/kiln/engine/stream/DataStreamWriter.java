package dev.kiln.engine.stream;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.stream.AggregateState;
import dev.kiln.ir.stream.Delta;
import dev.kiln.ir.stream.DeltaPrinter;
import dev.kiln.ir.stream.IncrementalPlan;
import dev.kiln.ir.stream.Linear;
import dev.kiln.runtime.stream.OutputMode;
import dev.kiln.runtime.stream.StreamSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starts a query over streams: {@code frame.writeStream().outputMode(UPDATE).checkpointLocation(dir).to(sink).start()}.
 * The output mode is checked against the query as Spark Structured Streaming checks it: COMPLETE
 * needs an aggregation; APPEND allows an aggregation only over an event-time window (each window
 * is written once, when the watermark closes it).
 */
public final class DataStreamWriter {
    private final StreamEnvironment env;
    private final Supplier<IncrementalPlan> plan;
    private OutputMode mode = OutputMode.APPEND;
    private Trigger trigger = Trigger.processingTime(Duration.ZERO);
    private Optional<Path> checkpoint = Optional.empty();
    private String name = "query";
    private StreamSink sink;
    private long maxRows;
    private long latenessMicros;

    public DataStreamWriter(StreamEnvironment env, Supplier<IncrementalPlan> plan) {
        this.env = env;
        this.plan = plan;
    }

    public DataStreamWriter outputMode(OutputMode mode) {
        this.mode = mode;
        return this;
    }

    public DataStreamWriter trigger(Trigger trigger) {
        this.trigger = trigger;
        return this;
    }

    /** Where offsets, commits and state are kept; without one, a temporary directory (no recovery after a crash). */
    public DataStreamWriter checkpointLocation(Path dir) {
        this.checkpoint = Optional.of(dir);
        return this;
    }

    public DataStreamWriter queryName(String name) {
        this.name = name;
        return this;
    }

    /**
     * The late-data policy: by default a window closes when the watermark passes its end, and rows
     * arriving for it later are dropped (and counted in {@code lateRows}). With an allowed lateness
     * a window stays open that much longer: late rows still update it (UPDATE and COMPLETE write the
     * new counts); APPEND writes each window once, when it finally closes.
     */
    public DataStreamWriter allowedLateness(Duration lateness) {
        if (lateness.isNegative()) throw new KilnException("an allowed lateness cannot be negative: " + lateness);
        this.latenessMicros = Math.addExact(Math.multiplyExact(lateness.getSeconds(), 1_000_000L), lateness.getNano() / 1000);
        return this;
    }

    /** At most this many rows per source in one batch (sources whose offsets count rows; 0: no cap). */
    public DataStreamWriter maxRowsPerBatch(long rows) {
        if (rows < 0) throw new KilnException("maxRowsPerBatch cannot be negative: " + rows);
        this.maxRows = rows;
        return this;
    }

    public DataStreamWriter to(StreamSink sink) {
        this.sink = sink;
        return this;
    }

    /** The incremental plan, the state of each operator and the output mode, without starting. */
    public String explain() {
        IncrementalPlan p = plan.get();
        check(p, mode);
        return "Output mode: " + mode + (StreamingQuery.emitOnClose(p, mode) ? " (each window once, when the watermark closes it)" : "") + "\n"
                + DeltaPrinter.print(p);
    }

    public StreamingQuery start() {
        if (sink == null) throw new KilnException("writeStream() needs a sink: .to(new MemorySink(\"name\")) or another StreamSink");
        IncrementalPlan p = plan.get();
        check(p, mode);
        Path dir;
        boolean temporary = checkpoint.isEmpty();
        try {
            dir = checkpoint.isPresent() ? checkpoint.get() : Files.createTempDirectory("kiln-checkpoint-");
        } catch (IOException e) {
            throw new KilnException("cannot create a temporary checkpoint directory: " + e.getMessage(), e);
        }
        StreamingQuery q = new StreamingQuery(name, p, env.used(p), sink, mode, trigger, dir, temporary, env.plans(), env.memoryBudget(), maxRows, latenessMicros);
        env.onStart().accept(q); // the session stops it when it closes (its tables and workers go then)
        return q.start();
    }

    /** Refuses an output mode the query cannot produce, saying which modes it can. */
    static void check(IncrementalPlan p, OutputMode mode) {
        int aggs = IncrementalPlan.aggregations(p.root());
        switch (mode) {
            case COMPLETE -> {
                if (aggs == 0) throw new KilnException("COMPLETE output mode needs an aggregation (the whole result is written after every batch); "
                        + "this query has none: use APPEND or UPDATE");
            }
            case APPEND -> {
                if (aggs == 0 && IncrementalPlan.retracts(p.root())) {
                    throw new KilnException("APPEND output mode cannot take this query: a LEFT JOIN of two streams writes a left row with NULLs at once and "
                            + "takes it back when a match arrives; use UPDATE (rows are keyed by all their columns)");
                }
                if (aggs == 0) return;
                Delta top = p.root() instanceof Linear l && l.inputs().size() == 1 ? l.inputs().getFirst() : p.root();
                if (aggs > 1 || !(top instanceof AggregateState a) || a.window().isEmpty()) {
                    throw new KilnException("APPEND output mode needs every aggregation to be over an event-time window with a watermark "
                            + "(rows are written once and never changed); this query's aggregation "
                            + (aggs > 1 ? "is followed by another" : "has no window key (group by col(ts).window(...) of a stream with eventTime(...))")
                            + ": use UPDATE or COMPLETE");
                }
            }
            case UPDATE -> { }
        }
    }
}
