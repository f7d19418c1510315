package dev.kiln.runtime.spill;

import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The local-disk directory of one query's spilled data, created on first use under
 * {@code kiln.spill.dir} (default: the JVM's temporary directory) and deleted with everything
 * in it when the query's memory is closed — after a failure as after success, so a failed query
 * leaves no files behind.
 */
public final class SpillSpace implements AutoCloseable {
    private final Path parent;
    private Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    /** where spilled batches are mapped back; closed (unmapped) before the files are deleted */
    private java.lang.foreign.Arena mappings;
    private long bytesWritten;
    private int nextFile;

    public SpillSpace() {
        this(Path.of(System.getProperty("kiln.spill.dir", System.getProperty("java.io.tmpdir"))));
    }

    public SpillSpace(Path parent) {
        this.parent = parent;
    }

    /** A new empty file in this query's spill directory. */
    public synchronized Path newFile(String hint) {
        try {
            if (dir == null) {
                Files.createDirectories(parent);
                dir = Files.createTempDirectory(parent, "kiln-spill-");
            }
            return Files.createFile(dir.resolve(hint + "-" + (nextFile++) + ".bin"));
        } catch (IOException e) {
            throw new KilnException("cannot create a spill file under " + parent + ": " + e.getMessage()
                    + "; point -Dkiln.spill.dir at a writable local disk with free space, or raise the memory budget (--memory)", e);
        }
    }

    /** The arena that spilled files are mapped into (valid until this space closes). */
    public synchronized java.lang.foreign.Arena mappings() {
        if (mappings == null) mappings = java.lang.foreign.Arena.ofShared();
        return mappings;
    }

    /** Closed (and its file deleted) with this space. */
    public synchronized void register(AutoCloseable resource) {
        open.add(resource);
    }

    synchronized void wrote(long bytes) {
        bytesWritten += bytes;
    }

    /** Bytes written to disk so far (for EXPLAIN ANALYZE and the benchmark). */
    public synchronized long bytesWritten() {
        return bytesWritten;
    }

    public synchronized boolean used() {
        return dir != null;
    }

    @Override
    public synchronized void close() {
        Exception first = null;
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) first = e; // still delete the files below, then report it
            }
        }
        open.clear();
        if (mappings != null) mappings.close();
        mappings = null;
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete spill directory " + dir, e);
            }
            dir = null;
        }
        if (first != null) throw new KilnException("closing spill files failed: " + first.getMessage(), first);
    }
}
