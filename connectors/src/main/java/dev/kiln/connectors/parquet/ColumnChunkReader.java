package dev.kiln.connectors.parquet;

import dev.kiln.connectors.parquet.FooterModel.ColumnMetaData;
import dev.kiln.connectors.parquet.FooterModel.DataPageHeader;
import dev.kiln.connectors.parquet.FooterModel.DataPageHeaderV2;
import dev.kiln.connectors.parquet.FooterModel.DictionaryPageHeader;
import dev.kiln.connectors.parquet.FooterModel.PageHeader;
import dev.kiln.connectors.parquet.ParquetColumn.Conversion;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.PhysicalKind;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.ColumnVector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Decodes one column chunk (one column of one row group) into vectors: walks its pages
 * (an optional dictionary page, then DATA_PAGE v1 or v2 pages), decompresses each, reads the
 * definition levels of OPTIONAL columns and the values: PLAIN, dictionary indices, RLE booleans,
 * and the v2 encodings DuckDB and Arrow write (DELTA_BINARY_PACKED integers,
 * DELTA_LENGTH_BYTE_ARRAY strings, BYTE_STREAM_SPLIT floats). Any malformed page is an error naming the file, row group and column, and frees
 * what the chunk had written.
 */
final class ColumnChunkReader {
    private final MemorySegment file;
    private final ParquetColumn column;
    private final ColumnMetaData meta;
    private final ColumnSliceWriter out;
    private DictionaryPage dictionary;
    private int[] levels = new int[0];
    private int[] indices = new int[0];

    private ColumnChunkReader(MemorySegment file, ParquetColumn column, ColumnMetaData meta, ColumnSliceWriter out) {
        this.file = file;
        this.column = column;
        this.meta = meta;
        this.out = out;
    }

