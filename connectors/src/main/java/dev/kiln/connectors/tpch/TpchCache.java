package dev.kiln.connectors.tpch;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * On-disk cache of generated TPC-H tables in Kiln's own columnar layout: one file per column
 * holding every batch's raw segments back to back, and a manifest with the batch boundaries.
 * Loading memory-maps the files, so a cached table is usable at once with no per-row work.
 * A table directory is written under a temporary name and renamed into place, so a killed run
 * never leaves a half-written cache; a manifest that does not match (version, schema, sizes) is
 * reported and the table regenerated.
 */
public final class TpchCache {
    static final String FORMAT = "kiln-columnar-1";
    private final Path root;

    public TpchCache(Path root) {
        this.root = root;
    }

    /** {@code $KILN_CACHE_DIR}, else {@code ~/.cache/kiln}. */
    public static TpchCache standard() {
        String dir = System.getenv("KILN_CACHE_DIR");
        Path root = dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".cache", "kiln");
        return new TpchCache(root);
    }

    Path tableDir(String table, double sf) {
        return root.resolve("tpch").resolve("sf" + sfText(sf)).resolve(table);
    }

    static String sfText(double sf) {
        return java.math.BigDecimal.valueOf(sf).stripTrailingZeros().toPlainString();
    }

    public Optional<Table> load(String table, double sf, Schema schema) {
        Path dir = tableDir(table, sf);
        Path manifestFile = dir.resolve("manifest.properties");
        if (!Files.exists(manifestFile)) return Optional.empty();
        try {
            Properties m = new Properties();
            try (var in = Files.newInputStream(manifestFile)) {
                m.load(in);
            }
            if (!FORMAT.equals(m.getProperty("format")) || !schema.toString().equals(m.getProperty("schema"))) {
                throw new IOException("format or schema differs from this version of Kiln");
            }
            int batches = Integer.parseInt(m.getProperty("batches"));
            Arena arena = Arena.ofAuto();
            MemorySegment[] files = new MemorySegment[schema.size()];
            for (int c = 0; c < schema.size(); c++) {
                Path f = dir.resolve(c + ".col");
                long expected = Long.parseLong(m.getProperty("col." + c + ".bytes"));
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    if (ch.size() != expected) throw new IOException(f + " has " + ch.size() + " bytes, manifest says " + expected);
                    files[c] = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
                }
            }
            List<Batch> out = new ArrayList<>(batches);
            for (int b = 0; b < batches; b++) {
                int rows = Integer.parseInt(m.getProperty("batch." + b + ".rows"));
                List<ColumnVector> cols = new ArrayList<>();
                for (int c = 0; c < schema.size(); c++) {
                    String[] p = m.getProperty("batch." + b + ".col." + c).split(",");
                    long vOff = Long.parseLong(p[0]);
                    long vLen = Long.parseLong(p[1]);
                    long hOff = Long.parseLong(p[2]);
                    long hLen = Long.parseLong(p[3]);
                    DataType type = schema.field(c).type();
                    MemorySegment heap = type instanceof DataType.VarcharType ? files[c].asSlice(hOff, hLen) : MemorySegment.NULL;
                    cols.add(ColumnVector.wrap(type, rows, files[c].asSlice(vOff, vLen), heap, MemorySegment.NULL));
                }
                out.add(new Batch(schema, cols, rows));
            }
            return Optional.of(new Table(table, schema, out));
        } catch (IOException | RuntimeException e) {
            System.err.println("kiln: ignoring the damaged TPC-H cache at " + dir + " (" + e.getMessage() + "); regenerating it");
            deleteQuietly(dir);
            return Optional.empty();
        }
    }

    /** Writes the table atomically; a failure to write leaves no cache (and is reported, not fatal). */
    public void store(Table table, double sf) {
        Path dir = tableDir(table.name(), sf);
        Path tmp = dir.resolveSibling(table.name() + ".tmp-" + ProcessHandle.current().pid());
        try {
            deleteQuietly(tmp);
            Files.createDirectories(tmp);
            Schema schema = table.schema();
            Properties m = new Properties();
            m.setProperty("format", FORMAT);
            m.setProperty("schema", schema.toString());
            m.setProperty("batches", Integer.toString(table.batches().size()));
            for (int c = 0; c < schema.size(); c++) {
                try (FileChannel ch = FileChannel.open(tmp.resolve(c + ".col"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    long pos = 0;
                    for (int b = 0; b < table.batches().size(); b++) {
                        ColumnVector v = table.batches().get(b).column(c);
                        if (v.hasNulls()) throw new IllegalStateException("TPC-H columns have no NULLs");
                        long vOff = pos;
                        pos += write(ch, v.values());
                        long hOff = pos;
                        long hLen = v.heap().byteSize();
                        pos += write(ch, v.heap());
                        pos = pad(ch, pos);
                        m.setProperty("batch." + b + ".col." + c, vOff + "," + v.values().byteSize() + "," + hOff + "," + hLen);
                    }
                    ch.force(true);
                    m.setProperty("col." + c + ".bytes", Long.toString(pos));
                }
            }
            for (int b = 0; b < table.batches().size(); b++) {
                m.setProperty("batch." + b + ".rows", Integer.toString(table.batches().get(b).rowCount()));
            }
            try (var out = Files.newOutputStream(tmp.resolve("manifest.properties"))) {
                m.store(out, "Kiln TPC-H cache, sf " + sfText(sf));
            }
            deleteQuietly(dir);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("kiln: could not cache TPC-H table " + table.name() + " under " + dir + ": " + e.getMessage());
            deleteQuietly(tmp);
        }
    }

    private static long write(FileChannel ch, MemorySegment seg) throws IOException {
        if (seg.byteSize() == 0) return 0;
        var buf = seg.asByteBuffer();
        while (buf.hasRemaining()) ch.write(buf);
        return seg.byteSize();
    }

    /** Keeps every segment 8-byte aligned in the file (and so in the mapping). */
    private static long pad(FileChannel ch, long pos) throws IOException {
        long aligned = (pos + 7) & ~7L;
        if (aligned > pos) ch.write(java.nio.ByteBuffer.allocate((int) (aligned - pos)));
        return aligned;
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("kiln: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
