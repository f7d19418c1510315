package dev.kiln.runtime.state;

import dev.kiln.ir.KilnException;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.state.CheckpointFile.Check;
import dev.kiln.runtime.state.CheckpointFile.Invalid;
import dev.kiln.runtime.state.CheckpointFile.Kind;
import dev.kiln.runtime.state.CheckpointFile.Valid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The durable key/value state of one stateful streaming operator (a streaming aggregation's
 * groups, a window's accumulators). Keys and values are byte strings; the operator serializes
 * its own keys and accumulators. Versions follow the micro-batches: after batch {@code b} the
 * operator calls {@link #commit}{@code (b + 1)}; version 0 is the empty store.
 *
 * <p>Data lives off the Java heap ({@link OffHeapTable}: an open-addressing index and an
 * append-only record area that is compacted as overwrites and removals free space). Its memory
 * comes from a {@link QueryMemory} the store owns, not from a query's: the state outlives every
 * micro-batch (each runs in its own QueryMemory), a QueryMemory can free single segments (an
 * {@code Arena} frees only all at once, so the index and record area could not give back their
 * old space as they grow and are compacted), and it gives the state its own budget and the
 * checked mode in which a use after free throws.
 *
 * <p>On disk, one directory per operator holds {@code <v>.delta} for every committed version
 * {@code v} and, every {@code snapshotInterval} versions, {@code <v>.snapshot} too (format in
 * {@link CheckpointFile}). {@link #open} restores a version from the newest usable snapshot at or
 * below it plus the deltas after it; a damaged snapshot falls back to an older one, and what
 * cannot be restored exactly is an error naming the file, never a silently different state.
 *
 * <p>Not thread-safe: one operator task owns a store.
 */
public final class StateStore implements AutoCloseable {
    public static final int DEFAULT_SNAPSHOT_INTERVAL = 10;
    private static final Pattern FILE_NAME = Pattern.compile("(\\d+)\\.(delta|snapshot)");

    /**
     * @param snapshotInterval a full snapshot every this many versions (1 = every version); the
     *                         deltas in between make a commit cost what changed, not the state's size
     * @param memoryBudget     the most off-heap bytes the store may use
     */
    public record Options(int snapshotInterval, long memoryBudget) {
        public static final Options DEFAULT = new Options(DEFAULT_SNAPSHOT_INTERVAL, Long.MAX_VALUE);

        public Options {
            if (snapshotInterval < 1) throw new IllegalArgumentException("snapshot interval must be at least 1, not " + snapshotInterval);
            if (memoryBudget <= 0) throw new IllegalArgumentException("state memory budget must be positive, not " + memoryBudget);
        }

        public Options withSnapshotInterval(int n) {
            return new Options(n, memoryBudget);
        }

        public Options withMemoryBudget(long bytes) {
            return new Options(snapshotInterval, bytes);
        }
    }

    private final Path dir;
    private final Options options;
    private final QueryMemory mem;
    private final OffHeapTable table;
    private final List<String> restoreNotes = new ArrayList<>();
    private long version;
    private boolean closed;

    private StateStore(Path dir, Options options, long version) {
        this.dir = dir;
        this.options = options;
        this.version = version;
        this.mem = new QueryMemory(options.memoryBudget());
        try {
            this.table = new OffHeapTable(mem);
        } catch (RuntimeException e) {
            mem.close();
            throw e;
        }
    }

    /** The store of {@code dir} at {@code version} (0: empty), with the default options. */
    public static StateStore open(Path dir, long version) {
        return open(dir, version, Options.DEFAULT);
    }

    /**
     * The store of {@code dir} exactly as it was committed at {@code version}. Files of later
     * versions (left by a batch that never committed) are ignored here and replaced when those
     * versions are committed again.
     *
     * @throws CheckpointException if a file that every way to {@code version} needs is missing, truncated or corrupted
     */
    public static StateStore open(Path dir, long version, Options options) {
        Objects.requireNonNull(dir, "dir");
        if (version < 0) throw new IllegalArgumentException("state version must be 0 or more, not " + version);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new KilnException("cannot create the state directory " + dir + ": " + e.getMessage(), e);
        }
        StateStore store = new StateStore(dir, options, version);
        try {
            if (version > 0) store.restore();
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private void restore() {
        Listing files = list(dir);
        List<Long> bases = new ArrayList<>(files.snapshots.headMap(version, true).descendingKeySet());
        bases.add(0L); // the empty store: every delta from 1 on
        List<Invalid> skipped = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            for (long base : bases) {
                List<Valid> chain = new ArrayList<>();
                if (base > 0) {
                    Check c = CheckpointFile.check(files.snapshots.get(base), base, Kind.SNAPSHOT, arena);
                    if (c instanceof Invalid bad) { // an older snapshot plus more deltas may still reach the version
                        skipped.add(bad);
                        continue;
                    }
                    chain.add((Valid) c);
                }
                for (long v = base + 1; v <= version; v++) {
                    Path p = files.deltas.getOrDefault(v, dir.resolve(Kind.DELTA.fileName(v)));
                    Check c = CheckpointFile.check(p, v, Kind.DELTA, arena);
                    // every older base needs this delta too: nothing is left to fall back to
                    if (c instanceof Invalid bad) throw unrestorable(bad, skipped);
                    chain.add((Valid) c);
                }
                for (Valid f : chain) CheckpointFile.apply(f, table);
                table.committed();
                String from = base == 0 ? "the deltas from version 1 on" : Kind.SNAPSHOT.fileName(base) + " and the deltas after it";
                for (Invalid bad : skipped) restoreNotes.add("state checkpoint " + bad.describe() + "; restored version " + version + " from " + from + " instead");
                return;
            }
        }
        throw new IllegalStateException("unreachable: the empty base always ends the search");
    }

    private CheckpointException unrestorable(Invalid bad, List<Invalid> skipped) {
        StringBuilder msg = new StringBuilder("state checkpoint ").append(bad.describe())
                .append("; the checkpoint cannot be restored to version ").append(version);
        if (!skipped.isEmpty()) {
            msg.append(" (the newer snapshots that would not need it are unusable too: ");
            for (int i = 0; i < skipped.size(); i++) msg.append(i > 0 ? "; " : "").append(skipped.get(i).describe());
            msg.append(")");
        }
        msg.append(". Restore the file from a backup, or restart the query with a new checkpoint directory");
        return new CheckpointException(bad.file(), msg.toString());
    }

    // ---- data ----

    /** The value of {@code key}, or null. */
    public byte[] get(byte[] key) {
        checkOpen();
        return table.get(MemorySegment.ofArray(key), 0, key.length);
    }

    public void put(byte[] key, byte[] value) {
        checkOpen();
        Objects.requireNonNull(value, "value");
        table.put(MemorySegment.ofArray(key), 0, key.length, MemorySegment.ofArray(value), 0, value.length);
    }

    /** @return whether the key was there */
    public boolean remove(byte[] key) {
        checkOpen();
        return table.remove(MemorySegment.ofArray(key), 0, key.length);
    }

    public long size() {
        checkOpen();
        return table.size();
    }

    /** Off-heap bytes in use: index, records (live and not yet compacted) and the change list. */
    public long offHeapBytes() {
        checkOpen();
        return mem.used();
    }

    /** Every entry, in no particular order; {@code action} must not change the store. */
    public void forEach(BiConsumer<byte[], byte[]> action) {
        checkOpen();
        try {
            table.forEachLive((seg, ko, kl, vo, vl) -> action.accept(
                    seg.asSlice(ko, kl).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    seg.asSlice(vo, vl).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the visitor above does no I/O
        }
    }

    /**
     * Removes every entry whose key passes {@code keyTest} in one walk of the index (how an
     * operator evicts the windows a watermark closed); {@code removed}, if not null, sees each
     * removed entry's key and value first (to emit a closed window's final row). Neither callback
     * may change the store.
     *
     * @return how many entries were removed
     */
    public long removeIf(Predicate<byte[]> keyTest, BiConsumer<byte[], byte[]> removed) {
        checkOpen();
        return table.removeIf(keyTest, removed);
    }

    public long removeIf(Predicate<byte[]> keyTest) {
        return removeIf(keyTest, null);
    }

    // ---- versions ----

    /** The version this store holds: the one it was opened at or last committed. */
    public long version() {
        return version;
    }

    public Path directory() {
        return dir;
    }

    /** What {@link #open} skipped to restore (damaged snapshots it fell back from), for the engine's log. */
    public List<String> restoreNotes() {
        return List.copyOf(restoreNotes);
    }

    /**
     * Makes the current contents durable as {@code version}, which must be {@link #version()} + 1:
     * writes {@code <version>.delta} (and {@code <version>.snapshot} every snapshot interval),
     * each forced to disk and renamed into place. Files of this or later versions left by a run
     * that never committed them are deleted first. If this throws, the store is unchanged and
     * the commit can be tried again.
     */
    public void commit(long version) {
        checkOpen();
        if (version != this.version + 1) {
            throw new IllegalStateException("state store " + dir + " holds version " + this.version + ", so the next commit is version "
                    + (this.version + 1) + ", not " + version);
        }
        try {
            deleteStale(version);
            CheckpointFile.write(dir.resolve(Kind.DELTA.fileName(version)), version, Kind.DELTA, table::forEachDirty);
            if (version % options.snapshotInterval() == 0) {
                CheckpointFile.write(dir.resolve(Kind.SNAPSHOT.fileName(version)), version, Kind.SNAPSHOT, table::forEachLive);
            }
        } catch (IOException e) {
            throw new KilnException("cannot write state checkpoint version " + version + " to " + dir + ": " + e
                    + "; free disk space or check the checkpoint directory's permissions, then retry the batch", e);
        }
        table.committed();
        this.version = version;
    }

    /**
     * As {@link #commit}, split in two so that the disk writes can leave the caller's thread: this
     * makes the files' bytes now (the changes since the last commit, and a snapshot when one is
     * due) and moves the store to {@code version} at once; the returned action writes and forces
     * them, and must run before any later version's action (run them in order on one thread).
     * Until it has run, a crash leaves the files of the last version written, as for a commit
     * never made.
     */
    public Deferred prepareCommit(long version) {
        checkOpen();
        if (version != this.version + 1) {
            throw new IllegalStateException("state store " + dir + " holds version " + this.version + ", so the next commit is version "
                    + (this.version + 1) + ", not " + version);
        }
        byte[] delta;
        byte[] snapshot;
        try {
            delta = CheckpointFile.encode(dir.resolve(Kind.DELTA.fileName(version)), version, Kind.DELTA, table::forEachDirty);
            snapshot = version % options.snapshotInterval() == 0
                    ? CheckpointFile.encode(dir.resolve(Kind.SNAPSHOT.fileName(version)), version, Kind.SNAPSHOT, table::forEachLive) : null;
        } catch (IOException e) {
            throw new KilnException("cannot encode state checkpoint version " + version + " of " + dir + ": " + e, e);
        }
        table.committed();
        this.version = version;
        return () -> {
            try {
                deleteStale(version);
                CheckpointFile.writeBytes(dir.resolve(Kind.DELTA.fileName(version)), delta);
                if (snapshot != null) CheckpointFile.writeBytes(dir.resolve(Kind.SNAPSHOT.fileName(version)), snapshot);
            } catch (IOException e) {
                throw new KilnException("cannot write state checkpoint version " + version + " to " + dir + ": " + e
                        + "; free disk space or check the checkpoint directory's permissions, then restart the query", e);
            }
        };
    }

    /** The disk writes of a {@link #prepareCommit}. */
    @FunctionalInterface
    public interface Deferred {
        void write();
    }

    /** Deletes files of versions {@code >= from} (an abandoned run's) and stray temp files. */
    private void deleteStale(long from) throws IOException {
        Listing files = list(dir);
        for (Path p : files.deltas.tailMap(from, true).values()) Files.delete(p);
        for (Path p : files.snapshots.tailMap(from, true).values()) Files.delete(p);
        for (Path p : files.temps) Files.deleteIfExists(p);
    }

    /**
     * Deletes the files no restore of a version from {@code keepFromVersion} up to this store's
     * version needs: everything before the newest snapshot at or below {@code keepFromVersion}
     * (read back and checked first: a damaged one keeps the older files that can replace it).
     */
    public void cleanup(long keepFromVersion) {
        checkOpen();
        long keep = Math.min(keepFromVersion, version); // later files may be an abandoned run's
        Listing files = list(dir);
        try (Arena arena = Arena.ofConfined()) {
            for (var e : files.snapshots.headMap(keep, true).descendingMap().entrySet()) {
                if (CheckpointFile.check(e.getValue(), e.getKey(), Kind.SNAPSHOT, arena) instanceof Valid) {
                    long base = e.getKey();
                    for (Path p : files.snapshots.headMap(base, false).values()) Files.deleteIfExists(p);
                    for (Path p : files.deltas.headMap(base, true).values()) Files.deleteIfExists(p);
                    break;
                }
            }
            for (Path p : files.temps) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new KilnException("cannot delete old state checkpoint files in " + dir + ": " + e, e);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        mem.close();
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("state store " + dir + " is closed");
    }

    /** The checkpoint files of a directory by version. */
    private record Listing(NavigableMap<Long, Path> deltas, NavigableMap<Long, Path> snapshots, List<Path> temps) {}

    private static Listing list(Path dir) {
        Listing out = new Listing(new TreeMap<>(), new TreeMap<>(), new ArrayList<>());
        try (var stream = Files.list(dir)) {
            for (Path p : stream.toList()) {
                String name = p.getFileName().toString();
                Matcher m = FILE_NAME.matcher(name);
                if (m.matches()) {
                    long v;
                    try {
                        v = Long.parseLong(m.group(1));
                    } catch (NumberFormatException e) {
                        continue; // not a name this store writes
                    }
                    (m.group(2).equals("delta") ? out.deltas : out.snapshots).put(v, p);
                } else if (name.endsWith(Durable.TEMP_SUFFIX)) {
                    out.temps.add(p);
                }
            }
        } catch (IOException e) {
            throw new KilnException("cannot list the state directory " + dir + ": " + e, e);
        }
        return out;
    }
}
