package dev.kiln.connectors.tpch;

import dev.kiln.ir.stats.TableStats;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.stats.StatsFile;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
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
import java.util.zip.CRC32C;

/**
 * On-disk cache of generated TPC-H tables in Kiln's own columnar layout: one file per column
 * holding every batch's raw segments back to back (8-byte aligned), and a manifest with the
 * format version, schema, batch boundaries, file sizes and a sampled checksum per file.
 *
 * <p>Loading memory-maps the files, so a cached table is usable at once with no per-row work;
 * the checks are per batch and per file (sizes, string offsets at the batch ends, CRC32C of each
 * file's first and last 64 KiB), never per row. A table directory is written under a temporary
 * name, fsynced and renamed into place, so a killed run never leaves a half-written cache (its
 * temporary directory is removed by the next run); a cache that does not match is reported on
 * stderr and the table regenerated, never used.
 */
public final class TpchCache {
    static final String FORMAT = "kiln-columnar-2";
    private static final long CRC_SAMPLE = 64 * 1024;
    private static final String MANIFEST = "manifest.properties";
    private static final String STATS = "stats.properties";
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

    public Path tableDir(String table, double sf) {
        return root.resolve("tpch").resolve("sf" + sfText(sf)).resolve(table);
    }

    static String sfText(double sf) {
        return java.math.BigDecimal.valueOf(sf).stripTrailingZeros().toPlainString();
    }

