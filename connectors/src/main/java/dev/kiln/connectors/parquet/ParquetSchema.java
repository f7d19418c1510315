package dev.kiln.connectors.parquet;

import dev.kiln.connectors.parquet.FooterModel.Logical;
import dev.kiln.connectors.parquet.FooterModel.SchemaElement;
import dev.kiln.connectors.parquet.ParquetColumn.Conversion;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a Parquet file's schema (the flattened tree of {@link SchemaElement}s) to Kiln columns.
 * Only flat schemas: a root group whose children are all OPTIONAL or REQUIRED primitive columns.
 * Anything else (groups, lists, maps, repeated fields) and any type Kiln cannot hold exactly is
 * an error naming the column and its Parquet type, raised when the file is opened, not later.
 */
final class ParquetSchema {
    private ParquetSchema() {}

    static List<ParquetColumn> columns(String file, List<SchemaElement> elements) {
        SchemaElement root = elements.getFirst();
        List<ParquetColumn> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        int pos = 1;
        for (int child = 0; child < root.numChildren(); child++) {
            if (pos >= elements.size()) throw new KilnException(file + ": corrupt footer: the schema root has " + root.numChildren() + " children but only " + (elements.size() - 1) + " elements follow");
            SchemaElement e = elements.get(pos);
            if (e.numChildren() > 0 || e.type().isEmpty()) {
                throw new KilnException(file + ": column '" + e.name() + "' is a nested column (a group" + groupKind(e) + "); nested types are not supported, Kiln reads flat schemas only: write the nested fields as top-level columns");
            }
            if (e.repetition().orElse(FooterModel.REQUIRED) == FooterModel.REPEATED) {
                throw new KilnException(file + ": column '" + e.name() + "' is a repeated column (a list); nested types are not supported, Kiln reads flat schemas only");
            }
            String previous = seen.put(e.name().toLowerCase(Locale.ROOT), e.name());
            if (previous != null) throw new KilnException(file + ": columns '" + previous + "' and '" + e.name() + "' differ only in case; Kiln column names are case-insensitive, rename one");
            out.add(column(file, out.size(), e));
            pos++;
        }
        if (pos != elements.size()) throw new KilnException(file + ": corrupt footer: the schema has " + (elements.size() - pos) + " elements beyond the root's children");
        return List.copyOf(out);
    }

    /** " of logical type LIST" or MAP, from the logical or the legacy converted type; empty for a plain struct. */
    private static String groupKind(SchemaElement e) {
        if (e.logical().isPresent() && e.logical().get() instanceof Logical.Other o) return " of logical type " + o.name();
        return switch (e.convertedType().orElse(-1)) {
            case 1, 2 -> " of logical type MAP";
            case 3 -> " of logical type LIST";
            default -> "";
        };
    }

    private static ParquetColumn column(String file, int index, SchemaElement e) {
        int physical = e.type().orElseThrow();
        boolean nullable = e.repetition().orElse(FooterModel.OPTIONAL) == FooterModel.OPTIONAL;
        String parquetType = describe(e);
        Mapping m = map(physical, e).orElseThrow(() -> new KilnException(file + ": column '" + e.name() + "' has Parquet type " + parquetType
                + ", which Kiln cannot read; supported: BOOLEAN, INT32, INT64, FLOAT, DOUBLE, strings (BYTE_ARRAY UTF8), DECIMAL up to 18 digits, DATE, TIMESTAMP (MILLIS, MICROS, INT96)"));
        return new ParquetColumn(index, physical, e.typeLength(), new Field(e.name(), m.type(), nullable), m.conversion(), parquetType);
    }

    private record Mapping(DataType type, Conversion conversion) {}