    /**
     * @param file     the whole mapped file
     * @param dataEnd  where the footer starts: no page may reach past it
     */
    static List<ColumnVector> read(String fileName, MemorySegment file, long dataEnd, int rowGroup, long rows, ParquetColumn column,
                                   ColumnMetaData meta, QueryMemory mem) {
        String where = fileName + ": row group " + rowGroup + ", column '" + column.field().name() + "': ";
        if (!PageDecompressor.supported(meta.codec())) {
            throw new KilnException(where + "compression " + PageDecompressor.codecName(meta.codec())
                    + " is not supported; rewrite the file with SNAPPY, ZSTD, GZIP, LZ4_RAW or no compression");
        }
        if (meta.type() != column.physical()) {
            throw new KilnException(where + "the chunk's type " + FooterModel.physicalName(meta.type()) + " differs from the schema's "
                    + FooterModel.physicalName(column.physical()) + "; the file is corrupt");
        }
        ColumnSliceWriter out = new ColumnSliceWriter(column.field().type(), rows, mem);
        try {
            new ColumnChunkReader(file, column, meta, out).pages(dataEnd, rows);
            return out.finish();
        } catch (ParquetFormatException | ThriftCompactReader.Corrupt | IndexOutOfBoundsException | ArithmeticException e) {
            out.abandon();
            throw new KilnException(where + describe(e) + "; the file is corrupt or was written incorrectly", e);
        } catch (KilnException e) {
            out.abandon();
            throw new KilnException(where + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            out.abandon();
            throw e;
        }
    }

    private static String describe(RuntimeException e) {
        return switch (e) {
            case IndexOutOfBoundsException x -> "a page ends before its values do";
            case ArithmeticException x -> "a value overflows a TIMESTAMP";
            default -> e.getMessage();
        };
    }

    private void pages(long dataEnd, long rows) {
        long start = meta.firstPageOffset();
        long end = start + meta.totalCompressedSize();
        if (start < 4 || meta.totalCompressedSize() < 0 || end > dataEnd) {
            throw new ParquetFormatException("the column chunk (bytes " + start + " to " + end + ") lies outside the file's data (bytes 4 to " + dataEnd + ")");
        }
        if (meta.numValues() != rows) {
            throw new ParquetFormatException("the chunk has " + meta.numValues() + " values but the row group has " + rows + " rows");
        }
        long pos = start;
        long seen = 0;
        while (seen < rows) {
            if (pos >= end) throw new ParquetFormatException("the pages end after " + seen + " of " + rows + " values");
            PageHeader h = FooterDecoder.pageHeader(file, pos, end);
            long body = pos + h.headerBytes();
            if (h.compressedSize() > end - body) throw new ParquetFormatException("a page of " + h.compressedSize() + " bytes runs past the end of its column chunk");
            MemorySegment raw = file.asSlice(body, h.compressedSize());
            pos = body + h.compressedSize();
            switch (h.type()) {
                case FooterModel.DICTIONARY_PAGE -> dictionaryPage(h, raw);
                case FooterModel.DATA_PAGE -> seen += dataPageV1(h, raw);
                case FooterModel.DATA_PAGE_V2 -> seen += dataPageV2(h, raw);
                default -> { } // index pages and future page types carry no values
            }
        }
    }

    private void dictionaryPage(PageHeader h, MemorySegment raw) {
        DictionaryPageHeader d = h.dictionaryPage().orElseThrow(() -> new ParquetFormatException("a dictionary page has no dictionary header"));
        if (d.encoding() != FooterModel.PLAIN && d.encoding() != FooterModel.PLAIN_DICTIONARY) {
            throw new ParquetFormatException("the dictionary page uses encoding " + FooterModel.encodingName(d.encoding()) + ", expected PLAIN");
        }
        dictionary = new DictionaryPage(PageDecompressor.decompress(meta.codec(), raw, h.uncompressedSize()), d.numValues(), column);
    }

    private int dataPageV1(PageHeader h, MemorySegment raw) {
        DataPageHeader d = h.dataPage().orElseThrow(() -> new ParquetFormatException("a data page has no data page header"));
        MemorySegment page = PageDecompressor.decompress(meta.codec(), raw, h.uncompressedSize());
        int n = d.numValues();
        long p = 0;
        boolean nullable = column.field().nullable();
        if (nullable) {
            if (d.definitionLevelEncoding() != FooterModel.RLE) {
                throw new ParquetFormatException("definition levels use encoding " + FooterModel.encodingName(d.definitionLevelEncoding()) + ", expected RLE");
            }
            int len = page.get(PlainDecoder.INT_LE, 0);
            if (len < 0 || len > page.byteSize() - 4) throw new ParquetFormatException("the definition levels' length " + len + " exceeds the page");
            decodeLevels(page, 4, 4 + len, n);
            p = 4 + len;
        }
        values(page, p, n, nullable, d.encoding());
        return n;
    }

    private int dataPageV2(PageHeader h, MemorySegment raw) {
        DataPageHeaderV2 d = h.dataPageV2().orElseThrow(() -> new ParquetFormatException("a data page v2 has no v2 header"));
        if (d.repetitionLevelsByteLength() != 0) throw new ParquetFormatException("the page has repetition levels, which a flat column cannot have");
        int levelBytes = d.definitionLevelsByteLength();
        if (levelBytes > raw.byteSize()) throw new ParquetFormatException("the definition levels' length " + levelBytes + " exceeds the page");
        int n = d.numValues();
        if (d.numRows() != n) throw new ParquetFormatException("a v2 page has " + n + " values for " + d.numRows() + " rows, which a flat column cannot have");
        boolean nullable = column.field().nullable();
        if (nullable) decodeLevels(raw, 0, levelBytes, n);
        // in v2 the levels are never compressed, only the values after them
        MemorySegment valuesRaw = raw.asSlice(levelBytes);
        int valuesSize = h.uncompressedSize() - levelBytes;
        MemorySegment page = d.compressed() ? PageDecompressor.decompress(meta.codec(), valuesRaw, valuesSize) : valuesRaw;
        values(page, 0, n, nullable, d.encoding());
        return n;
    }

    private void decodeLevels(MemorySegment page, long from, long to, int n) {
        if (levels.length < n) levels = new int[n];
        new RleBitPackedDecoder(page, from, to, 1).decode(levels, 0, n);
    }

    /** Writes the page's {@code n} rows; with {@code nullable}, {@link #levels} says which are present. */
    private void values(MemorySegment page, long p, int n, boolean nullable, int encoding) {
        int present = n;
        if (nullable) {
            present = 0;
            for (int i = 0; i < n; i++) {
                if ((levels[i] & ~1) != 0) throw new ParquetFormatException("definition level " + levels[i] + " in a flat column (expected 0 or 1)");
                present += levels[i];
            }
        }
        switch (encoding) {
            case FooterModel.PLAIN -> plain(page, p, n, nullable, present);
            case FooterModel.PLAIN_DICTIONARY, FooterModel.RLE_DICTIONARY -> {
                if (dictionary == null) throw new ParquetFormatException("a dictionary-encoded page has no dictionary page before it");
                int bitWidth = page.get(ValueLayout.JAVA_BYTE, p) & 0xFF;
                indices(new RleBitPackedDecoder(page, p + 1, page.byteSize(), bitWidth), present);
                int k = 0;
                for (int i = 0; i < n; i++) {
                    if (nullable && levels[i] == 0) out.putNull();
                    else dictionary.emit(out, indices[k++]);
                }
            }
            case FooterModel.RLE -> {
                if (column.conversion() != Conversion.BOOL) throw unsupported(encoding);
                int len = page.get(PlainDecoder.INT_LE, p);
                if (len < 0 || len > page.byteSize() - p - 4) throw new ParquetFormatException("RLE booleans' length " + len + " exceeds the page");
                indices(new RleBitPackedDecoder(page, p + 4, p + 4 + len, 1), present);
                int k = 0;
                for (int i = 0; i < n; i++) {
                    if (nullable && levels[i] == 0) out.putNull();
                    else out.putLong(indices[k++]);
                }
            }
            case FooterModel.DELTA_BINARY_PACKED -> {
                Conversion c = column.conversion();
                if (c != Conversion.INT32 && c != Conversion.UINT32 && c != Conversion.INT64 && c != Conversion.INT64_MILLIS) throw unsupported(encoding);
                long[] raw = new DeltaBinaryPackedDecoder(page, p, page.byteSize()).decode(present);
                int k = 0;
                for (int i = 0; i < n; i++) {
                    if (nullable && levels[i] == 0) out.putNull();
                    else out.putLong(fromDelta(c, raw[k++]));
                }
            }
            case FooterModel.DELTA_LENGTH_BYTE_ARRAY -> {
                if (column.conversion() != Conversion.STRING) throw unsupported(encoding);
                DeltaBinaryPackedDecoder lengths = new DeltaBinaryPackedDecoder(page, p, page.byteSize());
                long[] len = lengths.decode(present);
                long at = lengths.position();
                int k = 0;
                for (int i = 0; i < n; i++) {
                    if (nullable && levels[i] == 0) {
                        out.putNull();
                        continue;
                    }
                    long l = len[k++];
                    if (l < 0 || l > page.byteSize() - at) throw new ParquetFormatException("a string of " + l + " bytes runs past the end of its page");
                    out.putString(page, at, (int) l);
                    at += l;
                }
            }
            case FooterModel.BYTE_STREAM_SPLIT -> {
                if (!column.conversion().floating()) throw unsupported(encoding);
                int width = column.conversion() == Conversion.FLOAT ? 4 : 8;
                if (p + (long) present * width > page.byteSize()) throw new ParquetFormatException("a page ends before its values do");
                byte[] one = new byte[8];
                MemorySegment v = MemorySegment.ofArray(one);
                int k = 0;
                for (int i = 0; i < n; i++) {
                    if (nullable && levels[i] == 0) {
                        out.putNull();
                        continue;
                    }
                    // byte j of value k sits in stream j, at position k
                    for (int j = 0; j < width; j++) one[j] = page.get(ValueLayout.JAVA_BYTE, p + (long) j * present + k);
                    k++;
                    out.putDouble(new PlainDecoder(v, 0, column.conversion(), 0).nextDouble());
                }
            }
            default -> throw unsupported(encoding);
        }
    }

    /** A raw DELTA_BINARY_PACKED integer as the Kiln value (INT32 deltas wrap at 32 bits). */
    private static long fromDelta(Conversion c, long raw) {
        return switch (c) {
            case INT32 -> (int) raw;
            case UINT32 -> raw & 0xFFFF_FFFFL;
            case INT64_MILLIS -> Math.multiplyExact(raw, 1000L);
            default -> raw;
        };
    }

    private void indices(RleBitPackedDecoder d, int n) {
        if (indices.length < n) indices = new int[n];
        d.decode(indices, 0, n);
    }

    private KilnException unsupported(int encoding) {
        return new KilnException("encoding " + FooterModel.encodingName(encoding) + " is not supported for " + column.parquetType()
                + "; rewrite the file with PLAIN or dictionary encoding");
    }

    private void plain(MemorySegment page, long p, int n, boolean nullable, int present) {
        Conversion c = column.conversion();
        PhysicalKind kind = column.field().type().physical();
        boolean direct = (c == Conversion.INT32 && kind == PhysicalKind.I32) || (c == Conversion.INT64 && kind == PhysicalKind.I64) || c == Conversion.DOUBLE;
        if (direct && present == n) {
            // no NULLs and the stored layout is Kiln's: bulk copies
            long width = kind == PhysicalKind.I32 ? 4 : 8;
            if (p + n * width > page.byteSize()) throw new ParquetFormatException("a page ends before its values do");
            for (int left = n; left > 0; ) {
                int took = out.copyFixed(page, p, left);
                p += took * width;
                left -= took;
            }
            return;
        }
        PlainDecoder d = new PlainDecoder(page, p, c, column.typeLength());
        for (int i = 0; i < n; i++) {
            if (nullable && levels[i] == 0) {
                out.putNull();
                continue;
            }
            switch (c) {
                case STRING -> {
                    d.nextString();
                    out.putString(page, d.stringOffset(), d.stringLength());
                }
                case FLOAT, DOUBLE -> out.putDouble(d.nextDouble());
                default -> out.putLong(d.nextLong());
            }
        }
    }
}
