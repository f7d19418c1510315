package dev.kiln.frontend;

import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.type.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.TableMacro;
import org.apache.calcite.schema.TranslatableTable;
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
            kiln.add(view, new KilnViewMacro(catalog, view, sql));
        }
        return kiln;
    }

    /**
     * A view: its row type comes from compiling its SQL with Kiln's frontend (so it resolves
     * names as every other query does), and Calcite expands its text where it is used.
     */
    static final class KilnViewMacro implements TableMacro {
        private final Catalog catalog;
        private final String name;
        private final String sql;

        KilnViewMacro(Catalog catalog, String name, String sql) {
            this.catalog = catalog;
            this.name = name;
            this.sql = sql;
        }

        @Override
        public List<FunctionParameter> getParameters() {
            return List.of();
        }

        @Override
        public TranslatableTable apply(List<? extends Object> arguments) {
            if (!(new SqlFrontend(catalog).compile(sql) instanceof Statement.Query q)) {
                throw new dev.kiln.ir.KilnException("view " + name + " is not a query");
            }
            // the view's columns as its query returns them: a struct it selects is one column
            List<Field> fields = q.resultSchema().fields();
            List<String> names = q.resultSchema().names();
            return new ViewTable(Object.class, f -> {
                RelDataTypeFactory.Builder b = f.builder();
                for (int i = 0; i < fields.size(); i++) b.add(names.get(i), TypeMapping.toCalcite(fields.get(i).type(), fields.get(i).nullable(), f));
                return b.build();
            }, sql, List.of(SCHEMA), List.of(SCHEMA, name));
        }
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
