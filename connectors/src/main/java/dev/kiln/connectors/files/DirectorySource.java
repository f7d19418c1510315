package dev.kiln.connectors.files;

import dev.kiln.connectors.TableAssembler;
import dev.kiln.connectors.csv.CsvRecordReader;
import dev.kiln.connectors.json.BadRecordPolicy;
import dev.kiln.connectors.json.JsonLinesReader;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.BadRecord;
import dev.kiln.runtime.stream.SourceBatch;
import dev.kiln.runtime.stream.SourceOffset;
import dev.kiln.runtime.stream.StreamSource;
import dev.kiln.runtime.vector.Batch;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The files that appear in a directory, as a replayable stream (Spark's file source): CSV with a
 * header, JSON Lines or Parquet ({@link FileFormat}), each file read whole into the batch that
 * takes it.
 *
 * <p><b>Offsets.</b> The offset is the number of files taken so far, {@code "12"}: a range
 * ({@code a}, {@code b}] is the files at positions a to b-1 of the source's file log
 * ({@link FileLog}, {@code files.log} in the metadata directory the caller gives). When a scan
 * finds new complete files, they are sorted by (modification time, name) and appended to the log,
 * which is rewritten atomically before {@code latest()} returns; a file's position never changes
 * after that, so after a restart (a new source on the same metadata directory) the same offset
 * means the same files, even if files with older modification times appeared since. A taken
 * file's name is never taken again (a file deleted and written anew under the same name is not
 * read a second time).
 *
 * <p><b>Which files are complete.</b> Names starting with '.' or '_' are never taken (the hidden
 * names writers use before renaming a file into place), nor names that do not match the glob, nor
 * anything but regular files. A visible file is taken once the source has seen the same size and
 * modification time for at least {@link DirectoryOptions#settle()} (default 1 s) across its scans
 * (the source's own clock, so a writer's clock does not matter); with a settle time of zero, for
 * writers that rename files into place, a file is taken when first seen. A Parquet file is also
 * taken only once it ends with the footer's magic {@code PAR1}. A taken file must not change: a
 * read that finds its size other than the log's is an error that names it (a writer was still
 * appending: raise the settle time, or rename files into place).
 *
 * <p><b>latest() and maxFilesPerTrigger.</b> {@code latest()} lists the directory at most every
 * {@link DirectoryOptions#scanInterval()}, looking only at names not yet taken, and adds at most
 * {@link DirectoryOptions#maxFilesPerTrigger()} files per call, the oldest first; the engine calls
 * it once per trigger, so each batch reads at most that many new files (under the AvailableNow
 * trigger, which calls it once, a limit stops the run after that many files).
 *
 * <p><b>read().</b> Exactly the files of the range, in log order. Bad CSV and JSON records come
 * back as {@link BadRecord}s whose where is {@code <file path>:<line>}, never dropped; a taken
 * file that has vanished is an error naming it and its position. Parquet files are read by
 * column name into the schema (given, or read from the first file and made nullable).
 */
public final class DirectorySource implements StreamSource {
    private final Path dir;
    private final FileFormat format;
    private final DirectoryOptions options;
    private final PathMatcher matcher;
    private final FileLog log;
    private final ParquetFiles parquet;
    private final JsonLinesReader json;
    private final CsvRecordReader csv;
    /** Files seen but not yet taken: the size and modification time last seen, and since when. */
    private final Map<String, Seen> pending = new HashMap<>();
    private long lastScan;
    private boolean scanned;

    private record Seen(long size, long modifiedMillis, long sinceNanos) {}

    /** The order in which new files are taken: (modification time, name). */
    private static final Comparator<FileLog.Entry> OLDEST_FIRST = Comparator.comparingLong(FileLog.Entry::modifiedMillis).thenComparing(FileLog.Entry::name);

    /** A source with {@link DirectoryOptions#defaults()}. */
    public DirectorySource(Path directory, FileFormat format, Path metadataDir) {
        this(directory, format, metadataDir, DirectoryOptions.defaults());
    }

    /**
     * @param directory   where the files appear; it must exist
     * @param format      how to read them
     * @param metadataDir where the source keeps its file log (created if needed); one per source,
     *                    kept as long as the query's checkpoint: a new source on it after a restart
     *                    gives the same files for the same offsets. It may lie inside the watched
     *                    directory under a name starting with '_' (never taken), as Spark's
     *                    {@code _spark_metadata} does
     */
    public DirectorySource(Path directory, FileFormat format, Path metadataDir, DirectoryOptions options) {
        this.dir = directory.toAbsolutePath().normalize();
        this.format = format;
        this.options = options;
        if (!Files.isDirectory(dir)) throw new KilnException("the directory source " + dir + " is not a directory; create it before starting the source");
        String glob = options.glob().orElse(format.defaultGlob());
        try {
            this.matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
        } catch (IllegalArgumentException e) {
            throw new KilnException("the file name pattern '" + glob + "' of the directory source " + dir + " is not a valid glob: " + e.getMessage(), e);
        }
        this.json = format instanceof FileFormat.JsonLines j ? new JsonLinesReader(j.schema(), BadRecordPolicy.SKIP_AND_REPORT) : null;
        this.csv = format instanceof FileFormat.Csv c ? new CsvRecordReader(c.options()) : null;
        this.parquet = format instanceof FileFormat.Parquet p ? new ParquetFiles(p.schema()) : null;
        this.log = FileLog.open(metadataDir.toAbsolutePath().normalize(), dir, format.name());
    }

    @Override
    public synchronized Schema schema() {
        return switch (format) {
            case FileFormat.Csv c -> csv.schema();
            case FileFormat.JsonLines j -> j.schema();
            case FileFormat.Parquet p -> parquetSchema();
        };
    }

    @Override
    public synchronized Optional<SourceOffset> latest() {
        long now = System.nanoTime();
        if (!scanned || now - lastScan >= options.scanInterval().toNanos()) {
            scanned = true;
            lastScan = now;
            List<FileLog.Entry> ready = scan(now);
            if (!ready.isEmpty()) {
                ready.sort(OLDEST_FIRST);
                if (ready.size() > options.maxFilesPerTrigger()) ready = ready.subList(0, options.maxFilesPerTrigger());
                log.append(ready);
                for (FileLog.Entry e : ready) pending.remove(e.name());
            }
        }
        return log.size() == 0 ? Optional.empty() : Optional.of(SourceOffset.of(log.size()));
    }

    /** The complete files not yet taken. */
    private List<FileLog.Entry> scan(long now) {
        List<FileLog.Entry> ready = new ArrayList<>();
        Set<String> present = new HashSet<>();
        list((p, a) -> {
            FileLog.Entry e = new FileLog.Entry(p.getFileName().toString(), a.size(), a.lastModifiedTime().toMillis());
            present.add(e.name());
            if (settled(e, now) && (parquet == null || ParquetFiles.hasFooterMagic(p, e.size()))) ready.add(e);
        });
        pending.keySet().retainAll(present);
        return ready;
    }

    private boolean settled(FileLog.Entry e, long now) {
        long settle = options.settle().toNanos();
        if (settle == 0) return true;
        Seen s = pending.get(e.name());
        if (s == null || s.size() != e.size() || s.modifiedMillis() != e.modifiedMillis()) {
            pending.put(e.name(), new Seen(e.size(), e.modifiedMillis(), now));
            return false;
        }
        return now - s.sinceNanos() >= settle;
    }

    /** The files of the range ({@code start}, {@code end}], in offset order. */
    public synchronized List<Path> files(Optional<SourceOffset> start, SourceOffset end) {
        int[] range = range(start, end);
        List<Path> out = new ArrayList<>();
        for (int i = range[0]; i < range[1]; i++) out.add(dir.resolve(log.get(i).name()));
        return out;
    }

    @Override
    public SourceBatch read(Optional<SourceOffset> start, SourceOffset end, QueryMemory mem) {
        return read(start, end, mem, json);
    }

    /** JSON files are parsed for the columns asked only: the other fields are skipped, not decoded. */
    @Override
    public SourceBatch read(Optional<SourceOffset> start, SourceOffset end, QueryMemory mem, List<Integer> columns) {
        if (json == null) return StreamSource.super.read(start, end, mem, columns);
        JsonLinesReader r = projections.computeIfAbsent(List.copyOf(columns), c -> new JsonLinesReader(json.schema().select(c), BadRecordPolicy.SKIP_AND_REPORT));
        return read(start, end, mem, r);
    }

    private final java.util.Map<List<Integer>, JsonLinesReader> projections = new java.util.concurrent.ConcurrentHashMap<>();

    /** Reads the range's files, several at once (on the common fork-join pool and this thread), in offset order. */
    private SourceBatch read(Optional<SourceOffset> start, SourceOffset end, QueryMemory mem, JsonLinesReader jsonReader) {
        int[] range;
        List<FileLog.Entry> entries = new ArrayList<>();
        synchronized (this) {
            range = range(start, end);
            for (int i = range[0]; i < range[1]; i++) entries.add(log.get(i));
        }
        Schema schema = jsonReader != null ? jsonReader.schema() : schema();
        SourceBatch[] parts = new SourceBatch[entries.size()];
        try {
            java.util.stream.IntStream.range(0, entries.size()).parallel()
                    .forEach(k -> parts[k] = readFile(range[0] + k, entries.get(k), schema, mem, jsonReader));
        } catch (RuntimeException | Error e) {
            for (SourceBatch p : parts) if (p != null) TableAssembler.free(mem, p.batches());
            throw e;
        }
        List<Batch> batches = new ArrayList<>();
        List<BadRecord> bad = new ArrayList<>();
        for (SourceBatch p : parts) {
            batches.addAll(p.batches());
            bad.addAll(p.badRecords());
        }
        return new SourceBatch(batches, bad);
    }

    private int[] range(Optional<SourceOffset> start, SourceOffset end) {
        long from = start.map(SourceOffset::asLong).orElse(0L);
        long to = end.asLong();
        if (from < 0 || to < from) throw new KilnException(describe() + ": (" + from + ", " + to + "] is not a range of file positions");
        if (to > log.size()) {
            throw new KilnException(describe() + ": offset " + to + " means the first " + to + " files, but the file log " + log.path() + " lists " + log.size()
                    + "; the metadata directory was replaced or belongs to another source: restore it, or restart the query from a new checkpoint");
        }
        return new int[] {(int) from, (int) to};
    }

    private SourceBatch readFile(int position, FileLog.Entry e, Schema schema, QueryMemory mem, JsonLinesReader json) {
        Path p = dir.resolve(e.name());
        if (parquet != null) {
            checkUnchanged(position, e, p);
            return parquet.read(p, schema, mem);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (NoSuchFileException x) {
            throw vanished(position, p);
        } catch (IOException | OutOfMemoryError x) {
            throw new KilnException(describe() + ": cannot read " + p + ": " + x, x);
        }
        if (bytes.length != e.size()) throw changed(position, e, p, bytes.length);
        return json != null ? json.read(bytes, p.toString(), mem) : csv.read(bytes, p.toString(), mem);
    }

    private void checkUnchanged(int position, FileLog.Entry e, Path p) {
        long size;
        try {
            size = Files.size(p);
        } catch (NoSuchFileException x) {
            throw vanished(position, p);
        } catch (IOException x) {
            throw new KilnException(describe() + ": cannot read " + p + ": " + x, x);
        }
        if (size != e.size()) throw changed(position, e, p, size);
    }

    private KilnException vanished(int position, Path p) {
        return new KilnException(describe() + ": file " + p + " (position " + position + " of " + log.path() + ") vanished before it was read; "
                + "files must stay in the directory until the query has committed them: put it back, or restart the query from a new checkpoint");
    }

    private KilnException changed(int position, FileLog.Entry e, Path p, long size) {
        return new KilnException(describe() + ": file " + p + " (position " + position + ") has " + size + " bytes, but had " + e.size()
                + " when the source took it; a taken file must not change. If writers append to files, raise the settle time or write under a hidden name ('.' or '_') and rename into place");
    }

    /** The Parquet schema: given, or from the first taken file, or from the oldest visible file not yet taken. */
    private Schema parquetSchema() {
        List<Path> taken = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) taken.add(dir.resolve(log.get(i).name()));
        List<FileLog.Entry> visible = new ArrayList<>();
        list((p, a) -> visible.add(new FileLog.Entry(p.getFileName().toString(), a.size(), a.lastModifiedTime().toMillis())));
        visible.sort(OLDEST_FIRST);
        return parquet.schema(taken, visible.stream().map(e -> dir.resolve(e.name())).toList(), describe());
    }

    /** Calls {@code each} with every regular file of the directory that is neither hidden, nor filtered out, nor taken. */
    private void list(java.util.function.BiConsumer<Path, BasicFileAttributes> each) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || name.startsWith("_") || log.contains(name) || !matcher.matches(p.getFileName())) continue;
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue; // removed (or renamed) between the listing and now
                }
                if (a.isRegularFile()) each.accept(p, a);
            }
        } catch (IOException | DirectoryIteratorException e) {
            throw new KilnException(describe() + ": cannot list the directory: " + e, e);
        }
    }

    @Override
    public String describe() {
        return "files[" + dir + "]";
    }
}
