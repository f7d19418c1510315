package dev.kiln.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.eval.Interpreter;
import dev.kiln.ir.rel.PlanValidator;
import dev.kiln.ir.rel.Rel;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Compiles SQL against {@link TestCatalog} and runs plans on tiny in-memory tables with the reference interpreter. */
final class Fixtures {
    private Fixtures() {}

    /** Compiles a query and checks that its plan is well formed (ours and ir's PlanValidator) and named as its columns. */
    static Statement.Query query(Catalog catalog, String sql) {
        Statement.Query q = (Statement.Query) new SqlFrontend(catalog).compile(sql);
        WellFormed.check(q.plan());
        PlanValidator.validate(q.plan());
        assertEquals(q.columnNames(), q.plan().schema().names());
        return q;
    }

    static Statement.Query query(String sql) {
        return query(new TestCatalog(), sql);
    }

    /** Rows of {@code sql} over the given tables (name → rows of boxed values), each row rendered as a list. */
    static List<List<Object>> rows(Catalog catalog, String sql, Map<String, List<Object[]>> data) {
        Rel plan = query(catalog, sql).plan();
        List<List<Object>> out = new ArrayList<>();
        for (Object[] r : Interpreter.execute(plan, t -> data.getOrDefault(t.name(), List.of()))) out.add(Arrays.asList(r));
        return out;
    }

    static List<List<Object>> rows(String sql, Map<String, List<Object[]>> data) {
        return rows(new TestCatalog(), sql, data);
    }

    static void assertRows(List<List<Object>> expected, List<List<Object>> actual) {
        assertEquals(expected.toString(), actual.toString());
    }

    static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }

    static Object[] r(Object... values) {
        return values;
    }

    static BigDecimal money(String v) {
        return new BigDecimal(v).setScale(2);
    }

    static LocalDate date(String v) {
        return LocalDate.parse(v);
    }

    /** t(a INTEGER, b VARCHAR, d DECIMAL(15,2), dt DATE) and s(x INTEGER, y VARCHAR), all nullable. */
    static Map<String, List<Object[]>> tables(List<Object[]> t, List<Object[]> s) {
        Map<String, List<Object[]>> m = new HashMap<>();
        m.put("t", t);
        m.put("s", s);
        return m;
    }
}
