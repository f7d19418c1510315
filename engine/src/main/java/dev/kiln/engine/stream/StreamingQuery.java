package dev.kiln.engine.stream;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.stream.DeltaPrinter;
import dev.kiln.ir.stream.IncrementalPlan;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.BadRecord;
import dev.kiln.runtime.stream.ChangeBatch;
import dev.kiln.runtime.stream.OutputMode;
import dev.kiln.runtime.stream.SourceBatch;
import dev.kiln.runtime.stream.SourceOffset;
import dev.kiln.runtime.stream.StreamSink;
import dev.kiln.runtime.vector.Batch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running streaming query: micro-batches, each a transaction over the checkpoint directory.
 * <ol>
 *   <li>the batch's offset ranges and watermark go to the write-ahead offsets log;</li>
 *   <li>the sources' rows for those ranges are read (bad records failed or dead-lettered);</li>
 *   <li>the incremental plan computes the change of the result and the stateful operators
 *       update their state;</li>
 *   <li>the sink writes the change under the batch id (idempotently or transactionally);</li>
 *   <li>every operator's state is committed as version batch + 1, then the batch to the commit log.</li>
 * </ol>
 * A query killed at any point restarts from the last committed batch: its state is reopened at
 * that version and a batch in the offsets log without a commit runs again over exactly the same
 * offsets with the same watermark, so it computes the same change, which the sink writes once.
 */
public final class StreamingQuery implements AutoCloseable {
    /**
     * progress entries kept (the newest), as Spark keeps its recent progress updates: a continuous
     * query makes thousands a second, so whoever needs every one listens ({@link #addProgressListener})
     */
    static final int MAX_PROGRESS = 1_000;
    private final String name;
    private final IncrementalPlan plan;
    private final Map<String, StreamDefinition> streams;
    private final StreamSink sink;
    private final OutputMode mode;
    private final Trigger trigger;
    private final Checkpoint checkpoint;
    private final IncrementalExecutor executor;
    private final Changes changes;
    private final Map<String, java.util.SortedSet<Integer>> readColumns;
    private final long memoryBudget;
    private final long maxRowsPerBatch;
    private final Map<String, Long> maxEventTime = new LinkedHashMap<>();
    private final Map<String, SourceOffset> committedEnd = new java.util.concurrent.ConcurrentHashMap<>();
    /** the newest progress entries, guarded by itself, as {@link #listeners} is */
    private final java.util.ArrayDeque<StreamingProgress> progress = new java.util.ArrayDeque<>();
    private final List<java.util.function.Consumer<StreamingProgress>> listeners = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final boolean ownsCheckpoint;
    private volatile boolean stopRequested;
    private volatile Throwable failure;
    private volatile long nextBatch;
    /** the watermark the last batch ran with */
    private long lastWatermark = Long.MIN_VALUE;
    /** a batch logged but never committed before a restart: it runs again first, over exactly its logged offsets */
    private Optional<Checkpoint.BatchOffsets> pending;
    private Thread thread;

    StreamingQuery(String name, IncrementalPlan plan, Map<String, StreamDefinition> streams, StreamSink sink, OutputMode mode, Trigger trigger,
                   Path checkpointDir, boolean ownsCheckpoint, PlanRunner.Factory plans, long memoryBudget, long maxRowsPerBatch, long latenessMicros) {
        this.maxRowsPerBatch = maxRowsPerBatch;
        this.name = name;
        this.plan = plan;
        this.streams = streams;
        this.sink = sink;
        this.mode = mode;
        this.trigger = trigger;
        this.memoryBudget = memoryBudget;
        this.ownsCheckpoint = ownsCheckpoint;
        this.checkpoint = Checkpoint.open(checkpointDir, plan, "trigger: " + (trigger instanceof Trigger.Continuous ? "continuous" : "micro-batch") + ", output: " + mode
                + (latenessMicros > 0 ? ", allowed lateness: " + latenessMicros + " us" : ""));
        IncrementalExecutor ex = null;
        try {
            Checkpoint.Recovery rec = checkpoint.recover();
            notes.addAll(rec.notes());
            this.nextBatch = rec.lastCommitted() + 1;
            maxEventTime.putAll(rec.maxEventTime());
            committedEnd.putAll(rec.ends());
            lastWatermark = rec.lastWatermark();
            pending = rec.pending();
            long version = rec.lastCommitted() + 1;
            ex = new IncrementalExecutor(plan, plans, id -> checkpoint.state(id, version), emitOnClose(plan, mode), latenessMicros);
            this.changes = new Changes(mode, plan, mode == OutputMode.COMPLETE ? checkpoint.state("result", version) : null);
        } catch (RuntimeException e) {
            // a checkpoint that cannot be restored (or a plan that cannot be compiled) leaves nothing open
            if (ex != null) ex.close();
            checkpoint.close();
            throw e;
        }
        this.executor = ex;
        this.readColumns = IncrementalExecutor.columnsRead(plan.root(), new LinkedHashMap<>());
    }

