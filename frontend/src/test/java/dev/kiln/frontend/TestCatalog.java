package dev.kiln.frontend;

import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The eight TPC-H tables as the specification defines them (keys BIGINT, money and quantities
 * DECIMAL(15,2), dates DATE, text VARCHAR, all NOT NULL), plus small nullable tables {@code t}
 * and {@code s} for NULL semantics, and views added per test.
 */
final class TestCatalog implements Catalog {
    private static final DataType MONEY = DataType.decimal(15, 2);
    private final Map<String, TableRef> tables = new LinkedHashMap<>();
    private final Map<String, String> views = new LinkedHashMap<>();

    TestCatalog() {
        table("nation", "n_nationkey BIGINT", "n_name VARCHAR", "n_regionkey BIGINT", "n_comment VARCHAR");
        table("region", "r_regionkey BIGINT", "r_name VARCHAR", "r_comment VARCHAR");
        table("part", "p_partkey BIGINT", "p_name VARCHAR", "p_mfgr VARCHAR", "p_brand VARCHAR", "p_type VARCHAR",
                "p_size INTEGER", "p_container VARCHAR", "p_retailprice MONEY", "p_comment VARCHAR");
        table("supplier", "s_suppkey BIGINT", "s_name VARCHAR", "s_address VARCHAR", "s_nationkey BIGINT",
                "s_phone VARCHAR", "s_acctbal MONEY", "s_comment VARCHAR");
        table("partsupp", "ps_partkey BIGINT", "ps_suppkey BIGINT", "ps_availqty INTEGER", "ps_supplycost MONEY",
                "ps_comment VARCHAR");
        table("customer", "c_custkey BIGINT", "c_name VARCHAR", "c_address VARCHAR", "c_nationkey BIGINT",
                "c_phone VARCHAR", "c_acctbal MONEY", "c_mktsegment VARCHAR", "c_comment VARCHAR");
        table("orders", "o_orderkey BIGINT", "o_custkey BIGINT", "o_orderstatus VARCHAR", "o_totalprice MONEY",
                "o_orderdate DATE", "o_orderpriority VARCHAR", "o_clerk VARCHAR", "o_shippriority INTEGER",
                "o_comment VARCHAR");
        table("lineitem", "l_orderkey BIGINT", "l_partkey BIGINT", "l_suppkey BIGINT", "l_linenumber INTEGER",
                "l_quantity MONEY", "l_extendedprice MONEY", "l_discount MONEY", "l_tax MONEY", "l_returnflag VARCHAR",
                "l_linestatus VARCHAR", "l_shipdate DATE", "l_commitdate DATE", "l_receiptdate DATE",
                "l_shipinstruct VARCHAR", "l_shipmode VARCHAR", "l_comment VARCHAR");
        // nullable tables for three-valued logic
        table("t", "a INTEGER NULL", "b VARCHAR NULL", "d MONEY NULL", "dt DATE NULL");
        table("s", "x INTEGER NULL", "y VARCHAR NULL");
        table("ev", "u VARCHAR NULL", "ts TIMESTAMP NULL", "v INTEGER NULL");
    }

    /** Columns as "name TYPE [NULL]"; MONEY is DECIMAL(15,2). */
    private void table(String name, String... columns) {
        List<Field> fields = new ArrayList<>();
        for (String c : columns) {
            String[] p = c.split(" ");
            DataType type = switch (p[1]) {
                case "BIGINT" -> DataType.BIGINT;
                case "INTEGER" -> DataType.INTEGER;
                case "MONEY" -> MONEY;
                case "DATE" -> DataType.DATE;
                case "TIMESTAMP" -> DataType.TIMESTAMP;
                case "VARCHAR" -> DataType.VARCHAR;
                default -> throw new IllegalArgumentException(p[1]);
            };
            fields.add(new Field(p[0], type, p.length > 2));
        }
        tables.put(name, new TableRef(name, new Schema(fields), 1000));
    }

    TestCatalog withView(String name, String sql) {
        views.put(name.toLowerCase(Locale.ROOT), sql);
        return this;
    }

    @Override
    public Optional<TableRef> table(String name) {
        return Optional.ofNullable(tables.get(name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public List<String> tableNames() {
        return List.copyOf(tables.keySet());
    }

    @Override
    public Optional<String> viewSql(String name) {
        return Optional.ofNullable(views.get(name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public List<String> viewNames() {
        return List.copyOf(views.keySet());
    }
}
