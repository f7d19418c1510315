package dev.kiln.frontend;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.DataType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/** Kiln types to Calcite types and back. */
final class TypeMapping {
    private TypeMapping() {}

    static RelDataType toCalcite(DataType t, boolean nullable, RelDataTypeFactory f) {
        RelDataType r = switch (t) {
            case DataType.BooleanType b -> f.createSqlType(SqlTypeName.BOOLEAN);
            case DataType.IntType i -> f.createSqlType(switch (i.bits()) {
                case 8 -> SqlTypeName.TINYINT;
                case 16 -> SqlTypeName.SMALLINT;
                case 32 -> SqlTypeName.INTEGER;
                default -> SqlTypeName.BIGINT;
            });
            case DataType.DecimalType d -> f.createSqlType(SqlTypeName.DECIMAL, d.precision(), d.scale());
            case DataType.DoubleType d -> f.createSqlType(SqlTypeName.DOUBLE);
            case DataType.DateType d -> f.createSqlType(SqlTypeName.DATE);
            case DataType.TimestampType ts -> f.createSqlType(SqlTypeName.TIMESTAMP, 6);
            case DataType.VarcharType v -> f.createSqlType(SqlTypeName.VARCHAR);
            // a struct's fields may be named bare (height for image.height) where no column has the
            // name, as Calcite's "peek" structs allow; SELECT * keeps the struct one column
            case DataType.StructType s -> f.createStructType(org.apache.calcite.rel.type.StructKind.PEEK_FIELDS_NO_EXPAND,
                    s.fields().stream().map(x -> toCalcite(x.type(), x.nullable(), f)).toList(), s.fields().stream().map(dev.kiln.ir.type.Field::name).toList());
            // SQL sees a tensor as an opaque value (Calcite's OTHER): it can be selected and passed to
            // functions; Kiln's plan keeps its tensor type from the scan
            case DataType.TensorType tt -> f.createSqlType(SqlTypeName.OTHER);
        };
        return f.createTypeWithNullability(r, nullable);
    }

    static DataType fromCalcite(RelDataType t) {
        return switch (t.getSqlTypeName()) {
            case BOOLEAN -> DataType.BOOLEAN;
            case TINYINT -> DataType.TINYINT;
            case SMALLINT -> DataType.SMALLINT;
            case INTEGER -> DataType.INTEGER;
            case BIGINT -> DataType.BIGINT;
            case DECIMAL -> {
                int p = Math.min(t.getPrecision(), DataType.DecimalType.MAX_PRECISION);
                int s = t.getScale();
                if (s > p) throw new KilnException("DECIMAL(" + t.getPrecision() + "," + s + ") does not fit Kiln's 18 digits");
                yield DataType.decimal(p, s);
            }
            case FLOAT, REAL, DOUBLE -> DataType.DOUBLE;
            case DATE -> DataType.DATE;
            case TIMESTAMP -> DataType.TIMESTAMP;
            case CHAR, VARCHAR -> DataType.VARCHAR;
            case NULL -> DataType.INTEGER;
            default -> throw new KilnException("SQL type " + t.getFullTypeString() + " is not supported yet");
        };
    }
}
