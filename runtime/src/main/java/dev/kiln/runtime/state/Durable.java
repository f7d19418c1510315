package dev.kiln.runtime.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe file replacement: a file appears under its name complete and on disk, or not at all.
 * The bytes go to {@code <name>.tmp}, are forced to the device, and the temp file is renamed over
 * the target (rename is atomic on POSIX file systems); then the directory itself is forced so the
 * rename survives a power loss too. A crash leaves at most a stray {@code .tmp} file, which
 * readers ignore.
 */
public final class Durable {
    private Durable() {}

    /** Writes {@code bytes} as {@code file} (creating its directory), complete and on disk, or not at all. */
    public static void writeFile(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        replace(file, ch -> writeFully(ch, java.nio.ByteBuffer.wrap(bytes)));
    }

    static final String TEMP_SUFFIX = ".tmp";

    @FunctionalInterface
    interface Body {
        void write(FileChannel ch) throws IOException;
    }

    static void replace(Path target, Body body) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                body.write(ch);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) Files.deleteIfExists(tmp);
        }
        syncDirectory(target.getParent());
    }

    /** Forces a directory's entries (renames, deletions) to disk. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory as a channel; it has no such fsync to do either
            if (!System.getProperty("os.name", "").startsWith("Windows")) throw e;
        }
    }

    static void writeFully(java.nio.channels.WritableByteChannel ch, java.nio.ByteBuffer bb) throws IOException {
        while (bb.hasRemaining()) ch.write(bb);
    }
}
