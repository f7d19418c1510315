package dev.kiln.connectors.parquet;

import dev.kiln.connectors.parquet.FooterModel.ColumnChunk;
import dev.kiln.connectors.parquet.FooterModel.ColumnMetaData;
import dev.kiln.connectors.parquet.FooterModel.DataPageHeader;
import dev.kiln.connectors.parquet.FooterModel.DataPageHeaderV2;
import dev.kiln.connectors.parquet.FooterModel.DictionaryPageHeader;
import dev.kiln.connectors.parquet.FooterModel.FileMetaData;
import dev.kiln.connectors.parquet.FooterModel.Logical;
import dev.kiln.connectors.parquet.FooterModel.PageHeader;
import dev.kiln.connectors.parquet.FooterModel.RowGroup;
import dev.kiln.connectors.parquet.FooterModel.SchemaElement;
import dev.kiln.connectors.parquet.FooterModel.Statistics;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes the Thrift structures of {@link FooterModel} (field ids from {@code parquet.thrift}).
 * Each method reads one struct whose field header has just been read; malformed input throws
 * {@link ThriftCompactReader.Corrupt}.
 */
final class FooterDecoder {
    private FooterDecoder() {}

    static FileMetaData fileMetaData(MemorySegment seg, long start, long end) {
        ThriftCompactReader r = new ThriftCompactReader(seg, start, end);
        List<SchemaElement> schema = List.of();
        List<RowGroup> groups = List.of();
        long rows = -1;
        r.beginStruct();
        for (int id; (id = r.nextField()) >= 0; ) {
            switch (id) {
                case 2 -> {
                    int n = r.beginList();
                    schema = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) schema.add(schemaElement(r));
                }
                case 3 -> rows = r.readI64();
                case 4 -> {
                    int n = r.beginList();
                    groups = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) groups.add(rowGroup(r));
                }
                default -> r.skip();
            }
        }
        if (schema.isEmpty()) throw new ThriftCompactReader.Corrupt("the footer has no schema");
        if (rows < 0) throw new ThriftCompactReader.Corrupt("the footer has no row count");
        return new FileMetaData(List.copyOf(schema), rows, List.copyOf(groups));
    }

    private static SchemaElement schemaElement(ThriftCompactReader r) {
        String name = null;
        Optional<Integer> type = Optional.empty(), repetition = Optional.empty(), converted = Optional.empty();
        Optional<Logical> logical = Optional.empty();
        int typeLength = 0, children = 0, scale = 0, precision = 0;
        r.beginStruct();
        for (int id; (id = r.nextField()) >= 0; ) {
            switch (id) {
                case 1 -> type = Optional.of(r.readI32());
                case 2 -> typeLength = r.readI32();
                case 3 -> repetition = Optional.of(r.readI32());
                case 4 -> name = r.readString();
                case 5 -> children = r.readI32();
                case 6 -> converted = Optional.of(r.readI32());
                case 7 -> scale = r.readI32();
                case 8 -> precision = r.readI32();
                case 10 -> logical = Optional.of(logicalType(r));
                default -> r.skip();
            }
        }
        if (name == null) throw new ThriftCompactReader.Corrupt("a schema element has no name");
        return new SchemaElement(name, type, typeLength, repetition, children, converted, scale, precision, logical);
    }

    /** The LogicalType union: exactly one field is set. */
    private static Logical logicalType(ThriftCompactReader r) {
        Logical result = new Logical.Other("UNKNOWN");
        r.beginStruct();
        for (int id; (id = r.nextField()) >= 0; ) {
            result = switch (id) {
                case 1 -> emptyStruct(r, new Logical.StringType());
                case 4 -> emptyStruct(r, new Logical.EnumType());
                case 5 -> {
                    int scale = 0, precision = 0;
                    r.beginStruct();
                    for (int f; (f = r.nextField()) >= 0; ) {
                        if (f == 1) scale = r.readI32();
                        else if (f == 2) precision = r.readI32();
                        else r.skip();
                    }
                    yield new Logical.DecimalType(precision, scale);
                }
                case 6 -> emptyStruct(r, new Logical.DateType());
                case 8 -> {
                    boolean utc = false;
                    int unit = 0;
                    r.beginStruct();
                    for (int f; (f = r.nextField()) >= 0; ) {
                        if (f == 1) utc = r.readBool();
                        else if (f == 2) unit = timeUnit(r);
                        else r.skip();
                    }
                    yield new Logical.TimestampType(utc, unit);
                }
                case 10 -> {
                    int bits = 0;
                    boolean signed = true;
                    r.beginStruct();
                    for (int f; (f = r.nextField()) >= 0; ) {
                        if (f == 1) bits = r.readI32();
                        else if (f == 2) signed = r.readBool();
                        else r.skip();
                    }
                    yield new Logical.IntType(bits, signed);
                }
                case 12 -> emptyStruct(r, new Logical.JsonType());
                default -> {
                    r.skip();
                    yield new Logical.Other(switch (id) {
                        case 2 -> "MAP";
                        case 3 -> "LIST";
                        case 7 -> "TIME";
                        case 9 -> "INTERVAL";
                        case 11 -> "NULL";
                        case 13 -> "BSON";
                        case 14 -> "UUID";
                        case 15 -> "FLOAT16";
                        default -> "logical type #" + id;
                    });
                }
            };
        }
        return result;
    }

    private static Logical emptyStruct(ThriftCompactReader r, Logical l) {
        r.skip();
        return l;
    }

    /** The TimeUnit union: 1 millis, 2 micros, 3 nanos. */
    private static int timeUnit(ThriftCompactReader r) {
        int unit = 0;
        r.beginStruct();
        for (int id; (id = r.nextField()) >= 0; ) {
            unit = id;
            r.skip();
        }
        return unit;
    }

    private static RowGroup rowGroup(ThriftCompactReader r) {
        List<ColumnChunk> columns = List.of();
        long rows = -1;
        r.beginStruct();
        for (int id; (id = r.nextField()) >= 0; ) {
            switch (id) {
                case 1 -> {
                    int n = r.beginList();
                    columns = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) columns.add(columnChunk(r));
                }
                case 3 -> rows = r.readI64();
                default -> r.skip();
            }
        }
        if (rows < 0) throw new ThriftCompactReader.Corrupt("a row group has no row count");
        return new RowGroup(List.copyOf(columns), rows);
    }

    private static ColumnChunk columnChunk(ThriftCompactReader r) {
        Optional<String> path = Optional.empty();
        ColumnMetaData meta = null;
        r.beginStruct();
        for (int id; (id = r.nextField()) >= 0; ) {
            switch (id) {
                case 1 -> path = Optional.of(r.readString());
                case 3 -> meta = columnMetaData(r);
                default -> r.skip();
            }
        }
        if (meta == null) throw new ThriftCompactReader.Corrupt("a column chunk has no metadata");
        return new ColumnChunk(path, meta);
    }

    private static ColumnMetaData columnMetaData(ThriftCompactReader r) {
        int type = -1, codec = 0;
        List<String> path = new ArrayList<>();
        long numValues = -1, compressed = -1, dataPage = -1;
        Optional<Long> dictPage = Optional.empty();
        Statistics stats = Statistics.NONE;
        r.beginStruct();
        for (int id; (id = r.nextField()) >= 0; ) {
            switch (id) {
                case 1 -> type = r.readI32();
                case 3 -> {
                    int n = r.beginList();
                    for (int i = 0; i < n; i++) path.add(r.readString());
                }
                case 4 -> codec = r.readI32();
                case 5 -> numValues = r.readI64();
                case 7 -> compressed = r.readI64();
                case 9 -> dataPage = r.readI64();
                case 11 -> dictPage = Optional.of(r.readI64());
                case 12 -> stats = statistics(r);
                default -> r.skip();
            }
        }
        if (type < 0 || numValues < 0 || compressed < 0 || dataPage < 0) {
            throw new ThriftCompactReader.Corrupt("column metadata lacks its type, value count, size or page offset");
        }
        return new ColumnMetaData(type, List.copyOf(path), codec, numValues, compressed, dataPage, dictPage, stats);
    }

    private static Statistics statistics(ThriftCompactReader r) {
        Optional<byte[]> max = Optional.empty(), min = Optional.empty(), maxValue = Optional.empty(), minValue = Optional.empty();
        Optional<Long> nulls = Optional.empty();
        r.beginStruct();
        for (int id; (id = r.nextField()) >= 0; ) {
            switch (id) {
                case 1 -> max = Optional.of(r.readBinary());
                case 2 -> min = Optional.of(r.readBinary());
                case 3 -> nulls = Optional.of(r.readI64());
                case 5 -> maxValue = Optional.of(r.readBinary());
                case 6 -> minValue = Optional.of(r.readBinary());
                default -> r.skip();
            }
        }
        if (minValue.isPresent() || maxValue.isPresent()) return new Statistics(minValue, maxValue, false, nulls);
        return new Statistics(min, max, true, nulls);
    }

    static PageHeader pageHeader(MemorySegment seg, long start, long end) {
        ThriftCompactReader r = new ThriftCompactReader(seg, start, end);
        int type = -1, uncompressed = -1, compressed = -1;
        Optional<DataPageHeader> v1 = Optional.empty();
        Optional<DataPageHeaderV2> v2 = Optional.empty();
        Optional<DictionaryPageHeader> dict = Optional.empty();
        r.beginStruct();
        for (int id; (id = r.nextField()) >= 0; ) {
            switch (id) {
                case 1 -> type = r.readI32();
                case 2 -> uncompressed = r.readI32();
                case 3 -> compressed = r.readI32();
                case 5 -> v1 = Optional.of(dataPageHeader(r));
                case 7 -> dict = Optional.of(dictionaryPageHeader(r));
                case 8 -> v2 = Optional.of(dataPageHeaderV2(r));
                default -> r.skip();
            }
        }
        if (type < 0 || uncompressed < 0 || compressed < 0) throw new ThriftCompactReader.Corrupt("a page header lacks its type or sizes");
        return new PageHeader(type, uncompressed, compressed, v1, v2, dict, (int) (r.position() - start));
    }

    private static DataPageHeader dataPageHeader(ThriftCompactReader r) {
        int n = -1, enc = -1, defEnc = FooterModel.RLE;
        r.beginStruct();
        for (int id; (id = r.nextField()) >= 0; ) {
            switch (id) {
                case 1 -> n = r.readI32();
                case 2 -> enc = r.readI32();
                case 3 -> defEnc = r.readI32();
                default -> r.skip();
            }
        }
        if (n < 0 || enc < 0) throw new ThriftCompactReader.Corrupt("a data page header lacks its value count or encoding");
        return new DataPageHeader(n, enc, defEnc);
    }

    private static DataPageHeaderV2 dataPageHeaderV2(ThriftCompactReader r) {
        int n = -1, nulls = 0, rows = -1, enc = -1, defLen = 0, repLen = 0;
        boolean compressed = true;
        r.beginStruct();
        for (int id; (id = r.nextField()) >= 0; ) {
            switch (id) {
                case 1 -> n = r.readI32();
                case 2 -> nulls = r.readI32();
                case 3 -> rows = r.readI32();
                case 4 -> enc = r.readI32();
                case 5 -> defLen = r.readI32();
                case 6 -> repLen = r.readI32();
                case 7 -> compressed = r.readBool();
                default -> r.skip();
            }
        }
        if (n < 0 || rows < 0 || enc < 0 || defLen < 0 || repLen < 0) {
            throw new ThriftCompactReader.Corrupt("a data page v2 header lacks its counts or encoding");
        }
        return new DataPageHeaderV2(n, nulls, rows, enc, defLen, repLen, compressed);
    }

    private static DictionaryPageHeader dictionaryPageHeader(ThriftCompactReader r) {
        int n = -1, enc = FooterModel.PLAIN;
        r.beginStruct();
        for (int id; (id = r.nextField()) >= 0; ) {
            switch (id) {
                case 1 -> n = r.readI32();
                case 2 -> enc = r.readI32();
                default -> r.skip();
            }
        }
        if (n < 0) throw new ThriftCompactReader.Corrupt("a dictionary page header lacks its value count");
        return new DictionaryPageHeader(n, enc);
    }
}
