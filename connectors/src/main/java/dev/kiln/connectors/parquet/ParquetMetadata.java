package dev.kiln.connectors.parquet;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What Kiln needs from a Parquet footer (FileMetaData): the flat schema mapped to Kiln types, and
 * for each row group its row count and each column chunk's codec, page offsets and sizes.
 */
record ParquetMetadata(Schema schema, List<Column> columns, List<RowGroup> rowGroups) {
    static final int BOOLEAN = 0;
    static final int INT32 = 1;
    static final int INT64 = 2;
    static final int INT96 = 3;
    static final int FLOAT = 4;
    static final int DOUBLE = 5;
    static final int BYTE_ARRAY = 6;
    static final int FIXED_LEN_BYTE_ARRAY = 7;

    /**
     * One leaf column: its Parquet physical type and byte width (for fixed-width dictionaries),
     * whether it is OPTIONAL, its Kiln type, and for INT64 timestamps the factor to microseconds
     * (-1000 for nanoseconds: divide; 1000 for milliseconds: multiply; 0 for none).
     */
    record Column(String name, int physical, int valueBytes, boolean optional, DataType kilnType, int timestampScale) {
        long toMicros(long v) {
            return timestampScale > 0 ? Math.multiplyExact(v, timestampScale) : Math.floorDiv(v, -timestampScale);
        }
    }

    record Chunk(int codec, long numValues, long dataOffset, long dictionaryOffset, long compressedSize) {}

    record RowGroup(long rows, List<Chunk> chunks) {}

    static ParquetMetadata parse(ThriftCompact.Struct fileMeta, Path file) {
        List<Object> elements = fileMeta.list(2);
        if (elements.isEmpty()) throw new KilnException(file + ": the Parquet footer has no schema");
        ThriftCompact.Struct root = (ThriftCompact.Struct) elements.getFirst();
        int children = root.i32(5, 0);
        if (children != elements.size() - 1) {
            throw new KilnException(file + ": nested columns (groups, lists, maps) are not supported; Kiln reads flat Parquet schemas of primitive columns");
        }
        List<Column> columns = new ArrayList<>();
        List<Field> fields = new ArrayList<>();
        for (int i = 1; i < elements.size(); i++) {
            ThriftCompact.Struct e = (ThriftCompact.Struct) elements.get(i);
            String name = e.string(4);
            if (e.i32(5, 0) > 0 || !e.has(1)) throw new KilnException(file + ": column " + name + " is a nested group; Kiln reads flat Parquet schemas only");
            int repetition = e.i32(3, 0);
            if (repetition == 2) throw new KilnException(file + ": column " + name + " is REPEATED; repeated (list) columns are not supported");
            Column c = column(file, name.toLowerCase(Locale.ROOT), e, repetition == 1);
            columns.add(c);
            fields.add(new Field(c.name(), c.kilnType(), c.optional()));
        }
        List<RowGroup> groups = new ArrayList<>();
        for (Object o : fileMeta.list(4)) {
            ThriftCompact.Struct rg = (ThriftCompact.Struct) o;
            List<Chunk> chunks = new ArrayList<>();
            for (Object co : rg.list(1)) {
                ThriftCompact.Struct cc = (ThriftCompact.Struct) co;
                if (cc.string(1) != null) throw new KilnException(file + ": column chunks in other files (file_path) are not supported");
                ThriftCompact.Struct m = cc.struct(3);
                if (m == null) throw new KilnException(file + ": a column chunk has no metadata");
                chunks.add(new Chunk(m.i32(4, 0), m.i64(5, 0), m.i64(9, -1), m.i64(11, -1), m.i64(7, 0)));
            }
            if (chunks.size() != columns.size()) throw new KilnException(file + ": a row group has " + chunks.size() + " column chunks for " + columns.size() + " columns");
            groups.add(new RowGroup(rg.i64(3, 0), chunks));
        }
        return new ParquetMetadata(new Schema(fields), columns, groups);
    }

