package dev.kiln.connectors.parquet;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import dev.kiln.runtime.vector.VectorBuilder;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads Parquet files into Kiln tables, written here over a memory-mapped file (no Hadoop, no
 * parquet-mr): the footer's Thrift metadata, then each row group's column chunks page by page —
 * dictionary pages, data pages v1 and v2, PLAIN and dictionary (RLE_DICTIONARY) encodings,
 * definition levels for optional columns, UNCOMPRESSED, SNAPPY, GZIP, ZSTD and LZ4_RAW pages. Flat schemas
 * only; nested or repeated columns, other encodings and codecs are errors that name the file,
 * the column and what to do. A directory reads as one table of all its {@code .parquet} files
 * (same schema, in name order).
 */
public final class ParquetReader {
    private ParquetReader() {}

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The files a path names: itself, or the {@code .parquet} files of a directory, sorted. */
    public static List<Path> files(Path fileOrDir) {
        if (!Files.isDirectory(fileOrDir)) return List.of(fileOrDir);
        try (Stream<Path> s = Files.list(fileOrDir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
            if (files.isEmpty()) throw new KilnException("directory " + fileOrDir + " holds no .parquet files");
            return files;
        } catch (IOException e) {
            throw new KilnException("cannot list " + fileOrDir + ": " + e.getMessage(), e);
        }
    }

    /** All rows of a Parquet file or directory of files, in batches of up to {@link Table#MORSEL_ROWS} rows. */
    public static Table read(String name, Path fileOrDir, QueryMemory mem) {
        Schema schema = null;
        List<Batch> batches = new ArrayList<>();
        for (Path f : files(fileOrDir)) {
            Table t = readFile(name, f, mem);
            if (schema == null) schema = t.schema();
            else if (!schema.equals(t.schema())) {
                throw new KilnException(f + ": its columns " + t.schema() + " differ from the first file's " + schema
                        + "; a directory read as one table needs the same schema in every file");
            }
            batches.addAll(t.batches());
        }
        return new Table(name, schema, batches);
    }

    private static Table readFile(String name, Path file, QueryMemory mem) {
        try (Arena arena = Arena.ofShared(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 12) throw new KilnException(file + ": " + size + " bytes is too short for a Parquet file (it needs PAR1 at both ends)");
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            if (!magic(seg, 0) || !magic(seg, size - 4)) throw new KilnException(file + ": not a Parquet file (no PAR1 magic at its start and end)");
            int footerLength = seg.get(I32, size - 8);
            if (footerLength <= 0 || footerLength > size - 12) {
                throw new KilnException(file + ": corrupt footer length " + footerLength + " for a file of " + size + " bytes (truncated or damaged file)");
            }
            ParquetMetadata meta;
            try {
                meta = ParquetMetadata.parse(new ThriftCompact(seg, size - 8 - footerLength, size - 8).struct(), file);
            } catch (IllegalStateException e) {
                throw new KilnException(file + ": corrupt Parquet footer: " + e.getMessage(), e);
            }
            List<Batch> batches = new ArrayList<>();
            for (ParquetMetadata.RowGroup rg : meta.rowGroups()) batches.addAll(rowGroup(file, seg, meta, rg, mem));
            return new Table(name, meta.schema(), batches);
        } catch (IOException e) {
            throw new KilnException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean magic(MemorySegment seg, long at) {
        return seg.get(ValueLayout.JAVA_BYTE, at) == 'P' && seg.get(ValueLayout.JAVA_BYTE, at + 1) == 'A'
                && seg.get(ValueLayout.JAVA_BYTE, at + 2) == 'R' && seg.get(ValueLayout.JAVA_BYTE, at + 3) == '1';
    }

    /** One row group as batches of up to 64K rows: each column decoded into builders cut at the same rows. */
    private static List<Batch> rowGroup(Path file, MemorySegment seg, ParquetMetadata meta, ParquetMetadata.RowGroup rg, QueryMemory mem) {
        int columns = meta.columns().size();
        long rows = rg.rows();
        int chunks = (int) ((rows + Table.MORSEL_ROWS - 1) / Table.MORSEL_ROWS);
        List<List<ColumnVector>> byChunk = new ArrayList<>();
        for (int c = 0; c < chunks; c++) byChunk.add(new ArrayList<>());
        // column chunks are independent: decode them in parallel
        List<List<ColumnVector>> byColumn = java.util.stream.IntStream.range(0, columns).parallel().mapToObj(col -> {
            ParquetMetadata.Column column = meta.columns().get(col);
            ChunkSink sink = new ChunkSink(column.kilnType(), rows, mem);
            try {
                new ColumnChunk(seg, column, rg.chunks().get(col), sink).read();
            } catch (IllegalStateException | IndexOutOfBoundsException e) {
                throw new KilnException(file + ", column " + column.name() + ": corrupt data (" + e.getMessage() + ")", e);
            }
            return sink.finish(file, column.name());
        }).toList();
        for (List<ColumnVector> vectors : byColumn) {
            for (int c = 0; c < chunks; c++) byChunk.get(c).add(vectors.get(c));
        }
        List<Batch> out = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            int n = (int) Math.min(Table.MORSEL_ROWS, rows - (long) c * Table.MORSEL_ROWS);
            out.add(new Batch(meta.schema(), byChunk.get(c), n));
        }
        return out;
    }

    /** Builders for one column of a row group, cut every 64K rows. */
    static final class ChunkSink {
        private final DataType type;
        private final long rows;
        private final QueryMemory mem;
        private final List<ColumnVector> done = new ArrayList<>();
        private VectorBuilder current;
        private int inCurrent;
        private long total;

        ChunkSink(DataType type, long rows, QueryMemory mem) {
            this.type = type;
            this.rows = rows;
            this.mem = mem;
        }

        /** The builder for the next value. */
        VectorBuilder next() {
            if (total >= rows) throw new IllegalStateException("more values than the row group's " + rows + " rows");
            if (current == null) current = new VectorBuilder(type, mem, (int) Math.min(Table.MORSEL_ROWS, rows - total));
            total++;
            if (++inCurrent == Table.MORSEL_ROWS) {
                VectorBuilder b = current;
                current = null;
                inCurrent = 0;
                pendingCut = b;
                return b;
            }
            return current;
        }

        private VectorBuilder pendingCut;

        /** Called after each value is appended: a full builder becomes a vector. */
        void appended() {
            if (pendingCut != null) {
                done.add(pendingCut.build());
                pendingCut = null;
            }
        }

        List<ColumnVector> finish(Path file, String column) {
            if (current != null) done.add(current.build());
            if (total != rows) throw new KilnException(file + ", column " + column + ": " + total + " values for a row group of " + rows + " rows");
            return done;
        }
    }

    /** Decodes the pages of one column chunk into a sink. */
    private static final class ColumnChunk {
        private final MemorySegment seg;
        private final ParquetMetadata.Column column;
        private final ParquetMetadata.Chunk chunk;
        private final ChunkSink sink;
        private MemorySegment dictionary;
        private int dictionarySize;
        private long[] dictionaryOffsets; // BYTE_ARRAY dictionaries: offset of each value's length prefix

        ColumnChunk(MemorySegment seg, ParquetMetadata.Column column, ParquetMetadata.Chunk chunk, ChunkSink sink) {
            this.seg = seg;
            this.column = column;
            this.chunk = chunk;
            this.sink = sink;
        }

        void read() {
            long pos = chunk.dictionaryOffset() > 0 ? Math.min(chunk.dictionaryOffset(), chunk.dataOffset()) : chunk.dataOffset();
            long end = pos + chunk.compressedSize();
            long values = 0;
            while (values < chunk.numValues()) {
                if (pos >= end) throw new IllegalStateException("column chunk ends after " + values + " of " + chunk.numValues() + " values");
                ThriftCompact t = new ThriftCompact(seg, pos, end);
                ThriftCompact.Struct header = t.struct();
                long body = t.position();
                int compressed = header.i32(3, -1);
                int uncompressed = header.i32(2, -1);
                if (compressed < 0 || body + compressed > end) throw new IllegalStateException("page of " + compressed + " bytes overruns the column chunk");
                switch (header.i32(1, -1)) {
                    case 2 -> dictionaryPage(header.struct(7), decompress(body, compressed, uncompressed));
                    case 0 -> values += dataPageV1(header.struct(5), decompress(body, compressed, uncompressed));
                    case 3 -> values += dataPageV2(header.struct(8), body, compressed, uncompressed);
                    default -> { } // index pages: not needed to read values
                }
                pos = body + compressed;
            }
        }

        private MemorySegment decompress(long from, int length, int uncompressed) {
            return switch (chunk.codec()) {
                case 0 -> seg.asSlice(from, length);
                case 1 -> MemorySegment.ofArray(Snappy.decompress(seg, from, length));
                case 2 -> MemorySegment.ofArray(gunzip(seg.asSlice(from, length).toArray(ValueLayout.JAVA_BYTE), uncompressed));
                case 6, 7 -> MemorySegment.ofArray(airlift(chunk.codec(), seg.asSlice(from, length).toArray(ValueLayout.JAVA_BYTE), uncompressed));
                default -> throw new KilnException("column " + column.name() + " is compressed with "
                        + ParquetMetadata.codecName(chunk.codec()) + ", which Kiln cannot read yet; rewrite the file with SNAPPY, GZIP, ZSTD, LZ4_RAW or no compression");
            };
        }

        /** ZSTD (6) and LZ4_RAW (7) pages, through aircompressor's pure-Java decoders. */
        private static byte[] airlift(int codec, byte[] in, int expected) {
            if (expected < 0) throw new IllegalStateException("page without an uncompressed size");
            byte[] out = new byte[expected];
            io.airlift.compress.Decompressor d = codec == 6 ? new io.airlift.compress.zstd.ZstdDecompressor() : new io.airlift.compress.lz4.Lz4Decompressor();
            int n;
            try {
                n = d.decompress(in, 0, in.length, out, 0, out.length);
            } catch (RuntimeException e) {
                throw new IllegalStateException("bad " + ParquetMetadata.codecName(codec) + " page: " + e.getMessage(), e);
            }
            if (n != expected) throw new IllegalStateException(ParquetMetadata.codecName(codec) + " page decoded to " + n + " bytes, header said " + expected);
            return out;
        }

        private static byte[] gunzip(byte[] in, int expected) {
            try (var z = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(in))) {
                byte[] out = z.readAllBytes();
                if (expected >= 0 && out.length != expected) throw new IllegalStateException("gzip page decoded to " + out.length + " bytes, header said " + expected);
                return out;
            } catch (IOException e) {
                throw new IllegalStateException("bad gzip page: " + e.getMessage(), e);
            }
        }

        private void dictionaryPage(ThriftCompact.Struct h, MemorySegment page) {
            dictionary = page;
            dictionarySize = h.i32(1, 0);
            if (column.physical() == ParquetMetadata.BYTE_ARRAY) {
                dictionaryOffsets = new long[dictionarySize];
                long p = 0;
                for (int i = 0; i < dictionarySize; i++) {
                    dictionaryOffsets[i] = p;
                    p += 4 + Integer.toUnsignedLong(page.get(I32, p));
                }
            }
        }

        private long dataPageV1(ThriftCompact.Struct h, MemorySegment page) {
            int n = h.i32(1, 0);
            long p = 0;
            int[] defined = null;
            if (column.optional()) {
                int len = page.get(I32, p);
                defined = new int[n];
                new RleHybrid(page, p + 4, p + 4 + len, 1).read(defined, n);
                p += 4 + len;
            }
            values(h.i32(2, 0), page, p, page.byteSize(), n, defined);
            return n;
        }

        private long dataPageV2(ThriftCompact.Struct h, long body, int compressed, int uncompressed) {
            int n = h.i32(1, 0);
            int defBytes = h.i32(5, 0);
            int repBytes = h.i32(6, 0);
            if (repBytes != 0) throw new KilnException("column " + column.name() + " has repetition levels: nested columns are not supported");
            int[] defined = null;
            if (column.optional()) {
                defined = new int[n];
                new RleHybrid(seg, body, body + defBytes, 1).read(defined, n);
            }
            long valuesFrom = body + defBytes;
            int valuesLength = compressed - defBytes;
            boolean isCompressed = !h.has(7) || Boolean.TRUE.equals(h.fields().get((short) 7));
            MemorySegment v = isCompressed ? decompress(valuesFrom, valuesLength, uncompressed - defBytes) : seg.asSlice(valuesFrom, valuesLength);
            values(h.i32(4, 0), v, 0, v.byteSize(), n, defined);
            return n;
        }

        /** n slots of the page: NULL where {@code defined[i] == 0}, else the next encoded value. */
        private void values(int encoding, MemorySegment page, long p, long end, int n, int[] defined) {
            int present = n;
            if (defined != null) {
                present = 0;
                for (int i = 0; i < n; i++) present += defined[i];
            }
            switch (encoding) {
                case 0 -> plain(page, p, end, n, defined);
                case 2, 8 -> {
                    if (dictionary == null) throw new IllegalStateException("dictionary-encoded page without a dictionary page");
                    int bitWidth = page.get(ValueLayout.JAVA_BYTE, p) & 0xFF;
                    int[] idx = new int[present];
                    new RleHybrid(page, p + 1, end, bitWidth).read(idx, present);
                    int k = 0;
                    for (int i = 0; i < n; i++) {
                        VectorBuilder b = sink.next();
                        if (defined != null && defined[i] == 0) {
                            b.appendNull();
                        } else {
                            int d = idx[k++];
                            if (d < 0 || d >= dictionarySize) throw new IllegalStateException("dictionary index " + d + " of " + dictionarySize);
                            dictionaryValue(d, b);
                        }
                        sink.appended();
                    }
                }
                default -> throw new KilnException("column " + column.name() + " uses the Parquet encoding " + ParquetMetadata.encodingName(encoding)
                        + ", which Kiln cannot read yet (PLAIN and dictionary encodings are supported)");
            }
        }

        private void plain(MemorySegment page, long p, long end, int n, int[] defined) {
            long[] cursor = {p};
            int bit = 0;
            for (int i = 0; i < n; i++) {
                VectorBuilder b = sink.next();
                if (defined != null && defined[i] == 0) {
                    b.appendNull();
                } else if (column.physical() == ParquetMetadata.BOOLEAN) {
                    b.appendBoolean(((page.get(ValueLayout.JAVA_BYTE, cursor[0] + (bit >>> 3)) >>> (bit & 7)) & 1) == 1);
                    bit++;
                } else {
                    cursor[0] = plainValue(page, cursor[0], b);
                }
                sink.appended();
            }
        }

        private void dictionaryValue(int d, VectorBuilder b) {
            if (column.physical() == ParquetMetadata.BYTE_ARRAY) {
                plainValue(dictionary, dictionaryOffsets[d], b);
            } else {
                plainValue(dictionary, (long) d * column.valueBytes(), b);
            }
        }

        /** Appends the PLAIN value at {@code p}; returns where the next one starts. */
        private long plainValue(MemorySegment s, long p, VectorBuilder b) {
            DataType t = column.kilnType();
            return switch (column.physical()) {
                case ParquetMetadata.INT32 -> {
                    int v = s.get(I32, p);
                    if (t instanceof DataType.DecimalType || t.equals(DataType.BIGINT)) b.appendLong(v);
                    else b.appendInt(v);
                    yield p + 4;
                }
                case ParquetMetadata.INT64 -> {
                    long v = s.get(I64, p);
                    b.appendLong(column.timestampScale() == 0 ? v : column.toMicros(v));
                    yield p + 8;
                }
                case ParquetMetadata.INT96 -> {
                    long nanos = s.get(I64, p);
                    long julian = Integer.toUnsignedLong(s.get(I32, p + 8));
                    b.appendLong((julian - 2_440_588L) * 86_400_000_000L + nanos / 1000);
                    yield p + 12;
                }
                case ParquetMetadata.FLOAT -> {
                    b.appendDouble(s.get(F32, p));
                    yield p + 4;
                }
                case ParquetMetadata.DOUBLE -> {
                    b.appendDouble(s.get(F64, p));
                    yield p + 8;
                }
                case ParquetMetadata.BYTE_ARRAY -> {
                    int len = s.get(I32, p);
                    if (len < 0 || p + 4 + len > s.byteSize()) throw new IllegalStateException("string of " + len + " bytes overruns its page");
                    if (t instanceof DataType.DecimalType) b.appendLong(bigEndian(s, p + 4, len));
                    else b.appendString(s, p + 4, len);
                    yield p + 4 + len;
                }
                case ParquetMetadata.FIXED_LEN_BYTE_ARRAY -> {
                    b.appendLong(bigEndian(s, p, column.valueBytes()));
                    yield p + column.valueBytes();
                }
                default -> throw new IllegalStateException("unknown physical type " + column.physical());
            };
        }

        /** A big-endian two's-complement integer of up to 8 bytes (an unscaled DECIMAL). */
        private long bigEndian(MemorySegment s, long p, int len) {
            if (len > 8) {
                // precision ≤ 18 fits 8 bytes: the leading bytes can only be sign extension
                for (int i = 0; i < len - 8; i++) {
                    byte x = s.get(ValueLayout.JAVA_BYTE, p + i);
                    if (x != 0 && x != -1) throw new IllegalStateException("decimal value does not fit 64 bits");
                }
                p += len - 8;
                len = 8;
            }
            long v = s.get(ValueLayout.JAVA_BYTE, p); // sign-extended first byte
            for (int i = 1; i < len; i++) v = (v << 8) | (s.get(ValueLayout.JAVA_BYTE, p + i) & 0xFF);
            return v;
        }
    }

    /** The Kiln schema of a Parquet file, without reading its data. */
    public static Schema schema(Path file) {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            int footerLength = seg.get(I32, size - 8);
            return ParquetMetadata.parse(new ThriftCompact(seg, size - 8 - footerLength, size - 8).struct(), file).schema();
        } catch (IOException e) {
            throw new KilnException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static Field field(String name, DataType type, boolean nullable) {
        return new Field(name, type, nullable);
    }
}
