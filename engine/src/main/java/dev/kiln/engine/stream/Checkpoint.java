package dev.kiln.engine.stream;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.stream.DeltaPrinter;
import dev.kiln.ir.stream.IncrementalPlan;
import dev.kiln.runtime.state.CheckpointLog;
import dev.kiln.runtime.state.RecoveryPoint;
import dev.kiln.runtime.state.StateStore;
import dev.kiln.runtime.stream.BadRecord;
import dev.kiln.runtime.stream.SourceOffset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A streaming query's checkpoint directory: {@code offsets/} and {@code commits/} (the
 * write-ahead and commit logs, {@link CheckpointLog}), {@code state/<operator>/} (each stateful
 * operator's {@link StateStore}, snapshots plus deltas), {@code dead-letter/} (bad records per
 * batch) and {@code query.txt} (the incremental plan it was written by: a different query cannot
 * resume from it).
 *
 * <p>An offsets entry is lines of {@code watermark <micros|none>} and
 * {@code source <stream>\t<start|->\t<end>}; a commit entry lines of
 * {@code maxEventTime <stream>\t<micros>} - what the next batch's watermark is computed from.
 */
final class Checkpoint implements AutoCloseable {
    /** Offsets past {@code start} up to {@code end} (start empty: from the beginning). */
    record Range(Optional<SourceOffset> start, SourceOffset end) {}

    record BatchOffsets(long batchId, Map<String, Range> ranges, long watermark) {}

    /** @param lastWatermark the watermark the last committed batch ran with (Long.MIN_VALUE: none) */
    record Recovery(long lastCommitted, Map<String, SourceOffset> ends, Map<String, Long> maxEventTime, long lastWatermark, Optional<BatchOffsets> pending,
                    List<String> notes) {}

    private static final int KEEP_BATCHES = 100;

    private final Path dir;
    private final CheckpointLog log;
    private final List<StateStore> stores = new ArrayList<>();

    private Checkpoint(Path dir, CheckpointLog log) {
        this.dir = dir;
        this.log = log;
    }

