package dev.kiln.frontend;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;

/**
 * Output column names: Calcite calls unaliased expressions EXPR$n; Kiln names them after the
 * expression as written (e.g. {@code COUNT(*)}, {@code SUM(l_quantity)}), as PostgreSQL and
 * DuckDB do.
 */
final class OutputNames {
    private OutputNames() {}

    /** Select-list texts of the outermost SELECT, taken before validation rewrites the tree. */
    static List<String> selectItems(SqlNode parsed) {
        SqlNode n = parsed;
        while (true) {
            if (n instanceof SqlOrderBy ob) n = ob.query;
            else if (n instanceof SqlWith w) n = w.body;
            else break;
        }
        List<String> items = new ArrayList<>();
        if (!(n instanceof SqlSelect select)) return items;
        SqlNodeList list = select.getSelectList();
        for (SqlNode item : list) {
            if (item.getKind() == SqlKind.AS) item = ((SqlBasicCall) item).operand(0);
            items.add(item.toSqlString(c -> c.withDialect(PostgresqlSqlDialect.DEFAULT).withQuoteAllIdentifiers(false)).getSql());
        }
        return items;
    }

    static List<String> apply(List<String> validated, List<String> items) {
        List<String> out = new ArrayList<>(validated);
        if (items.size() != validated.size()) return out; // SELECT * or similar: nothing to rename
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).matches("EXPR\\$\\d+")) out.set(i, items.get(i));
        }
        return out;
    }
}