    private static Optional<Mapping> map(int physical, SchemaElement e) {
        Optional<Logical> logical = e.logical().or(() -> e.convertedType().flatMap(c -> fromConverted(c, e)));
        if (logical.isPresent() && logical.get() instanceof Logical.DecimalType d) return decimal(physical, d);
        return switch (physical) {
            case FooterModel.BOOLEAN -> logical.isEmpty() ? Optional.of(new Mapping(DataType.BOOLEAN, Conversion.BOOL)) : Optional.empty();
            case FooterModel.INT32 -> switch (logical.orElse(new Logical.IntType(32, true))) {
                case Logical.DateType d -> Optional.of(new Mapping(DataType.DATE, Conversion.INT32));
                case Logical.IntType i when i.signed() -> Optional.of(new Mapping(switch (i.bitWidth()) {
                    case 8 -> DataType.TINYINT;
                    case 16 -> DataType.SMALLINT;
                    default -> DataType.INTEGER;
                }, Conversion.INT32));
                case Logical.IntType i when i.bitWidth() == 8 -> Optional.of(new Mapping(DataType.SMALLINT, Conversion.INT32));
                case Logical.IntType i when i.bitWidth() == 16 -> Optional.of(new Mapping(DataType.INTEGER, Conversion.INT32));
                case Logical.IntType i when i.bitWidth() == 32 -> Optional.of(new Mapping(DataType.BIGINT, Conversion.UINT32));
                default -> Optional.empty();
            };
            case FooterModel.INT64 -> switch (logical.orElse(new Logical.IntType(64, true))) {
                case Logical.IntType i when i.signed() -> Optional.of(new Mapping(DataType.BIGINT, Conversion.INT64));
                case Logical.TimestampType t when t.unit() == 2 -> Optional.of(new Mapping(DataType.TIMESTAMP, Conversion.INT64));
                case Logical.TimestampType t when t.unit() == 1 -> Optional.of(new Mapping(DataType.TIMESTAMP, Conversion.INT64_MILLIS));
                default -> Optional.empty();
            };
            case FooterModel.INT96 -> logical.isEmpty() ? Optional.of(new Mapping(DataType.TIMESTAMP, Conversion.INT96)) : Optional.empty();
            case FooterModel.FLOAT -> logical.isEmpty() ? Optional.of(new Mapping(DataType.DOUBLE, Conversion.FLOAT)) : Optional.empty();
            case FooterModel.DOUBLE -> logical.isEmpty() ? Optional.of(new Mapping(DataType.DOUBLE, Conversion.DOUBLE)) : Optional.empty();
            case FooterModel.BYTE_ARRAY -> logical.isPresent() && (logical.get() instanceof Logical.StringType
                    || logical.get() instanceof Logical.EnumType || logical.get() instanceof Logical.JsonType)
                    ? Optional.of(new Mapping(DataType.VARCHAR, Conversion.STRING)) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static Optional<Mapping> decimal(int physical, Logical.DecimalType d) {
        boolean storable = physical == FooterModel.INT32 || physical == FooterModel.INT64 || physical == FooterModel.BYTE_ARRAY
                || physical == FooterModel.FIXED_LEN_BYTE_ARRAY;
        if (!storable || d.precision() < 1 || d.precision() > DataType.DecimalType.MAX_PRECISION || d.scale() < 0 || d.scale() > d.precision()) {
            return Optional.empty();
        }
        Conversion c = switch (physical) {
            case FooterModel.INT32 -> Conversion.INT32;
            case FooterModel.INT64 -> Conversion.INT64;
            default -> Conversion.BINARY_DECIMAL;
        };
        return Optional.of(new Mapping(DataType.decimal(d.precision(), d.scale()), c));
    }

    /** The legacy converted type as the logical type it stands for (writers before 2.4 set only this). */
    private static Optional<Logical> fromConverted(int converted, SchemaElement e) {
        return Optional.of(switch (converted) {
            case FooterModel.UTF8 -> new Logical.StringType();
            case FooterModel.ENUM -> new Logical.EnumType();
            case FooterModel.JSON -> new Logical.JsonType();
            case FooterModel.DECIMAL -> new Logical.DecimalType(e.precision(), e.scale());
            case FooterModel.DATE -> new Logical.DateType();
            case FooterModel.TIMESTAMP_MILLIS -> new Logical.TimestampType(true, 1);
            case FooterModel.TIMESTAMP_MICROS -> new Logical.TimestampType(true, 2);
            case FooterModel.INT_8 -> new Logical.IntType(8, true);
            case FooterModel.INT_16 -> new Logical.IntType(16, true);
            case FooterModel.INT_32 -> new Logical.IntType(32, true);
            case FooterModel.INT_64 -> new Logical.IntType(64, true);
            case FooterModel.UINT_8 -> new Logical.IntType(8, false);
            case FooterModel.UINT_16 -> new Logical.IntType(16, false);
            case FooterModel.UINT_32 -> new Logical.IntType(32, false);
            case FooterModel.UINT_64 -> new Logical.IntType(64, false);
            default -> new Logical.Other("converted type #" + converted);
        });
    }

    /** e.g. {@code INT64 (TIMESTAMP(NANOS))}, {@code FIXED_LEN_BYTE_ARRAY(16) (DECIMAL(38,2))}. */
    private static String describe(SchemaElement e) {
        int physical = e.type().orElseThrow();
        String p = FooterModel.physicalName(physical) + (physical == FooterModel.FIXED_LEN_BYTE_ARRAY ? "(" + e.typeLength() + ")" : "");
        Optional<Logical> logical = e.logical().or(() -> e.convertedType().flatMap(c -> fromConverted(c, e)));
        return logical.map(l -> p + " (" + switch (l) {
            case Logical.StringType s -> "STRING";
            case Logical.EnumType en -> "ENUM";
            case Logical.JsonType j -> "JSON";
            case Logical.DecimalType d -> "DECIMAL(" + d.precision() + "," + d.scale() + ")";
            case Logical.DateType d -> "DATE";
            case Logical.TimestampType t -> "TIMESTAMP(" + switch (t.unit()) {
                case 1 -> "MILLIS";
                case 2 -> "MICROS";
                case 3 -> "NANOS";
                default -> "unit #" + t.unit();
            } + ")";
            case Logical.IntType i -> (i.signed() ? "INT(" : "UINT(") + i.bitWidth() + ")";
            case Logical.Other o -> o.name();
        } + ")").orElse(p);
    }
}