    /**
     * @param how the trigger kind and output mode, which a restart must keep (their logs and sink
     *            batch ids differ)
     */
    static Checkpoint open(Path dir, IncrementalPlan plan, String how) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new KilnException("cannot create the checkpoint directory " + dir + ": " + e.getMessage(), e);
        }
        Path query = dir.resolve("query.txt");
        String text = how + "\n" + DeltaPrinter.print(plan);
        if (Files.exists(query)) {
            String old;
            try {
                old = Files.readString(query, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new KilnException("cannot read " + query + ": " + e.getMessage(), e);
            }
            if (!old.equals(text)) {
                throw new KilnException("the checkpoint " + dir + " was written by a different query (or the same with another trigger or output mode); "
                        + "its state does not fit this one. Use a new checkpoint directory (or the old query). The checkpoint's query:\n" + old);
            }
        } else {
            write(query, text);
        }
        return new Checkpoint(dir, CheckpointLog.open(dir));
    }

    Path directory() {
        return dir;
    }

    Recovery recover() {
        RecoveryPoint rp = log.recover();
        Map<String, SourceOffset> ends = new LinkedHashMap<>();
        Map<String, Long> max = new LinkedHashMap<>();
        long lastWatermark = Long.MIN_VALUE;
        if (rp.lastCommittedBatch() >= 0) {
            BatchOffsets committed = parseOffsets(rp.lastCommittedBatch(), rp.committedOffsets().orElseThrow());
            lastWatermark = committed.watermark();
            committed.ranges().forEach((s, r) -> ends.put(s, r.end()));
            String commit = log.readCommit(rp.lastCommittedBatch()).orElseThrow();
            for (String line : commit.split("\n")) {
                if (line.isBlank()) continue;
                String[] f = fields(line, "maxEventTime ", 2, rp.lastCommittedBatch());
                max.put(f[0], Long.parseLong(f[1]));
            }
        }
        Optional<BatchOffsets> pending = rp.pendingOffsets().map(o -> parseOffsets(rp.nextBatch(), o));
        return new Recovery(rp.lastCommittedBatch(), ends, max, lastWatermark, pending, rp.notes());
    }

    private BatchOffsets parseOffsets(long batchId, String text) {
        Map<String, Range> ranges = new LinkedHashMap<>();
        long watermark = Long.MIN_VALUE;
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            if (line.startsWith("watermark ")) {
                String w = line.substring("watermark ".length()).trim();
                watermark = w.equals("none") ? Long.MIN_VALUE : Long.parseLong(w);
            } else {
                String[] f = fields(line, "source ", 3, batchId);
                ranges.put(f[0], new Range(f[1].equals("-") ? Optional.empty() : Optional.of(new SourceOffset(f[1])), new SourceOffset(f[2])));
            }
        }
        return new BatchOffsets(batchId, ranges, watermark);
    }

    private String[] fields(String line, String prefix, int n, long batchId) {
        String[] f = line.startsWith(prefix) ? line.substring(prefix.length()).split("\t") : new String[0];
        if (f.length != n) throw new KilnException("checkpoint " + dir + ", batch " + batchId + ": cannot read the log line '" + line + "'; was the file edited?");
        return f;
    }

    void logOffsets(BatchOffsets b) {
        StringBuilder sb = new StringBuilder("watermark ").append(b.watermark() == Long.MIN_VALUE ? "none" : Long.toString(b.watermark())).append('\n');
        b.ranges().forEach((s, r) -> sb.append("source ").append(s).append('\t').append(r.start().map(SourceOffset::text).orElse("-"))
                .append('\t').append(r.end().text()).append('\n'));
        log.writeOffsets(b.batchId(), sb.toString());
    }

    /** Operator {@code id}'s state at {@code version} (0: empty). */
    KeyedState state(String id, long version) {
        StateStore s = StateStore.open(dir.resolve("state").resolve(id), version);
        stores.add(s);
        return new Store(s);
    }

    /** Writes the batch's bad records (again, identically, if the batch runs again). */
    void deadLetter(long batchId, List<BadRecord> bad) {
        StringBuilder sb = new StringBuilder();
        for (BadRecord r : bad) sb.append(r.where()).append('\t').append(r.reason().replace('\n', ' ')).append('\t').append(r.text().replace('\n', ' ')).append('\n');
        write(dir.resolve("dead-letter").resolve(batchId + ".txt"), sb.toString());
    }

    /** Commits every operator's state as version batch + 1, then the batch in the commit log. */
    void commit(BatchOffsets b, Map<String, Long> maxEventTime) {
        long version = b.batchId() + 1;
        for (StateStore s : stores) s.commit(version);
        StringBuilder sb = new StringBuilder();
        maxEventTime.forEach((s, t) -> sb.append("maxEventTime ").append(s).append('\t').append(t).append('\n'));
        log.writeCommit(b.batchId(), sb.toString());
        if (b.batchId() % KEEP_BATCHES == 0 && b.batchId() > 0) {
            log.purge(b.batchId() - KEEP_BATCHES);
            for (StateStore s : stores) s.cleanup(version - KEEP_BATCHES);
        }
    }

    /** Writes the continuous trigger's epoch checkpoints in order, off the processing thread. */
    private java.util.concurrent.ExecutorService writer;
    private volatile RuntimeException writeFailure;

    /**
     * As {@link #commit}, with the disk writes (offsets log entry, state files, commit log entry,
     * each forced to disk) done in order on a background thread, so that records keep flowing
     * meanwhile: the state's bytes are taken now. {@code then} runs after the commit is durable.
     * A failed write fails the next call (and {@link #close}).
     */
    void commitInBackground(BatchOffsets b, Map<String, Long> maxEventTime, Runnable then) {
        if (writeFailure != null) throw writeFailure;
        long version = b.batchId() + 1;
        List<StateStore.Deferred> writes = new ArrayList<>();
        for (StateStore s : stores) writes.add(s.prepareCommit(version));
        Map<String, Long> max = new LinkedHashMap<>(maxEventTime);
        if (writer == null) writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kiln-checkpoint-" + dir.getFileName());
            t.setDaemon(true);
            return t;
        });
        writer.execute(() -> {
            if (writeFailure != null) return;
            try {
                logOffsets(b);
                for (StateStore.Deferred w : writes) w.write();
                StringBuilder sb = new StringBuilder();
                max.forEach((s, t) -> sb.append("maxEventTime ").append(s).append('\t').append(t).append('\n'));
                log.writeCommit(b.batchId(), sb.toString());
                then.run();
            } catch (RuntimeException e) {
                writeFailure = e;
            }
        });
    }

    /** Waits for the background checkpoint writes; rethrows their failure. */
    void awaitWrites() {
        if (writer != null) {
            writer.shutdown();
            try {
                if (!writer.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES)) throw new KilnException("checkpoint writes to " + dir + " did not finish in 5 minutes");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writer = null;
        }
        if (writeFailure != null) throw writeFailure;
    }

    /** A file of the checkpoint, complete and on disk or not at all. */
    private static void write(Path file, String text) {
        try {
            dev.kiln.runtime.state.Durable.writeFile(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new KilnException("cannot write " + file + ": " + e.getMessage() + "; check the checkpoint directory's space and permissions", e);
        }
    }

    @Override
    public void close() {
        try {
            awaitWrites();
        } finally {
            for (StateStore s : stores) s.close();
            stores.clear();
        }
    }

    /** A {@link StateStore} as an operator's state. */
    private record Store(StateStore s) implements KeyedState {
        public byte[] get(byte[] key) { return s.get(key); }
        public void put(byte[] key, byte[] value) { s.put(key, value); }
        public boolean remove(byte[] key) { return s.remove(key); }
        public long size() { return s.size(); }
        public void forEach(BiConsumer<byte[], byte[]> entry) { s.forEach(entry); }
        public void commit(long version) { s.commit(version); }
        public long bytes() { return s.offHeapBytes(); }
        public void close() { s.close(); }
    }
}
