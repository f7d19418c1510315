package dev.kiln.connectors.parquet;

import dev.kiln.connectors.parquet.FooterModel.FileMetaData;
import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One Parquet file as opened: its decoded footer and leaf columns, and where its data ends.
 * Layout: {@code PAR1}, column chunks, the Thrift footer, the footer's 4-byte little-endian
 * length, {@code PAR1}.
 */
record ParquetFile(Path path, long size, long dataEnd, FileMetaData meta, List<ParquetColumn> columns) {
    static final int MAGIC = 0x31524150; // "PAR1" read little-endian

    static ParquetFile open(Path path) {
        String name = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = ch.size();
            if (size < 12) {
                throw new KilnException(name + ": not a Parquet file: it has " + size + " bytes, fewer than the 12 of the magic PAR1, a footer length and PAR1 again"
                        + (size == 0 ? "" : "; the file may be truncated"));
            }
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            if (file.get(PlainDecoder.INT_LE, 0) != MAGIC) {
                throw new KilnException(name + ": not a Parquet file: it does not start with the magic bytes PAR1");
            }
            if (file.get(PlainDecoder.INT_LE, size - 4) != MAGIC) {
                throw new KilnException(name + ": not a Parquet file, or a truncated one: it does not end with the magic bytes PAR1");
            }
            long footerLength = file.get(PlainDecoder.INT_LE, size - 8) & 0xFFFF_FFFFL;
            long footerStart = size - 8 - footerLength;
            if (footerStart < 4) {
                throw new KilnException(name + ": corrupt footer: its length " + footerLength + " (in the last 8 bytes) exceeds the "
                        + (size - 12) + " bytes between the magic numbers; the file is damaged");
            }
            FileMetaData meta;
            try {
                meta = FooterDecoder.fileMetaData(file, footerStart, size - 8);
            } catch (ThriftCompactReader.Corrupt e) {
                throw new KilnException(name + ": corrupt footer: " + e.getMessage() + " (the footer spans bytes " + footerStart + " to " + (size - 8) + ")");
            }
            List<ParquetColumn> columns = ParquetSchema.columns(name, meta.schema());
            checkRowGroups(name, meta, columns.size());
            return new ParquetFile(path, size, footerStart, meta, columns);
        } catch (IOException e) {
            throw new KilnException("cannot read Parquet file " + name + ": " + e.getMessage());
        }
    }

    private static void checkRowGroups(String name, FileMetaData meta, int columns) {
        long rows = 0;
        for (int g = 0; g < meta.rowGroups().size(); g++) {
            var rg = meta.rowGroups().get(g);
            if (rg.columns().size() != columns) {
                throw new KilnException(name + ": corrupt footer: row group " + g + " has " + rg.columns().size() + " column chunks for " + columns + " columns");
            }
            for (var c : rg.columns()) {
                if (c.filePath().isPresent()) {
                    throw new KilnException(name + ": row group " + g + " keeps its data in another file (" + c.filePath().get() + "), which Kiln does not read");
                }
            }
            rows += rg.numRows();
        }
        if (rows != meta.numRows()) {
            throw new KilnException(name + ": corrupt footer: the row groups hold " + rows + " rows but the footer says " + meta.numRows());
        }
    }

    /** Maps the file for reading, after checking that it is the file that was opened. */
    MemorySegment map(Arena arena) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (ch.size() != size) {
                throw new KilnException(path + ": the file changed since it was opened (" + size + " bytes then, " + ch.size() + " now); register it again");
            }
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            if (file.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), size - 4) != MAGIC) {
                throw new KilnException(path + ": the file changed since it was opened; register it again");
            }
            return file;
        } catch (IOException e) {
            throw new KilnException("cannot read Parquet file " + path + ": " + e.getMessage());
        }
    }
}
