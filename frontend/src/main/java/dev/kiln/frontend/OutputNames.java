package dev.kiln.frontend;

import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Project;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Sort;
import dev.kiln.ir.type.Field;
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
            String text = item.toSqlString(c -> c.withDialect(PostgresqlSqlDialect.DEFAULT).withQuoteAllIdentifiers(false)).getSql();
            // one line: a scalar sub-query prints over several
            text = text.replaceAll("\\s+", " ").strip();
            items.add(item.getKind() == SqlKind.SELECT ? "(" + text + ")" : text);
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

    /**
     * The plan with its output fields named {@code names}: renames the top Project or the
     * aggregates of the top Aggregate (looking through Sort, which keeps its input's names),
     * else adds a renaming Project.
     */
    static Rel rename(Rel plan, List<String> names) {
        if (plan.schema().names().equals(names)) return plan;
        return switch (plan) {
            case Sort s -> s.withInputs(List.of(rename(s.input(), names)));
            case Project p -> new Project(p.input(), p.exprs(), names);
            case Aggregate a when a.schema().names().subList(0, a.groupKeys().size()).equals(names.subList(0, a.groupKeys().size())) -> {
                List<AggCall> aggs = new ArrayList<>();
                for (int i = 0; i < a.aggs().size(); i++) {
                    AggCall c = a.aggs().get(i);
                    aggs.add(new AggCall(c.func(), c.args(), c.distinct(), c.type(), c.nullable(), names.get(a.groupKeys().size() + i)));
                }
                yield new Aggregate(a.input(), a.groupKeys(), aggs);
            }
            default -> {
                List<Expr> refs = new ArrayList<>();
                for (int i = 0; i < plan.schema().size(); i++) {
                    Field f = plan.schema().field(i);
                    refs.add(new ColumnRef(i, f.type(), f.nullable()));
                }
                yield new Project(plan, refs, names);
            }
        };
    }
}
