package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.emit.Backend;
import dev.kiln.ir.eval.Interpreter;
import dev.kiln.ir.expr.ColumnRef;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.expr.TypeRules;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Join;
import dev.kiln.ir.rel.JoinKind;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.type.DataType;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Staged probes in a chain: a 3000-row batch probes t2 (a few matches per key), then t3 (about
 * fifty per key), then SEMI t4. The second and third stages record one row per match, far more
 * than a chunk's 1024 rows, so their arrays grow; each stage rebuilds the row from the batch and
 * the entries matched before it. The result must be the interpreter's, on one thread and on two,
 * with both bytecode backends.
 */
class StagedProbeTest {
    @Test
    void chainedStagesWithFanOutAgreeWithTheInterpreter() {
        Random r = new Random(21);
        List<Object[]> rows1 = RandomPlans.rows(r, 3000);
        List<Object[]> rows2 = RandomPlans.rows(r, 20);
        List<Object[]> rows3 = RandomPlans.rows(r, 400);
        List<Object[]> rows4 = RandomPlans.rows(r, 5);
        Map<String, List<Object[]>> data = Map.of("t1", rows1, "t2", rows2, "t3", rows3, "t4", rows4);
        TableRef t1 = new TableRef("t1", RandomPlans.schema(), rows1.size());
        TableRef t2 = new TableRef("t2", RandomPlans.schema(), rows2.size());
        TableRef t3 = new TableRef("t3", RandomPlans.schema(), rows3.size());
        TableRef t4 = new TableRef("t4", RandomPlans.schema(), rows4.size());
        int w = RandomPlans.schema().size();
        // ((t1 ⋈ t2 on k) ⋈ t3 on t1.k = t3.k) ⋉ t4 on t2.i = t4.i, then per t3.s: count, sum(t1.i), sum(t2.d)
        Rel j1 = new Join(TableScan.all(t1), TableScan.all(t2), JoinKind.INNER, eq(0, w));
        Rel j2 = new Join(j1, TableScan.all(t3), JoinKind.INNER, eq(0, 2 * w));
        Rel j3 = new Join(j2, TableScan.all(t4), JoinKind.SEMI, TypeRules.compare(Op.EQ,
                new ColumnRef(w + 1, DataType.INTEGER, true), new ColumnRef(3 * w + 1, DataType.INTEGER, true)));
        Rel plan = new Aggregate(j3, List.of(2 * w + 3), List.of(
                new AggCall(AggFunc.COUNT, List.of(), false, DataType.BIGINT, false, "n"),
                new AggCall(AggFunc.SUM, List.of(1), false, DataType.BIGINT, true, "si"),
                new AggCall(AggFunc.SUM, List.of(w + 2), false, RandomPlans.schema().field(2).type(), true, "sd")));
        List<Object[]> expected = Interpreter.execute(plan, t -> data.get(t.name()));
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE); Workers one = new Workers(1); Workers two = new Workers(2)) {
            Map<String, Table> tables = Map.of("t1", RandomPlans.table("t1", rows1, mem), "t2", RandomPlans.table("t2", rows2, mem),
                    "t3", RandomPlans.table("t3", rows3, mem), "t4", RandomPlans.table("t4", rows4, mem));
            for (Backend backend : Backend.values()) {
                CompiledQuery q = new QueryCompiler(new CompileOptions(backend, false)).compile(plan, t -> tables.get(t.name()));
                String code = q.explainCodegen();
                assertTrue(code.contains("growLongs"), "a later stage with growing arrays was expected:\n" + code);
                for (Workers wk : List.of(one, two)) {
                    GeneratedCodeDifferentialTest.assertSameRows(expected, ParallelExecutionTest.rows(q.execute(mem, wk)), false,
                            backend + ", " + wk.threads() + " thread(s)");
                }
            }
        }
    }

    private static dev.kiln.ir.expr.Expr eq(int a, int b) {
        return TypeRules.compare(Op.EQ, new ColumnRef(a, DataType.BIGINT, false), new ColumnRef(b, DataType.BIGINT, false));
    }
}
