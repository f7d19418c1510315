package dev.kiln.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.rel.PlanValidator;
import dev.kiln.ir.eval.Interpreter;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small tables with NULLs, random data for them, and the interpreter as the oracle. */
final class Fixtures {
    private Fixtures() {}

    static final TableRef T1 = new TableRef("t1", new Schema(List.of(
            new Field("a", DataType.BIGINT, true), new Field("b", DataType.INTEGER, true),
            new Field("s", DataType.VARCHAR, true), new Field("d", DataType.decimal(7, 2), true))), 30);
    static final TableRef T2 = new TableRef("t2", new Schema(List.of(
            new Field("x", DataType.BIGINT, true), new Field("y", DataType.INTEGER, false),
            new Field("dt", DataType.DATE, true))), 40);
    static final TableRef T3 = new TableRef("t3", new Schema(List.of(
            new Field("k", DataType.INTEGER, true), new Field("v", DataType.VARCHAR, true))), 20);
    static final List<TableRef> TABLES = List.of(T1, T2, T3);

    static ColumnRef ref(Schema s, int i) {
        return new ColumnRef(i, s.field(i).type(), s.field(i).nullable());
    }

    static ColumnRef ref(Rel r, int i) {
        return ref(r.schema(), i);
    }

    /** Values from small domains, so that joins match and groups repeat; about one in five is NULL. */
    static Map<String, List<Object[]>> randomData(Random r) {
        return Map.of("t1", rows(T1, r, r.nextInt(12)), "t2", rows(T2, r, r.nextInt(12)), "t3", rows(T3, r, r.nextInt(8)));
    }

    static List<Object[]> rows(TableRef t, Random r, int n) {
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object[] row = new Object[t.schema().size()];
            for (int c = 0; c < row.length; c++) {
                Field f = t.schema().field(c);
                row[c] = f.nullable() && r.nextInt(5) == 0 ? null : value(f.type(), r);
            }
            out.add(row);
        }
        return out;
    }

    static Object value(DataType t, Random r) {
        return switch (t) {
            case DataType.IntType i -> (long) r.nextInt(5);
            case DataType.DecimalType d -> BigDecimal.valueOf(r.nextInt(600) - 100, d.scale());
            case DataType.VarcharType v -> new String[] {"a", "ab", "b", "B"}[r.nextInt(4)];
            case DataType.DateType d -> LocalDate.of(1995, 3, 1).plusDays(r.nextInt(6));
            case DataType.BooleanType b -> r.nextBoolean();
            case DataType.DoubleType d -> r.nextInt(5) / 2.0;
            default -> throw new IllegalArgumentException("no test values of type " + t.sql());
        };
    }

    /** The rows of a plan as a sorted list of printed rows: a multiset comparison. */
    static List<String> run(Rel plan, Map<String, List<Object[]>> data) {
        return Interpreter.execute(plan, t -> data.get(t.name())).stream().map(Arrays::toString).sorted().toList();
    }

    static void assertSameRows(Rel before, Rel after, Map<String, List<Object[]>> data, String context) {
        assertEquals(run(before, data), run(after, data), context + "\nbefore:\n" + PlanPrinter.print(before) + "after:\n" + PlanPrinter.print(after));
    }

    /** An optimizer running only {@code rule}, bottom-up to a fixpoint, validating every rewrite. */
    static Optimizer only(Rule rule) {
        return Optimizer.of(List.of(new Pass("only", List.of(rule), Pass.Strategy.FIXPOINT))).validatingWith(PlanValidator::validate);
    }

    /** Applies {@code rule} at the root only, once. */
    static Rel once(Rule rule, Rel plan) {
        Rel out = rule.apply(plan, new RuleContext(Statistics.FROM_TABLE_REFS)).orElseThrow(
                () -> new AssertionError(rule.name() + " did not fire on\n" + PlanPrinter.print(plan)));
        PlanValidator.validate(out);
        return out;
    }

    static String print(Rel r) {
        return PlanPrinter.print(r);
    }
}
