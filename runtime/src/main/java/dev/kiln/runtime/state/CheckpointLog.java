package dev.kiln.runtime.state;

import dev.kiln.ir.KilnException;
import dev.kiln.runtime.state.LogFile.Bad;
import dev.kiln.runtime.state.LogFile.Missing;
import dev.kiln.runtime.state.LogFile.Ok;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The write-ahead log of a streaming query's checkpoint directory, laid out as Spark Structured
 * Streaming's:
 *
 * <pre>
 * metadata        the query's id, written once
 * offsets/&lt;b&gt;     the source offsets batch b reads, logged before b runs
 * commits/&lt;b&gt;     logged after batch b's output and state are durable
 * state/...       the operators' {@link StateStore}s (not managed here)
 * </pre>
 *
 * Each entry is written atomically and checksummed ({@link LogFile}). The order of a batch
 * (offsets, then output and state, then commit) is what makes recovery exact: a batch with
 * offsets but no commit is re-run with exactly those offsets, and state is restored at the
 * version of the last commit. Not thread-safe: the engine's driver thread owns it.
 */
public final class CheckpointLog {
    private static final String OFFSETS = "offsets";
    private static final String COMMIT = "commit";
    private static final String METADATA = "metadata";
    private static final String CORRUPT_SUFFIX = ".corrupt";

    /** One log entry: a batch id and its text. */
    public record Entry(long batchId, String content) {}

    private final Path root;
    private final Path offsets;
    private final Path commits;
    private final UUID queryId;

    private CheckpointLog(Path root, UUID queryId) {
        this.root = root;
        this.offsets = root.resolve("offsets");
        this.commits = root.resolve("commits");
        this.queryId = queryId;
    }

    /** Opens the checkpoint directory {@code root}, creating it (and the query id) if new. */
    public static CheckpointLog open(Path root) {
        Objects.requireNonNull(root, "root");
        Path meta = root.resolve("metadata");
        try {
            Files.createDirectories(root.resolve("offsets"));
            Files.createDirectories(root.resolve("commits"));
            UUID id = switch (LogFile.read(meta, METADATA, -1)) {
                case Ok ok -> parseId(meta, ok.content());
                case Bad bad -> throw new CheckpointException(meta, "checkpoint metadata " + meta + " " + bad.problem()
                        + "; the query id is lost. Restore the file from a backup, or restart the query with a new checkpoint directory");
                case Missing m -> {
                    UUID fresh = UUID.randomUUID();
                    LogFile.write(meta, METADATA, -1, "id=" + fresh + "\n");
                    yield fresh;
                }
            };
            return new CheckpointLog(root, id);
        } catch (IOException e) {
            throw new KilnException("cannot set up the checkpoint directory " + root + ": " + e + "; check that it is writable", e);
        }
    }

    private static UUID parseId(Path meta, String content) {
        for (String line : content.split("\n")) {
            if (!line.startsWith("id=")) continue;
            try {
                return UUID.fromString(line.substring(3).trim());
            } catch (IllegalArgumentException e) {
                break;
            }
        }
        throw new CheckpointException(meta, "checkpoint metadata " + meta + " has no valid id=<uuid> line; restore it from a backup, or restart the query with a new checkpoint directory");
    }

    public UUID queryId() {
        return queryId;
    }

    public Path root() {
        return root;
    }

    // ---- offsets ----

    /**
     * Logs the offsets of batch {@code batchId} before it runs; it must be the batch after the last
     * committed one. Logging the same content again is a no-op (a re-run batch); different content
     * for a batch already logged is refused: a batch that may have run must re-run with exactly its offsets.
     */
    public void writeOffsets(long batchId, String content) {
        Objects.requireNonNull(content, "content");
        long next = lastCommitted() + 1;
        if (batchId != next) {
            throw new IllegalStateException("cannot log the offsets of batch " + batchId + " in " + root + ": the last committed batch is "
                    + (next - 1) + ", so the next batch is " + next);
        }
        Optional<String> logged = readOffsets(batchId);
        if (logged.isPresent()) {
            if (logged.get().equals(content)) return;
            throw new IllegalStateException("batch " + batchId + " already has offsets logged in " + offsetsFile(batchId) + " (" + abbreviate(logged.get())
                    + "), different from " + abbreviate(content) + "; a batch that may have run must be re-run with exactly its logged offsets (recover() returns them)");
        }
        write(offsetsFile(batchId), OFFSETS, batchId, content);
    }

