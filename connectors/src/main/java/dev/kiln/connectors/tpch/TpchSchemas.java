package dev.kiln.connectors.tpch;

import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchColumnType;
import io.trino.tpch.TpchTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Kiln schemas of the eight TPC-H tables, derived from the generator's own column list:
 * identifiers BIGINT, integers INTEGER, money and quantities DECIMAL(15,2), dates DATE, text
 * VARCHAR; every column NOT NULL, as the specification defines them.
 */
public final class TpchSchemas {
    private TpchSchemas() {}

    public static final List<String> TABLES = List.of("nation", "region", "part", "supplier", "partsupp", "customer", "orders", "lineitem");

    public static Schema schema(String table) {
        TpchTable<?> t = TpchTable.getTable(table);
        List<Field> fields = new ArrayList<>();
        for (TpchColumn<?> c : t.getColumns()) fields.add(new Field(c.getColumnName(), type(c.getType()), false));
        return new Schema(fields);
    }

    static DataType type(TpchColumnType t) {
        return switch (t.getBase()) {
            case IDENTIFIER -> DataType.BIGINT;
            case INTEGER -> DataType.INTEGER;
            case DATE -> DataType.DATE;
            case DOUBLE -> DataType.decimal(15, 2);
            case VARCHAR -> DataType.VARCHAR;
        };
    }

    /** Row count at scale factor sf, per the specification (nation and region are fixed). */
    public static long rowCount(String table, double sf) {
        return switch (table) {
            case "nation" -> 25;
            case "region" -> 5;
            case "part" -> (long) (200_000 * sf);
            case "supplier" -> (long) (10_000 * sf);
            case "partsupp" -> (long) (800_000 * sf);
            case "customer" -> (long) (150_000 * sf);
            case "orders" -> (long) (1_500_000 * sf);
            case "lineitem" -> (long) (6_000_000 * sf); // an estimate: the generator decides the exact count
            default -> throw new IllegalArgumentException("not a TPC-H table: " + table);
        };
    }

    public static TableRef tableRef(String table, double sf) {
        return new TableRef(table, schema(table), rowCount(table, sf));
    }
}
