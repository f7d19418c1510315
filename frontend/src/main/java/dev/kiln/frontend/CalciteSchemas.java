package dev.kiln.frontend;

import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.type.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.schema.impl.ViewTable;
import org.apache.calcite.tools.Frameworks;

/** Exposes a Kiln catalog to Calcite's validator: tables by row type, views as view macros. */
final class CalciteSchemas {
    static final String SCHEMA = "kiln";

    private CalciteSchemas() {}

    static SchemaPlus build(Catalog catalog) {
        SchemaPlus root = Frameworks.createRootSchema(false);
        Map<String, Table> tables = new HashMap<>();
        for (String name : catalog.tableNames()) {
            TableRef t = catalog.table(name).orElseThrow();
            tables.put(name, new KilnTable(t));
        }
        SchemaPlus kiln = root.add(SCHEMA, new AbstractSchema() {
            @Override
            protected Map<String, Table> getTableMap() {
                return tables;
            }
        });
        for (String view : catalog.viewNames()) {
            String sql = catalog.viewSql(view).orElseThrow();
            kiln.add(view, ViewTable.viewMacro(kiln, sql, List.of(SCHEMA), List.of(SCHEMA, view), false));
        }
        return kiln;
    }

    /** A table as Calcite sees it: only its row type (Kiln plans the scan itself). */
    static final class KilnTable extends AbstractTable {
        final TableRef ref;

        KilnTable(TableRef ref) {
            this.ref = ref;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            RelDataTypeFactory.Builder b = f.builder();
            for (Field field : ref.schema().fields()) b.add(field.name(), TypeMapping.toCalcite(field.type(), field.nullable(), f));
            return b.build();
        }
    }
}
