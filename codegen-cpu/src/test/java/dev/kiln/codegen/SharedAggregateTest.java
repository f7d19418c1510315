package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An aggregate that appears twice in a plan (a view used twice, TPC-H Q15) is computed once and read twice. */
class SharedAggregateTest {
    @Test
    void anEqualAggregateIsComputedOnceAndItsCountersAreShared() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE); Workers two = new Workers(2)) {
            List<Object[]> rows = RandomPlans.rows(new Random(11), 500);
            TableRef t = new TableRef("t1", RandomPlans.schema(), rows.size());
            Table table = ParallelExecutionTest.inMorsels("t1", rows, new Random(12), mem);
            // two separately built but equal aggregates: SELECT k, sum(i) ... GROUP BY k, joined on k
            Rel left = aggregate(t);
            Rel right = aggregate(t);
            Rel plan = new Join(left, right, JoinKind.INNER, TypeRules.compare(Op.EQ,
                    new ColumnRef(0, DataType.BIGINT, false), new ColumnRef(2, DataType.BIGINT, false)));
            CompiledQuery q = new QueryCompiler(new CompileOptions(Backend.ASM, false).profiled()).compile(plan, r -> table);
            long aggregatePipelines = q.explainPhysical().lines().filter(l -> l.contains("hash aggregate")).count();
            assertEquals(1, aggregatePipelines, q.explainPhysical());
            CompiledQuery.Analyzed a = q.executeAnalyzed(mem, two);
            List<Object[]> expected = Interpreter.execute(plan, x -> rows);
            GeneratedCodeDifferentialTest.assertSameRows(expected, ParallelExecutionTest.rows(a.rows()), false, "shared aggregate");
            // both scans report the table's rows, though it was read once
            assertEquals(rows.size(), a.actualRows().get(((Aggregate) left).input()));
            assertEquals(rows.size(), a.actualRows().get(((Aggregate) right).input()));
            assertEquals(a.actualRows().get(left), a.actualRows().get(right));
        }
    }

    private static Rel aggregate(TableRef t) {
        return new Aggregate(TableScan.all(t), List.of(0), List.of(new AggCall(AggFunc.SUM, List.of(1), false, DataType.BIGINT, true, "total")));
    }
}