    private static boolean hasGlobalAggregate(dev.kiln.ir.stream.Delta d) {
        if (d instanceof dev.kiln.ir.stream.AggregateState a && a.keyCount() == 0) return true;
        for (var in : d.inputs()) if (hasGlobalAggregate(in)) return true;
        return false;
    }

    /** Does the root aggregation emit each window once, when the watermark closes it (APPEND)? */
    static boolean emitOnClose(IncrementalPlan plan, OutputMode mode) {
        return mode == OutputMode.APPEND && IncrementalPlan.aggregations(plan.root()) > 0;
    }

    public String name() {
        return name;
    }

    /** The incremental plan and the state each operator keeps. */
    public String explain() {
        return DeltaPrinter.print(plan);
    }

    /** Starts the query on its own thread. */
    synchronized StreamingQuery start() {
        thread = new Thread(this::runLoop, "kiln-stream-" + name);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void runLoop() {
        try {
            if (pending.isPresent()) {
                Checkpoint.BatchOffsets p = pending.get();
                pending = Optional.empty();
                runBatch(p);
            }
            // an aggregation without GROUP BY has its one row before any data (COUNT 0, SUM NULL), as in batch
            if (nextBatch == 0 && hasGlobalAggregate(plan.root())) runBatch(new Checkpoint.BatchOffsets(0, Map.of(), watermark()));
            switch (trigger) {
                case Trigger.AvailableNow a -> {
                    Map<String, SourceOffset> target = latest();
                    while (!stopRequested && runOnce(capped(target))) { }
                }
                case Trigger.Continuous c -> runContinuous(c);
                case Trigger.ProcessingTime t -> {
                    while (!stopRequested) {
                        long start = System.nanoTime();
                        boolean ran = runOnce(capped(latest()));
                        long wait = t.interval().toNanos() - (System.nanoTime() - start);
                        if (!ran) wait = Math.max(wait, TimeUnit.MILLISECONDS.toNanos(10));
                        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure = e;
        } finally {
            finished.countDown();
        }
    }

    /**
     * The ends of the next batch: {@code target}, or with a batch-size cap the sources' capped
     * newest offsets, never past {@code target} where offsets are row counts.
     */
    private Map<String, SourceOffset> capped(Map<String, SourceOffset> target) {
        if (maxRowsPerBatch <= 0) return target;
        Map<String, SourceOffset> out = new LinkedHashMap<>();
        for (StreamDefinition s : streams.values()) {
            SourceOffset t = target.get(s.name());
            if (t == null) continue;
            Optional<SourceOffset> c = s.source().latest(Optional.ofNullable(committedEnd.get(s.name())), maxRowsPerBatch);
            SourceOffset end = c.orElse(t);
            if (isCount(end) && isCount(t) && end.asLong() > t.asLong()) end = t;
            out.put(s.name(), end);
        }
        return out;
    }

    private static boolean isCount(SourceOffset o) {
        return o.text().chars().allMatch(Character::isDigit) && !o.text().isEmpty() && o.text().length() < 19;
    }

    /** The newest offset of each source now. */
    private Map<String, SourceOffset> latest() {
        Map<String, SourceOffset> out = new LinkedHashMap<>();
        for (StreamDefinition s : streams.values()) s.source().latest().ifPresent(o -> out.put(s.name(), o));
        return out;
    }

    /**
     * Runs the next batch if there is data up to {@code target} not yet processed, or if the
     * watermark moved so that windows close (a batch without data, as Spark runs one).
     */
    private boolean runOnce(Map<String, SourceOffset> target) {
        Map<String, Checkpoint.Range> ranges = new LinkedHashMap<>();
        boolean data = false;
        for (StreamDefinition s : streams.values()) {
            SourceOffset end = target.get(s.name());
            Optional<SourceOffset> start = Optional.ofNullable(committedEnd.get(s.name()));
            if (end == null) continue;
            if (start.isEmpty() || !start.get().equals(end)) data = true;
            ranges.put(s.name(), new Checkpoint.Range(start, end));
        }
        long watermark = watermark();
        boolean closesWindows = IncrementalPlan.aggregations(plan.root()) > 0 && watermark > lastWatermark;
        if (!data && !closesWindows) return false;
        runBatch(new Checkpoint.BatchOffsets(nextBatch, ranges, watermark));
        return true;
    }

    /** The watermark for the next batch: the least over the event-time streams of (newest event time seen - delay). */
    private long watermark() {
        long wm = Long.MAX_VALUE;
        boolean any = false;
        for (StreamDefinition s : streams.values()) {
            if (s.eventTime().isEmpty()) continue;
            any = true;
            Long max = maxEventTime.get(s.name());
            if (max == null) return Long.MIN_VALUE; // a stream without data yet holds the watermark back
            wm = Math.min(wm, max - s.delayMicros());
        }
        return any ? wm : Long.MIN_VALUE;
    }

    private void runBatch(Checkpoint.BatchOffsets b) {
        long t0 = System.nanoTime();
        checkpoint.logOffsets(b);
        try (QueryMemory mem = new QueryMemory(memoryBudget)) {
            Processed p = process(b.batchId(), b.ranges(), b.watermark(), mem);
            checkpoint.commit(b, p.newMax());
            long tCommit = System.nanoTime();
            advance(b.ranges(), p.newMax(), b.watermark());
            nextBatch = b.batchId() + 1;
            for (StreamDefinition s : streams.values()) {
                Checkpoint.Range r = b.ranges().get(s.name());
                if (r != null) s.source().commit(r.end());
            }
            record(b.batchId(), b.ranges(), b.watermark(), p, t0, tCommit);
        }
    }

    /** What one batch read, computed and wrote. */
    private record Processed(Map<String, Long> newMax, long in, long out, int bad, long tRead, long tRun, long written) {}

    /**
     * Reads the ranges, runs the incremental plan and writes the change to the sink under
     * {@code sinkBatch} (unless the sink has it already); commits nothing.
     */
    private Processed process(long sinkBatch, Map<String, Checkpoint.Range> ranges, long watermark, QueryMemory mem) {
        Map<String, IncrementalExecutor.StreamRows> rows = new LinkedHashMap<>();
        long in = 0;
        List<BadRecord> bad = new ArrayList<>();
        Map<String, Long> newMax = new LinkedHashMap<>(maxEventTime);
        for (Map.Entry<String, Checkpoint.Range> e : ranges.entrySet()) {
            StreamDefinition s = streams.get(e.getKey());
            Checkpoint.Range r = e.getValue();
            if (r.start().isPresent() && r.start().get().equals(r.end())) continue;
            List<Integer> columns = columnsRead(s);
            SourceBatch sb = s.source().read(r.start(), r.end(), mem, columns);
            if (!sb.badRecords().isEmpty()) {
                if (s.badRecords() == BadRecordPolicy.FAIL) {
                    BadRecord first = sb.badRecords().getFirst();
                    throw new KilnException(sb.badRecords().size() + " bad record" + (sb.badRecords().size() > 1 ? "s" : "") + " in stream '" + s.name()
                            + "' (batch " + sinkBatch + "), the first at " + first.where() + ": " + first.reason()
                            + "; fix the data, or route such records aside with onBadRecords(BadRecordPolicy.DEAD_LETTER)");
                }
                bad.addAll(sb.badRecords());
            }
            rows.put(s.name(), new IncrementalExecutor.StreamRows(columns, sb.batches()));
            in += sb.rowCount();
            if (s.eventTime().isPresent()) {
                long max = maxTimestamp(sb.batches(), columns.indexOf(s.eventTime().getAsInt()));
                if (max != Long.MIN_VALUE) newMax.merge(s.name(), max, Math::max);
            }
        }
        long tRead = System.nanoTime();
        List<Batch> change = executor.run(rows, watermark, mem);
        ChangeBatch out = changes.convert(sinkBatch, change, mem);
        if (!bad.isEmpty()) checkpoint.deadLetter(sinkBatch, bad);
        long tRun = System.nanoTime();
        if (sink.lastWrittenBatch() < sinkBatch) sink.write(out);
        long written = System.nanoTime();
        return new Processed(newMax, in, out.upsertCount() + out.deleteCount(), bad.size(), tRead, tRun, written);
    }

    /** After a batch: where the sources stand, the event times seen, the watermark used. */
    private void advance(Map<String, Checkpoint.Range> ranges, Map<String, Long> newMax, long watermark) {
        maxEventTime.putAll(newMax);
        for (Map.Entry<String, Checkpoint.Range> e : ranges.entrySet()) committedEnd.put(e.getKey(), e.getValue().end());
        lastWatermark = watermark;
    }

    private void record(long batchId, Map<String, Checkpoint.Range> ranges, long watermark, Processed p, long t0, long tCommit) {
        Map<String, String> ends = new LinkedHashMap<>();
        ranges.forEach((s, r) -> ends.put(s, r.end().text()));
        StreamingProgress entry = new StreamingProgress(batchId, p.in(), p.out(), System.nanoTime() - t0, executor.stateRows(), watermark, executor.lateRows(), p.bad(), ends,
                p.written(), new StreamingProgress.Phases(p.tRead() - t0, p.tRun() - p.tRead(), p.written() - p.tRun(), tCommit - p.written()));
        synchronized (progress) {
            if (progress.size() >= MAX_PROGRESS) progress.removeFirst();
            progress.addLast(entry);
            for (var l : listeners) l.accept(entry);
        }
    }

    /**
     * Calls {@code listener} with every batch's progress from now on, on the query's thread right
     * after the batch (so it must be quick: a continuous query makes thousands a second), after
     * first giving it the entries still kept (the newest {@value #MAX_PROGRESS}): a listener added
     * right after the query started misses nothing. An exception it throws stops the query as its
     * failure (the batch it reports on is already in the sink).
     */
    public void addProgressListener(java.util.function.Consumer<StreamingProgress> listener) {
        synchronized (progress) {
            for (StreamingProgress p : progress) listener.accept(p);
            listeners.add(listener);
        }
    }

    /**
     * The continuous trigger: records are processed as soon as a source has them, in tiny batches
     * through the same compiled pipelines, each written to the sink at once (under its own,
     * increasing sink batch id); offsets and state are checkpointed once per epoch. After a crash
     * the query resumes from the last epoch: UPDATE and COMPLETE results come out exactly as before
     * (the same rows rewritten by key), APPEND rows of the epoch in progress may be written again
     * (at least once, as Spark's continuous processing).
     */
    private void runContinuous(Trigger.Continuous c) throws InterruptedException {
        long epochNanos = c.checkpointInterval().toNanos();
        long sinkBatch = Math.max(nextBatch, sink.lastWrittenBatch() + 1);
        Map<String, SourceOffset> epochStart = new LinkedHashMap<>(committedEnd);
        long epochWatermark = lastWatermark;
        long epochBegan = System.nanoTime();
        boolean dirty = false;
        long idleSpins = 0;
        // one query memory for all tiny batches, emptied after each (closing one per batch was a thread handshake per batch)
        try (QueryMemory mem = new QueryMemory(memoryBudget)) {
            while (!stopRequested) {
                long watermark = watermark();
                Map<String, Checkpoint.Range> ranges = new LinkedHashMap<>();
                boolean data = false;
                for (Map.Entry<String, SourceOffset> e : capped(latest()).entrySet()) {
                    Optional<SourceOffset> start = Optional.ofNullable(committedEnd.get(e.getKey()));
                    if (start.isEmpty() || !start.get().equals(e.getValue())) data = true;
                    ranges.put(e.getKey(), new Checkpoint.Range(start, e.getValue()));
                }
                boolean closes = IncrementalPlan.aggregations(plan.root()) > 0 && watermark > lastWatermark;
                if (data || closes) {
                    long t0 = System.nanoTime();
                    try {
                        Processed p = process(sinkBatch, ranges, watermark, mem);
                        advance(ranges, p.newMax(), watermark);
                        record(sinkBatch, ranges, watermark, p, t0, p.written());
                    } finally {
                        mem.releaseAll();
                    }
                    sinkBatch++;
                    dirty = true;
                    idleSpins = 0;
                } else if (idleSpins++ > 1000) {
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000); // idle for a while: poll less often
                } else {
                    Thread.onSpinWait();
                }
                if (dirty && System.nanoTime() - epochBegan >= epochNanos) {
                    epochCheckpoint(epochStart, epochWatermark);
                    epochStart = new LinkedHashMap<>(committedEnd);
                    epochWatermark = lastWatermark;
                    epochBegan = System.nanoTime();
                    dirty = false;
                }
            }
        }
        if (dirty) epochCheckpoint(epochStart, epochWatermark);
        checkpoint.awaitWrites();
    }

    /** Logs the epoch's offsets and commits state and the epoch, as a micro-batch commits its batch. */
    private void epochCheckpoint(Map<String, SourceOffset> start, long watermark) {
        Map<String, Checkpoint.Range> ranges = new LinkedHashMap<>();
        committedEnd.forEach((s, end) -> ranges.put(s, new Checkpoint.Range(Optional.ofNullable(start.get(s)), end)));
        Checkpoint.BatchOffsets epoch = new Checkpoint.BatchOffsets(nextBatch, ranges, watermark);
        nextBatch++;
        // the disk writes go to a background thread: records keep flowing while they are forced
        checkpoint.commitInBackground(epoch, maxEventTime, () -> {
            for (Map.Entry<String, Checkpoint.Range> e : ranges.entrySet()) streams.get(e.getKey()).source().commit(e.getValue().end());
        });
    }

    /** The columns of a stream the plan reads, and its event time (the watermark follows it). */
    private List<Integer> columnsRead(StreamDefinition s) {
        java.util.SortedSet<Integer> cols = new java.util.TreeSet<>(readColumns.getOrDefault(s.name(), new java.util.TreeSet<>()));
        s.eventTime().ifPresent(cols::add);
        return List.copyOf(cols);
    }

    /** The largest non-NULL value of a TIMESTAMP column over the batches (a plain loop over the values when there is no NULL). */
    private static long maxTimestamp(List<Batch> batches, int column) {
        long max = Long.MIN_VALUE;
        for (Batch b : batches) {
            var v = b.column(column);
            int n = b.rowCount();
            if (v.hasNulls()) {
                for (int r = 0; r < n; r++) if (!v.isNull(r)) max = Math.max(max, v.getLong(r));
            } else {
                java.lang.foreign.MemorySegment values = v.values();
                for (long at = 0, end = (long) n * 8; at < end; at += 8) max = Math.max(max, values.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, at));
            }
        }
        return max;
    }

    /** Waits until the query stops (AVAILABLE_NOW: when all data is processed); rethrows its failure. */
    public void awaitTermination() throws InterruptedException {
        finished.await();
        rethrow();
    }

    /** Waits at most {@code timeout}; true if the query stopped. */
    public boolean awaitTermination(java.time.Duration timeout) throws InterruptedException {
        boolean done = finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (done) rethrow();
        return done;
    }

    /** Blocks until every row the sources hold now has been processed and committed (tests, tools). */
    public void processAllAvailable() throws InterruptedException {
        Map<String, SourceOffset> target = latest();
        while (true) {
            rethrow();
            if (finished.getCount() == 0) return;
            boolean done = true;
            for (Map.Entry<String, SourceOffset> e : target.entrySet()) {
                SourceOffset c = committedEndSnapshot(e.getKey());
                if (c == null) done = false;
                else if (isCount(c) && isCount(e.getValue())) done &= c.asLong() >= e.getValue().asLong();
                else done &= e.getValue().equals(c);
            }
            if (done) return;
            Thread.sleep(2);
        }
    }

    private SourceOffset committedEndSnapshot(String stream) {
        return committedEnd.get(stream);
    }

    private void rethrow() {
        Throwable f = failure;
        if (f == null) return;
        if (f instanceof KilnException k) throw new KilnException("streaming query '" + name + "' failed: " + k.getMessage(), k);
        throw new KilnException("streaming query '" + name + "' failed: " + f, f);
    }

    public boolean isActive() {
        return finished.getCount() > 0;
    }

    /** The failure that stopped the query, if one did. */
    public Optional<Throwable> exception() {
        return Optional.ofNullable(failure);
    }

    /** The newest progress entries, at most {@value #MAX_PROGRESS} (every one: {@link #addProgressListener}). */
    public List<StreamingProgress> recentProgress() {
        synchronized (progress) {
            return List.copyOf(progress);
        }
    }

    public Optional<StreamingProgress> lastProgress() {
        synchronized (progress) {
            return progress.isEmpty() ? Optional.empty() : Optional.of(progress.getLast());
        }
    }

    /** Notes of the recovery (a discarded half-written checkpoint file, ...). */
    public List<String> recoveryNotes() {
        return List.copyOf(notes);
    }

    /** Asks the query to stop after its current batch and waits for it. */
    public void stop() throws InterruptedException {
        stopRequested = true;
        Thread t = thread;
        if (t != null) t.join();
        close();
    }

    private boolean closed;

    /** Stops the query (after its current batch) and releases its state, checkpoint files and sink; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        stopRequested = true;
        if (thread != null && thread.isAlive() && thread != Thread.currentThread()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        executor.close();
        checkpoint.close();
        sink.close();
        if (ownsCheckpoint) dev.kiln.connectors.LocalServers.deleteTree(checkpoint.directory());
    }

    /** The result's columns, as the sink gets them. */
    public Schema schema() {
        return changes.schema();
    }
}
