package dev.kiln.connectors.tpch;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchColumnType;
import io.trino.tpch.TpchTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kiln schemas of the eight TPC-H tables, derived from the generator's own column list:
 * identifiers BIGINT, integers INTEGER, money and quantities DECIMAL(15,2), dates DATE, text
 * VARCHAR; every column NOT NULL, as the specification defines them.
 */
public final class TpchSchemas {
    private TpchSchemas() {}

    public static final List<String> TABLES = List.of("nation", "region", "part", "supplier", "partsupp", "customer", "orders", "lineitem");

    /**
     * Lineitem rows at the usual scale factors. The count is not a formula of the scale factor
     * (each order draws 1 to 7 lines), so these are the generator's counts, checked by a test.
     */
    private static final Map<String, Long> LINEITEM_ROWS = Map.of(
            "0.01", 60_175L, "0.1", 600_572L, "1", 6_001_215L, "10", 59_986_052L, "100", 600_037_902L);

    public static Schema schema(String table) {
        if (!TABLES.contains(table)) {
            throw new KilnException("'" + table + "' is not a TPC-H table; the tables are " + String.join(", ", TABLES));
        }
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

    static void checkScaleFactor(double sf) {
        if (!(sf > 0) || Double.isInfinite(sf)) throw new KilnException("TPC-H scale factor must be a positive number, not " + sf);
    }

    /**
     * Row count at scale factor sf, per the specification (nation and region are fixed). Exact for
     * every table at the usual scale factors; for lineitem at another scale factor, an estimate
     * of 6,000,000 per unit (the loaded table's own count is exact).
     */
    public static long rowCount(String table, double sf) {
        checkScaleFactor(sf);
        return switch (table) {
            case "nation" -> 25;
            case "region" -> 5;
            case "part" -> (long) (200_000 * sf);
            case "supplier" -> (long) (10_000 * sf);
            case "partsupp" -> (long) (800_000 * sf);
            case "customer" -> (long) (150_000 * sf);
            case "orders" -> (long) (1_500_000 * sf);
            case "lineitem" -> LINEITEM_ROWS.getOrDefault(TpchCache.sfText(sf), (long) (6_000_000 * sf));
            default -> throw new KilnException("'" + table + "' is not a TPC-H table; the tables are " + String.join(", ", TABLES));
        };
    }

    public static TableRef tableRef(String table, double sf) {
        return new TableRef(table, schema(table), rowCount(table, sf));
    }
}
