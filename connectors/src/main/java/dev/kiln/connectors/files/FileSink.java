package dev.kiln.connectors.files;

import dev.kiln.ir.KilnException;
import dev.kiln.runtime.stream.ChangeBatch;
import dev.kiln.runtime.stream.OutputMode;
import dev.kiln.runtime.stream.StreamSink;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes a streaming query's new rows as CSV files in a directory, one file per batch,
 * {@code part-<batch id, 20 digits>.csv} with a header row. Exactly once by atomic rename: a batch
 * is written to a hidden temporary file, forced to disk and renamed into place, so a reader never
 * sees half a file, and a batch whose file exists already (written before a crash) is not written
 * again. APPEND output only: files are never rewritten.
 */
public final class FileSink implements StreamSink {
    private final Path dir;

    public FileSink(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) if (p.getFileName().toString().startsWith(".part-")) Files.delete(p); // left by a crash
            }
        } catch (IOException e) {
            throw new KilnException("cannot use " + dir + " as a file sink: " + e.getMessage(), e);
        }
    }

    @Override
    public long lastWrittenBatch() {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("part-") && n.endsWith(".csv"))
                    .mapToLong(n -> Long.parseLong(n.substring(5, n.length() - 4))).max().orElse(-1);
        } catch (IOException | NumberFormatException e) {
            throw new KilnException("cannot list the file sink " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(ChangeBatch c) {
        if (c.mode() != OutputMode.APPEND) {
            throw new KilnException("the file sink " + dir + " takes APPEND output only (its files are never rewritten), not " + c.mode());
        }
        Path file = dir.resolve(String.format("part-%020d.csv", c.batchId()));
        if (Files.exists(file)) return; // written before a restart
        Path tmp = dir.resolve(".part-" + c.batchId() + ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(String.join(",", c.schema().names().stream().map(FileSink::field).toList()));
                w.write('\n');
                for (Object[] row : c.upsertRows()) {
                    for (int i = 0; i < row.length; i++) {
                        if (i > 0) w.write(',');
                        if (row[i] != null) w.write(field(row[i].toString()));
                    }
                    w.write('\n');
                }
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new KilnException("cannot write batch " + c.batchId() + " to the file sink " + dir + ": " + e.getMessage(), e);
        }
    }

    /** CSV quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
    static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** The data lines of every part file, in batch order (tests and tools). */
    public static List<String> readAll(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().flatMap(p -> {
                try {
                    return Files.readAllLines(p, StandardCharsets.UTF_8).stream().skip(1);
                } catch (IOException e) {
                    throw new KilnException("cannot read " + p + ": " + e.getMessage(), e);
                }
            }).toList();
        } catch (IOException e) {
            throw new KilnException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "files[" + dir + "]";
    }
}
