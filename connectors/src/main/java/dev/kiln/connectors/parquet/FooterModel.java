package dev.kiln.connectors.parquet;

import java.util.List;
import java.util.Optional;

/**
 * The parts of Parquet's footer (the Thrift structures of {@code parquet.thrift}) that Kiln
 * uses, as immutable records; fields Kiln does not need are skipped when decoding. Enum-valued
 * fields keep Parquet's numbers, named by the constants here.
 */
final class FooterModel {
    private FooterModel() {}

    // physical types
    static final int BOOLEAN = 0, INT32 = 1, INT64 = 2, INT96 = 3, FLOAT = 4, DOUBLE = 5, BYTE_ARRAY = 6, FIXED_LEN_BYTE_ARRAY = 7;
    // repetition
    static final int REQUIRED = 0, OPTIONAL = 1, REPEATED = 2;
    // legacy converted types (the ones Kiln maps)
    static final int UTF8 = 0, ENUM = 4, DECIMAL = 5, DATE = 6, TIMESTAMP_MILLIS = 9, TIMESTAMP_MICROS = 10,
            UINT_8 = 11, UINT_16 = 12, UINT_32 = 13, UINT_64 = 14, INT_8 = 15, INT_16 = 16, INT_32 = 17, INT_64 = 18, JSON = 19;
    // page types
    static final int DATA_PAGE = 0, INDEX_PAGE = 1, DICTIONARY_PAGE = 2, DATA_PAGE_V2 = 3;
    // encodings
    static final int PLAIN = 0, PLAIN_DICTIONARY = 2, RLE = 3, BIT_PACKED = 4, DELTA_BINARY_PACKED = 5,
            DELTA_LENGTH_BYTE_ARRAY = 6, DELTA_BYTE_ARRAY = 7, RLE_DICTIONARY = 8, BYTE_STREAM_SPLIT = 9;

    static String physicalName(int type) {
        return switch (type) {
            case BOOLEAN -> "BOOLEAN";
            case INT32 -> "INT32";
            case INT64 -> "INT64";
            case INT96 -> "INT96";
            case FLOAT -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case BYTE_ARRAY -> "BYTE_ARRAY";
            case FIXED_LEN_BYTE_ARRAY -> "FIXED_LEN_BYTE_ARRAY";
            default -> "physical type #" + type;
        };
    }

    static String encodingName(int e) {
        return switch (e) {
            case PLAIN -> "PLAIN";
            case PLAIN_DICTIONARY -> "PLAIN_DICTIONARY";
            case RLE -> "RLE";
            case BIT_PACKED -> "BIT_PACKED";
            case DELTA_BINARY_PACKED -> "DELTA_BINARY_PACKED";
            case DELTA_LENGTH_BYTE_ARRAY -> "DELTA_LENGTH_BYTE_ARRAY";
            case DELTA_BYTE_ARRAY -> "DELTA_BYTE_ARRAY";
            case RLE_DICTIONARY -> "RLE_DICTIONARY";
            case BYTE_STREAM_SPLIT -> "BYTE_STREAM_SPLIT";
            default -> "encoding #" + e;
        };
    }

    /** The newer LogicalType union; absent when the writer only set a converted type. */
    sealed interface Logical {
        record StringType() implements Logical {}
        record EnumType() implements Logical {}
        record JsonType() implements Logical {}
        record DecimalType(int precision, int scale) implements Logical {}
        record DateType() implements Logical {}
        /** unit: 1 millis, 2 micros, 3 nanos */
        record TimestampType(boolean utc, int unit) implements Logical {}
        record IntType(int bitWidth, boolean signed) implements Logical {}
        /** TIME, UUID, INTERVAL, FLOAT16, MAP, LIST, …: named in the error that rejects it */
        record Other(String name) implements Logical {}
    }

    record SchemaElement(String name, Optional<Integer> type, int typeLength, Optional<Integer> repetition, int numChildren,
                         Optional<Integer> convertedType, int scale, int precision, Optional<Logical> logical) {}

    /** Min/max as the writer stored them (PLAIN-encoded bytes); legacy means the deprecated min/max fields. */
    record Statistics(Optional<byte[]> min, Optional<byte[]> max, boolean legacy, Optional<Long> nullCount) {
        static final Statistics NONE = new Statistics(Optional.empty(), Optional.empty(), false, Optional.empty());
    }

    record ColumnMetaData(int type, List<String> path, int codec, long numValues, long totalCompressedSize,
                          long dataPageOffset, Optional<Long> dictionaryPageOffset, Statistics statistics) {
        /** Where the chunk's first page starts: the dictionary page when there is one. */
        long firstPageOffset() {
            return dictionaryPageOffset.filter(d -> d > 0 && d < dataPageOffset).orElse(dataPageOffset);
        }
    }

    record ColumnChunk(Optional<String> filePath, ColumnMetaData meta) {}

    record RowGroup(List<ColumnChunk> columns, long numRows) {}

    record FileMetaData(List<SchemaElement> schema, long numRows, List<RowGroup> rowGroups) {}

    record DataPageHeader(int numValues, int encoding, int definitionLevelEncoding) {}

    record DataPageHeaderV2(int numValues, int numNulls, int numRows, int encoding, int definitionLevelsByteLength,
                            int repetitionLevelsByteLength, boolean compressed) {}

    record DictionaryPageHeader(int numValues, int encoding) {}

    /** A page header and the number of bytes it took. */
    record PageHeader(int type, int uncompressedSize, int compressedSize, Optional<DataPageHeader> dataPage,
                      Optional<DataPageHeaderV2> dataPageV2, Optional<DictionaryPageHeader> dictionaryPage, int headerBytes) {}
}
