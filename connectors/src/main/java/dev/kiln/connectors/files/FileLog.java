package dev.kiln.connectors.files;

import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The durable list of the files a {@link DirectorySource} has taken, in offset order: the file at
 * position i stays there forever, whatever appears in the directory later. One small text file,
 * {@value #FILE}, in the source's metadata directory, rewritten whole each time files are added:
 * to a temporary file, forced to disk, renamed over the old one (and the directory forced), so a
 * crash leaves the old list or the new one, never a part.
 *
 * <p>Format, UTF-8 lines: {@code kiln-directory-source-log 1}, {@code directory <absolute path>},
 * {@code format <csv|json|parquet>}, then {@code file <bytes> <modified ms> <name>} per file (the
 * name with {@code \\}, newline and carriage return escaped as {@code \\\\}, {@code \n}, {@code \r}),
 * then {@code end <count>}, which shows the list is whole.
 */
final class FileLog {
    static final String FILE = "files.log";
    private static final String MAGIC = "kiln-directory-source-log 1";

    /** A taken file: its name in the directory, and its size and modification time when it was taken. */
    record Entry(String name, long size, long modifiedMillis) {}

    private final Path file;
    private final Path directory;
    private final String format;
    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    private FileLog(Path file, Path directory, String format) {
        this.file = file;
        this.directory = directory;
        this.format = format;
    }

    /** The log in {@code metadataDir} for {@code directory}, read back if there is one, else written empty. */
    static FileLog open(Path metadataDir, Path directory, String format) {
        FileLog log = new FileLog(metadataDir.resolve(FILE), directory, format);
        try {
            Files.createDirectories(metadataDir);
            Files.deleteIfExists(log.temporary()); // left by a crash before its rename
            if (Files.exists(log.file)) log.load();
            else log.write(List.of());
        } catch (IOException e) {
            throw new KilnException("cannot use " + metadataDir + " as the metadata directory of the directory source " + directory + ": " + e, e);
        }
        return log;
    }

    int size() {
        return entries.size();
    }

    Entry get(int position) {
        return entries.get(position);
    }

    boolean contains(String name) {
        return names.contains(name);
    }

    Path path() {
        return file;
    }

    /** Adds files at the end, durably: when this returns they have their positions for good. */
    void append(List<Entry> more) {
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(more);
        try {
            write(all);
        } catch (IOException e) {
            throw new KilnException("cannot write the file log " + file + " of the directory source " + directory + ": " + e, e);
        }
        entries.addAll(more);
        for (Entry e : more) names.add(e.name());
    }

    private Path temporary() {
        return file.resolveSibling("." + FILE + ".tmp");
    }

    private void write(List<Entry> all) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(MAGIC).append('\n');
        sb.append("directory ").append(escape(directory.toString())).append('\n');
        sb.append("format ").append(format).append('\n');
        for (Entry e : all) sb.append("file ").append(e.size()).append(' ').append(e.modifiedMillis()).append(' ').append(escape(e.name())).append('\n');
        sb.append("end ").append(all.size()).append('\n');
        Path tmp = temporary();
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true); // the rename itself, on file systems that allow forcing a directory
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open a directory; the rename is still atomic
        }
    }

    private void load() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new KilnException("the file log " + file + " vanished while it was opened", e);
        }
        if (lines.isEmpty() || !lines.getFirst().equals(MAGIC)) throw corrupt(1, "it does not start with '" + MAGIC + "'");
        String dir = lines.size() > 1 && lines.get(1).startsWith("directory ") ? unescape(lines.get(1).substring(10), 2) : null;
        if (dir == null) throw corrupt(2, "expected 'directory <path>'");
        if (!dir.equals(directory.toString())) {
            throw new KilnException("the metadata directory " + file.getParent() + " holds the file log of the directory source " + dir + ", not of " + directory
                    + "; give each directory source its own metadata directory (and its query a new checkpoint)");
        }
        String fmt = lines.size() > 2 && lines.get(2).startsWith("format ") ? lines.get(2).substring(7) : null;
        if (fmt == null) throw corrupt(3, "expected 'format <name>'");
        if (!fmt.equals(format)) {
            throw new KilnException("the file log " + file + " lists " + fmt + " files of " + directory + ", but the source now reads " + format
                    + "; a source's format cannot change: use a new metadata directory and a new checkpoint");
        }
        for (int i = 3; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("end ")) {
                if (!line.equals("end " + entries.size()) || i != lines.size() - 1) throw corrupt(i + 1, "'" + line + "' after " + entries.size() + " files");
                return;
            }
            String[] parts = line.split(" ", 4);
            if (parts.length != 4 || !parts[0].equals("file")) throw corrupt(i + 1, "expected 'file <bytes> <modified ms> <name>', found '" + line + "'");
            Entry e;
            try {
                e = new Entry(unescape(parts[3], i + 1), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            } catch (NumberFormatException x) {
                throw corrupt(i + 1, "expected 'file <bytes> <modified ms> <name>', found '" + line + "'");
            }
            if (!names.add(e.name())) throw corrupt(i + 1, "file '" + e.name() + "' is listed twice");
            entries.add(e);
        }
        throw corrupt(lines.size(), "it has no 'end' line");
    }

    private KilnException corrupt(int line, String what) {
        return new KilnException(file + ":" + line + ": not a valid file log of a directory source: " + what
                + "; it is written only by renaming a whole new copy over it, so something else changed it: restore it, or start over with a new metadata directory and checkpoint");
    }

    static String escape(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    private String unescape(String s, int line) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = ++i < s.length() ? s.charAt(i) : '?';
            switch (e) {
                case '\\' -> sb.append('\\');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                default -> throw corrupt(line, "unknown escape '\\" + e + "'");
            }
        }
        return sb.toString();
    }
}