    /** The offsets logged for {@code batchId}, if any. */
    public Optional<String> readOffsets(long batchId) {
        return read(offsetsFile(batchId), OFFSETS, batchId, "offsets log entry");
    }

    /** The newest offsets entry (of a committed batch, or of the one after it). */
    public Optional<Entry> latestOffsets() {
        TreeSet<Long> ids = ids(offsets);
        if (ids.isEmpty()) return Optional.empty();
        long id = ids.last();
        return readOffsets(id).map(c -> new Entry(id, c));
    }

    // ---- commits ----

    /** Logs that batch {@code batchId} (the one after the last committed, with offsets logged) is durable: output and state. */
    public void writeCommit(long batchId, String content) {
        Objects.requireNonNull(content, "content");
        long next = lastCommitted() + 1;
        if (batchId != next) {
            throw new IllegalStateException("cannot commit batch " + batchId + " in " + root + ": the last committed batch is "
                    + (next - 1) + ", so the next to commit is " + next);
        }
        if (readOffsets(batchId).isEmpty()) {
            throw new IllegalStateException("cannot commit batch " + batchId + ": it has no offsets logged in " + offsetsFile(batchId)
                    + "; log them with writeOffsets before the batch runs");
        }
        write(commitFile(batchId), COMMIT, batchId, content);
    }

    public Optional<String> readCommit(long batchId) {
        return read(commitFile(batchId), COMMIT, batchId, "commit log entry");
    }

    public Optional<Entry> latestCommit() {
        TreeSet<Long> ids = ids(commits);
        if (ids.isEmpty()) return Optional.empty();
        long id = ids.last();
        return readCommit(id).map(c -> new Entry(id, c));
    }

    // ---- recovery ----

    /**
     * Where to resume after a restart. The last commit and its offsets must be intact (else a
     * {@link CheckpointException} names the file: without them the query cannot know what it
     * already did). An offsets entry of the next batch that is damaged was never acted on
     * durably, since its batch never committed: it is moved aside to {@code <b>.corrupt} and
     * reported in {@link RecoveryPoint#notes}, and the batch is planned afresh.
     */
    public RecoveryPoint recover() {
        List<String> notes = new ArrayList<>();
        deleteTemps(offsets);
        deleteTemps(commits);
        long last = lastCommitted();
        Optional<String> committedOffsets = Optional.empty();
        if (last >= 0) {
            Path cf = commitFile(last);
            if (LogFile.read(cf, COMMIT, last) instanceof Bad bad) {
                throw new CheckpointException(cf, "commit log entry " + cf + " " + bad.problem() + "; batch " + last
                        + " may have completed, so the query cannot tell where to resume. Restore the file from a backup, or restart the query with a new checkpoint directory");
            }
            Path of = offsetsFile(last);
            committedOffsets = Optional.of(switch (LogFile.read(of, OFFSETS, last)) {
                case Ok ok -> ok.content();
                case Bad bad -> throw committedOffsetsLost(of, last, bad.problem());
                case Missing m -> throw committedOffsetsLost(of, last, "is missing");
            });
        }
        Optional<String> pending = Optional.empty();
        for (long id : ids(offsets).tailSet(last + 1)) {
            Path f = offsetsFile(id);
            if (id > last + 1) {
                throw new CheckpointException(f, "offsets log entry " + f + " is for batch " + id + ", but the last committed batch is " + last
                        + ": batch " + (last + 1) + " must commit before batch " + id + " can run. The checkpoint directory " + root
                        + " is inconsistent (were files deleted or copied by hand?)");
            }
            switch (LogFile.read(f, OFFSETS, id)) {
                case Ok ok -> pending = Optional.of(ok.content());
                case Missing m -> { } // deleted meanwhile
                case Bad bad -> {
                    Path aside = f.resolveSibling(id + CORRUPT_SUFFIX);
                    try {
                        Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                        Durable.syncDirectory(offsets);
                    } catch (IOException e) {
                        throw new KilnException("cannot move the damaged offsets log entry " + f + " aside: " + e, e);
                    }
                    notes.add("offsets log entry " + f + " " + bad.problem() + "; batch " + id + " never committed, so nothing durable came of it: moved the file to "
                            + aside.getFileName() + " and batch " + id + " will be planned afresh");
                }
            }
        }
        return new RecoveryPoint(last, committedOffsets, pending, notes);
    }