    /** The cached table, or empty when there is none or it cannot be trusted (then it is deleted). */
    public Optional<Table> load(String table, double sf, Schema schema) {
        Path dir = tableDir(table, sf);
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.exists(manifestFile)) return Optional.empty();
        try {
            return Optional.of(map(table, dir, manifestFile, schema));
        } catch (IOException | RuntimeException e) {
            System.err.println("kiln: the TPC-H cache at " + dir + " cannot be used (" + e.getMessage() + "); regenerating it");
            deleteQuietly(dir);
            return Optional.empty();
        }
    }

    private static Table map(String table, Path dir, Path manifestFile, Schema schema) throws IOException {
        Properties m = new Properties();
        try (var in = Files.newInputStream(manifestFile)) {
            m.load(in);
        }
        String format = m.getProperty("format");
        if (!FORMAT.equals(format)) throw new IOException("cache format " + format + ", this Kiln reads " + FORMAT);
        if (!schema.toString().equals(m.getProperty("schema"))) throw new IOException("its schema differs from this Kiln's " + table + " schema");
        int batches = Integer.parseInt(required(m, "batches"));
        long totalRows = Long.parseLong(required(m, "rows"));
        Arena arena = Arena.ofAuto(); // the mapping lives as long as any vector over it
        MemorySegment[] files = new MemorySegment[schema.size()];
        for (int c = 0; c < schema.size(); c++) {
            Path f = dir.resolve(c + ".col");
            long expected = Long.parseLong(required(m, "col." + c + ".bytes"));
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                if (ch.size() != expected) throw new IOException(f.getFileName() + " has " + ch.size() + " bytes, the manifest says " + expected);
                files[c] = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            }
            String crc = Long.toHexString(sampledCrc(files[c]));
            if (!crc.equals(m.getProperty("col." + c + ".crc"))) throw new IOException(f.getFileName() + " fails its checksum");
        }
        List<Batch> out = new ArrayList<>(batches);
        long rowsSeen = 0;
        for (int b = 0; b < batches; b++) {
            int rows = Integer.parseInt(required(m, "batch." + b + ".rows"));
            if (rows <= 0 || rows > Table.MORSEL_ROWS) throw new IOException("batch " + b + " claims " + rows + " rows");
            rowsSeen += rows;
            List<ColumnVector> cols = new ArrayList<>(schema.size());
            for (int c = 0; c < schema.size(); c++) {
                cols.add(vector(schema.field(c).type(), rows, files[c], required(m, "batch." + b + ".col." + c), b, c));
            }
            out.add(new Batch(schema, cols, rows));
        }
        if (rowsSeen != totalRows) throw new IOException("batches hold " + rowsSeen + " rows, the manifest says " + totalRows);
        return new Table(table, schema, out);
    }

    /** One batch's vector over the mapped file, after checking its extent against the type and the file. */
    private static ColumnVector vector(DataType type, int rows, MemorySegment file, String extent, int b, int c) throws IOException {
        String[] p = extent.split(",");
        if (p.length != 4) throw new IOException("batch " + b + " column " + c + " has a malformed extent");
        long vOff = Long.parseLong(p[0]), vLen = Long.parseLong(p[1]), hOff = Long.parseLong(p[2]), hLen = Long.parseLong(p[3]);
        boolean varchar = type.physical() == PhysicalKind.VARCHAR;
        long expectedLen = varchar ? (rows + 1L) * 4 : (long) rows * type.physical().width();
        if (vLen != expectedLen || vOff < 0 || hOff < 0 || hLen < 0 || vOff + vLen > file.byteSize() || hOff + hLen > file.byteSize()) {
            throw new IOException("batch " + b + " column " + c + " does not fit its file or its row count");
        }
        MemorySegment values = file.asSlice(vOff, vLen);
        MemorySegment heap = MemorySegment.NULL;
        if (varchar) {
            heap = file.asSlice(hOff, hLen);
            int first = values.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            int last = values.get(ValueLayout.JAVA_INT_UNALIGNED, (long) rows * 4);
            if (first != 0 || last != hLen) throw new IOException("batch " + b + " column " + c + " has string offsets that do not match its text");
        } else if (hLen != 0) {
            throw new IOException("batch " + b + " column " + c + " is fixed-width but has text");
        }
        return ColumnVector.wrap(type, rows, values, heap, MemorySegment.NULL);
    }

    private static String required(Properties m, String key) throws IOException {
        String v = m.getProperty(key);
        if (v == null) throw new IOException("the manifest has no " + key);
        return v;
    }

    /** CRC32C of the first and last 64 KiB: catches overwritten or swapped files without reading all of them. */
    private static long sampledCrc(MemorySegment file) {
        CRC32C crc = new CRC32C();
        long n = file.byteSize();
        crc.update(file.asSlice(0, Math.min(n, CRC_SAMPLE)).asByteBuffer());
        if (n > CRC_SAMPLE) crc.update(file.asSlice(Math.max(CRC_SAMPLE, n - CRC_SAMPLE)).asByteBuffer());
        return crc.getValue();
    }

    /**
     * The statistics kept next to a cached table (so that loading it does not recompute them), or
     * empty when there are none or they do not fit the table (reported on stderr, then recomputed).
     */
    public Optional<TableStats> loadStats(String table, double sf, Schema schema, long rows) {
        Path f = tableDir(table, sf).resolve(STATS);
        if (!Files.exists(f)) return Optional.empty();
        try (var in = Files.newInputStream(f)) {
            TableStats s = StatsFile.read(in, schema.size());
            if (s.rowCount() != rows) throw new IOException("statistics for " + s.rowCount() + " rows, the table has " + rows);
            return Optional.of(s);
        } catch (IOException e) {
            System.err.println("kiln: the statistics at " + f + " cannot be used (" + e.getMessage() + "); recomputing them");
            return Optional.empty();
        }
    }

    /** Writes a cached table's statistics atomically (temporary file, then rename); a failure is reported, not fatal. */
    public void storeStats(String table, double sf, TableStats stats) {
        Path dir = tableDir(table, sf);
        Path tmp = dir.resolve(STATS + ".tmp-" + ProcessHandle.current().pid());
        try {
            try (var out = Files.newOutputStream(tmp)) {
                StatsFile.write(stats, out);
            }
            try {
                Files.move(tmp, dir.resolve(STATS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(STATS), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("kiln: could not store statistics of TPC-H table " + table + " under " + dir + " (" + e.getMessage() + "); they will be computed again next time");
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException d) {
                System.err.println("kiln: could not delete " + tmp + ": " + d.getMessage());
            }
        }
    }

    /** Writes the table atomically; a failure to write leaves no cache (and is reported, not fatal). */
    public void store(Table table, double sf) {
        Path dir = tableDir(table.name(), sf);
        Path tmp = dir.resolveSibling(table.name() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(dir.getParent());
            removeAbandonedTemporaries(dir);
            deleteQuietly(tmp);
            Files.createDirectories(tmp);
            Properties m = manifest(table, tmp);
            try (FileChannel ch = FileChannel.open(tmp.resolve(MANIFEST), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                var bytes = new java.io.ByteArrayOutputStream();
                m.store(bytes, "Kiln TPC-H cache, sf " + sfText(sf));
                write(ch, MemorySegment.ofArray(bytes.toByteArray()));
                ch.force(true);
            }
            fsyncDirectory(tmp);
            deleteQuietly(dir);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir);
            }
            fsyncDirectory(dir.getParent());
        } catch (IOException | RuntimeException e) {
            System.err.println("kiln: could not cache TPC-H table " + table.name() + " under " + dir + " (" + e.getMessage() + "); it will be generated again next time");
            deleteQuietly(tmp);
        }
    }

    /** Writes every column file into {@code tmp} and returns the manifest describing them. */
    private static Properties manifest(Table table, Path tmp) throws IOException {
        Schema schema = table.schema();
        Properties m = new Properties();
        m.setProperty("format", FORMAT);
        m.setProperty("schema", schema.toString());
        m.setProperty("batches", Integer.toString(table.batches().size()));
        m.setProperty("rows", Long.toString(table.rowCount()));
        for (int c = 0; c < schema.size(); c++) {
            Path f = tmp.resolve(c + ".col");
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                long pos = 0;
                for (int b = 0; b < table.batches().size(); b++) {
                    ColumnVector v = table.batches().get(b).column(c);
                    if (v.hasNulls()) throw new IllegalStateException("TPC-H columns have no NULLs, but " + schema.field(c).name() + " has");
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
                try (Arena a = Arena.ofConfined()) {
                    m.setProperty("col." + c + ".crc", Long.toHexString(sampledCrc(ch.map(FileChannel.MapMode.READ_ONLY, 0, pos, a))));
                }
            }
        }
        for (int b = 0; b < table.batches().size(); b++) {
            m.setProperty("batch." + b + ".rows", Integer.toString(table.batches().get(b).rowCount()));
        }
        return m;
    }

    /** Temporary directories of runs that were killed while writing (their process is gone). */
    private static void removeAbandonedTemporaries(Path dir) throws IOException {
        String prefix = dir.getFileName() + ".tmp-";
        try (var siblings = Files.list(dir.getParent())) {
            for (Path p : siblings.toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith(prefix)) continue;
                long pid;
                try {
                    pid = Long.parseLong(n.substring(prefix.length()));
                } catch (NumberFormatException e) {
                    continue; // not one of ours
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && pid != ProcessHandle.current().pid()) continue;
                deleteQuietly(p);
            }
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static long write(FileChannel ch, MemorySegment seg) throws IOException {
        if (seg.byteSize() == 0) return 0;
        ByteBuffer buf = seg.asByteBuffer();
        while (buf.hasRemaining()) ch.write(buf);
        return seg.byteSize();
    }

    /** Keeps every segment 8-byte aligned in the file (and so in the mapping). */
    private static long pad(FileChannel ch, long pos) throws IOException {
        long aligned = (pos + 7) & ~7L;
        if (aligned > pos) ch.write(ByteBuffer.allocate((int) (aligned - pos)));
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
