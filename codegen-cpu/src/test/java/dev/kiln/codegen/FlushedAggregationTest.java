package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.emit.Backend;
import dev.kiln.ir.eval.Interpreter;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.type.DataType;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Grouped aggregation with per-worker tables that fill again and again: every 16 groups a
 * worker's table is frozen into a run sorted by hash partition, and the runs (with string keys
 * and string states living in each run's own heap) are merged range by range. The result must
 * be the interpreter's on one thread and on four, kept in memory or partly spilled to disk.
 */
class FlushedAggregationTest {
    @Test
    void frozenRunsMergeToTheExactGroups() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE); Workers one = new Workers(1); Workers four = new Workers(4)) {
            List<Object[]> rows = RandomPlans.rows(new Random(5), 6000);
            TableRef t = new TableRef("t1", RandomPlans.schema(), rows.size());
            Table table = ParallelExecutionTest.inMorsels("t1", rows, new Random(6), mem);
            // GROUP BY i, s, dt: thousands of groups, NULL keys among them
            Rel plan = new Aggregate(TableScan.all(t), List.of(1, 3, 4), List.of(
                    new AggCall(AggFunc.COUNT, List.of(), false, DataType.BIGINT, false, "n"),
                    new AggCall(AggFunc.SUM, List.of(2), false, RandomPlans.schema().field(2).type(), true, "sum_d"),
                    new AggCall(AggFunc.MIN, List.of(3), false, DataType.VARCHAR, true, "min_s"),
                    new AggCall(AggFunc.MAX, List.of(5), false, DataType.DOUBLE, true, "max_x")));
            List<Object[]> expected = Interpreter.execute(plan, x -> rows);
            assertTrue(expected.size() > 1000, "the test needs many groups, got " + expected.size());
            CompiledQuery q = new QueryCompiler(new CompileOptions(Backend.ASM, false)).compile(plan, x -> table);
            for (Workers w : List.of(one, four)) {
                GeneratedCodeDifferentialTest.assertSameRows(expected, ParallelExecutionTest.rows(q.execute(mem, w, Long.MAX_VALUE, 1)), false,
                        "runs in memory, " + w.threads() + " thread(s)");
                // a sink limit that keeps the first runs in memory and spills the later ones
                long spilled = mem.spilledBytes();
                GeneratedCodeDifferentialTest.assertSameRows(expected, ParallelExecutionTest.rows(q.execute(mem, w, 64 << 10, 1)), false,
                        "runs partly spilled, " + w.threads() + " thread(s)");
                assertTrue(mem.spilledBytes() > spilled, "some runs should have spilled");
            }
        }
    }
}