    private CheckpointException committedOffsetsLost(Path of, long batch, String problem) {
        return new CheckpointException(of, "offsets log entry " + of + " of committed batch " + batch + " " + problem
                + "; the next batch cannot know where its input starts. Restore the file from a backup, or restart the query with a new checkpoint directory");
    }

    /**
     * Deletes the entries of batches before {@code keepFromBatchId}; the last commit and its
     * offsets always stay (recovery starts from them), as does anything newer.
     */
    public void purge(long keepFromBatchId) {
        long keep = Math.min(keepFromBatchId, lastCommitted());
        try {
            for (Path dir : List.of(offsets, commits)) {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        String name = p.getFileName().toString();
                        long id = batchOf(name.endsWith(CORRUPT_SUFFIX) ? name.substring(0, name.length() - CORRUPT_SUFFIX.length()) : name);
                        if (id >= 0 && id < keep) Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new KilnException("cannot delete old log entries in " + root + ": " + e, e);
        }
    }

    // ---- files ----

    private long lastCommitted() {
        TreeSet<Long> ids = ids(commits);
        return ids.isEmpty() ? -1 : ids.last();
    }

    private Path offsetsFile(long batchId) {
        return offsets.resolve(Long.toString(batchId));
    }

    private Path commitFile(long batchId) {
        return commits.resolve(Long.toString(batchId));
    }

    private static Optional<String> read(Path file, String kind, long batchId, String what) {
        return switch (LogFile.read(file, kind, batchId)) {
            case Ok ok -> Optional.of(ok.content());
            case Missing m -> Optional.empty();
            case Bad bad -> throw new CheckpointException(file, what + " " + file + " " + bad.problem()
                    + "; run recover() first, which discards a damaged entry of a batch that never committed and names any other");
        };
    }

    private static void write(Path file, String kind, long batchId, String content) {
        try {
            LogFile.write(file, kind, batchId, content);
        } catch (IOException e) {
            throw new KilnException("cannot write the " + kind + " log entry " + file + ": " + e + "; free disk space or check the checkpoint directory's permissions", e);
        }
    }

    /** The batch ids that have entries in {@code dir} (names other than plain numbers ignored). */
    private static TreeSet<Long> ids(Path dir) {
        TreeSet<Long> ids = new TreeSet<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                long id = batchOf(p.getFileName().toString());
                if (id >= 0) ids.add(id);
            }
        } catch (IOException e) {
            throw new KilnException("cannot list the checkpoint log " + dir + ": " + e, e);
        }
        return ids;
    }

    private static long batchOf(String name) {
        if (name.isEmpty() || name.length() > 18) return -1;
        for (int i = 0; i < name.length(); i++) if (name.charAt(i) < '0' || name.charAt(i) > '9') return -1;
        return Long.parseLong(name);
    }

    private static void deleteTemps(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) if (p.getFileName().toString().endsWith(Durable.TEMP_SUFFIX)) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new KilnException("cannot clean up " + dir + ": " + e, e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? "'" + s + "'" : "'" + s.substring(0, 60) + "...'";
    }
}