    private static Column column(Path file, String name, ThriftCompact.Struct e, boolean optional) {
        int physical = e.i32(1, -1);
        int converted = e.i32(6, -1);
        ThriftCompact.Struct logical = e.struct(10);
        boolean decimal = converted == 5 || (logical != null && logical.has(5));
        int precision = logical != null && logical.struct(5) != null ? logical.struct(5).i32(2, 0) : e.i32(8, 0);
        int scale = logical != null && logical.struct(5) != null ? logical.struct(5).i32(1, 0) : e.i32(7, 0);
        if (decimal) {
            if (precision > DataType.DecimalType.MAX_PRECISION) {
                throw new KilnException(file + ": column " + name + " is DECIMAL(" + precision + "," + scale + "), wider than Kiln's DECIMAL(18,s); cast it in the writer to DECIMAL(18,s) or DOUBLE");
            }
            int bytes = physical == FIXED_LEN_BYTE_ARRAY ? e.i32(2, 0) : physical == INT32 ? 4 : 8;
            return new Column(name, physical, bytes, optional, DataType.decimal(precision, scale), 0);
        }
        return switch (physical) {
            case BOOLEAN -> new Column(name, physical, 1, optional, DataType.BOOLEAN, 0);
            case INT32 -> {
                boolean date = converted == 6 || (logical != null && logical.has(6));
                int bits = logical != null && logical.struct(10) != null ? logical.struct(10).i32(1, 32) : converted == 15 ? 8 : converted == 16 ? 16 : 32;
                boolean unsigned = (logical != null && logical.struct(10) != null && !Boolean.TRUE.equals(logical.struct(10).fields().get((short) 2)))
                        || (converted >= 11 && converted <= 14);
                DataType t = date ? DataType.DATE : unsigned ? DataType.BIGINT : bits == 8 ? DataType.TINYINT : bits == 16 ? DataType.SMALLINT : DataType.INTEGER;
                yield new Column(name, physical, 4, optional, t, 0);
            }
            case INT64 -> {
                ThriftCompact.Struct ts = logical != null ? logical.struct(8) : null;
                int scaleToMicros = 0;
                boolean timestamp = ts != null || converted == 9 || converted == 10;
                if (ts != null) {
                    ThriftCompact.Struct unit = ts.struct(2);
                    scaleToMicros = unit == null || unit.has(2) ? 0 : unit.has(1) ? 1000 : -1000;
                } else if (converted == 9) {
                    scaleToMicros = 1000;
                }
                yield new Column(name, physical, 8, optional, timestamp ? DataType.TIMESTAMP : DataType.BIGINT, scaleToMicros);
            }
            case INT96 -> new Column(name, physical, 12, optional, DataType.TIMESTAMP, 0);
            case FLOAT -> new Column(name, physical, 4, optional, DataType.DOUBLE, 0);
            case DOUBLE -> new Column(name, physical, 8, optional, DataType.DOUBLE, 0);
            case BYTE_ARRAY -> new Column(name, physical, 0, optional, DataType.VARCHAR, 0);
            default -> throw new KilnException(file + ": column " + name + " has the Parquet type " + physicalName(physical)
                    + (physical == FIXED_LEN_BYTE_ARRAY ? " without a DECIMAL annotation" : "") + ", which Kiln cannot read yet");
        };
    }

    static String physicalName(int t) {
        return switch (t) {
            case BOOLEAN -> "BOOLEAN";
            case INT32 -> "INT32";
            case INT64 -> "INT64";
            case INT96 -> "INT96";
            case FLOAT -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case BYTE_ARRAY -> "BYTE_ARRAY";
            case FIXED_LEN_BYTE_ARRAY -> "FIXED_LEN_BYTE_ARRAY";
            default -> "type #" + t;
        };
    }

    static String codecName(int c) {
        return switch (c) {
            case 0 -> "UNCOMPRESSED";
            case 1 -> "SNAPPY";
            case 2 -> "GZIP";
            case 3 -> "LZO";
            case 4 -> "BROTLI";
            case 5 -> "LZ4";
            case 6 -> "ZSTD";
            case 7 -> "LZ4_RAW";
            default -> "codec #" + c;
        };
    }

    static String encodingName(int e) {
        return switch (e) {
            case 0 -> "PLAIN";
            case 2 -> "PLAIN_DICTIONARY";
            case 3 -> "RLE";
            case 4 -> "BIT_PACKED";
            case 5 -> "DELTA_BINARY_PACKED";
            case 6 -> "DELTA_LENGTH_BYTE_ARRAY";
            case 7 -> "DELTA_BYTE_ARRAY";
            case 8 -> "RLE_DICTIONARY";
            case 9 -> "BYTE_STREAM_SPLIT";
            default -> "encoding #" + e;
        };
    }
}
