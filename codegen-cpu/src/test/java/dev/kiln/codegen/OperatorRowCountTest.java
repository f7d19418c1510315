package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.codegen.emit.Backend;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.eval.Interpreter;
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * EXPLAIN ANALYZE's counters: for random plans run on several threads, the rows each operator
 * produced equal the rows the reference interpreter returns for that operator's subtree.
 */
class OperatorRowCountTest {
    private static final Workers THREE = new Workers(3);

    @AfterContainer
    static void stopThreads() {
        THREE.close();
    }

    @Property(tries = 150)
    void countsEqualTheInterpretersRowsPerSubtree(@ForAll long seed) {
        Random r = new Random(seed);
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            List<Object[]> rows1 = RandomPlans.rows(r, r.nextInt(300));
            List<Object[]> rows2 = RandomPlans.rows(r, r.nextInt(60));
            TableRef t1 = new TableRef("t1", RandomPlans.schema(), rows1.size());
            TableRef t2 = new TableRef("t2", RandomPlans.schema(), rows2.size());
            Map<String, Table> tables = Map.of("t1", ParallelExecutionTest.inMorsels("t1", rows1, r, mem),
                    "t2", ParallelExecutionTest.inMorsels("t2", rows2, r, mem));
            Rel plan = new RandomPlans(r).plan(t1, t2);
            CompiledQuery q = new QueryCompiler(new CompileOptions(Backend.ASM, false).profiled()).compile(plan, t -> tables.get(t.name()));
            CompiledQuery.Analyzed analyzed;
            try {
                Interpreter.execute(plan, t -> t.name().equals("t1") ? rows1 : rows2);
                analyzed = q.executeAnalyzed(mem, THREE);
            } catch (KilnException e) {
                return; // errors are the differential tests' business
            }
            assertEquals(rows(analyzed.rows()), Interpreter.execute(plan, t -> t.name().equals("t1") ? rows1 : rows2).size());
            for (var e : analyzed.actualRows().entrySet()) {
                long expected = Interpreter.execute(e.getKey(), t -> t.name().equals("t1") ? rows1 : rows2).size();
                assertEquals(expected, e.getValue(), "rows of\n" + PlanPrinter.print(e.getKey()) + "in seed " + seed + ", plan:\n" + PlanPrinter.print(plan));
            }
        }
    }

    private static int rows(List<dev.kiln.runtime.vector.Batch> batches) {
        return batches.stream().mapToInt(dev.kiln.runtime.vector.Batch::rowCount).sum();
    }
}
