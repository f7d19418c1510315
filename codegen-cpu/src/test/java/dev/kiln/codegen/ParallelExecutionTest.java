package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.codegen.emit.Backend;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.eval.Interpreter;
import dev.kiln.ir.rel.PlanPrinter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.Sort;
import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Morsel-driven execution on several threads returns what one thread and the reference
 * interpreter return, for random plans over tables cut into many small morsels (so every
 * pipeline really is split, hash-join builds are merged and aggregation tables are merged by
 * partition), a third of the time with aggregation tables frozen into runs every few groups,
 * and a third with spill thresholds so small that aggregations and join builds spill to disk
 * and are merged or probed partition range by range. Rows come back in a different
 * order only where SQL leaves it open: a sort's ties.
 */
class ParallelExecutionTest {
    private static final Workers FOUR = new Workers(4);
    private static final java.util.concurrent.atomic.AtomicInteger SPILLED = new java.util.concurrent.atomic.AtomicInteger();

    @AfterContainer
    static void stopThreadsAndCheckSpillsHappened() {
        FOUR.close();
        // the spilling paths must really have run, not just been allowed to
        org.junit.jupiter.api.Assertions.assertTrue(SPILLED.get() >= 10, "only " + SPILLED.get() + " tries spilled");
    }

    @Property(tries = 250)
    void parallelAgreesWithSerialAndInterpreter(@ForAll long seed) {
        Random r = new Random(seed);
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            List<Object[]> rows1 = RandomPlans.rows(r, r.nextInt(4) == 0 ? r.nextInt(8) : r.nextInt(400));
            List<Object[]> rows2 = RandomPlans.rows(r, r.nextInt(80));
            TableRef t1 = new TableRef("t1", RandomPlans.schema(), rows1.size());
            TableRef t2 = new TableRef("t2", RandomPlans.schema(), rows2.size());
            Map<String, Table> tables = Map.of("t1", inMorsels("t1", rows1, r, mem), "t2", inMorsels("t2", rows2, r, mem));
            Rel plan = new RandomPlans(r).plan(t1, t2);
            String context = "seed " + seed + ", plan:\n" + PlanPrinter.print(plan);
            Backend backend = r.nextBoolean() ? Backend.ASM : Backend.JANINO;
            CompiledQuery q = new QueryCompiler(new CompileOptions(backend, false)).compile(plan, t -> tables.get(t.name()));

            List<Object[]> expected;
            try {
                expected = Interpreter.execute(plan, t -> (t.name().equals("t1") ? rows1 : rows2));
            } catch (KilnException e) {
                assertThrows(KilnException.class, () -> q.execute(mem, FOUR), context + "\ninterpreter raised: " + e.getMessage());
                return;
            }
            List<Object[]> serial = rows(q.execute(mem));
            // tiny spill thresholds: sink tables of a few entries spill to disk again and again
            long spilledBefore = mem.spilledBytes();
            List<Object[]> parallel;
            int mode = r.nextInt(3);
            if (mode == 0) {
                parallel = rows(q.execute(mem, FOUR));
            } else if (mode == 1) {
                // aggregation tables frozen into runs every 16 entries, merged by partition at the end
                parallel = rows(q.execute(mem, FOUR, Long.MAX_VALUE, 1));
            } else {
                try {
                    parallel = rows(q.execute(mem, FOUR, 1 + r.nextInt(4096)));
                } catch (KilnException e) {
                    // the one documented limit of spilling: a pipeline that drains a FULL / RIGHT
                    // SEMI / ANTI join table while two of its build sides spilled fails loudly
                    if (!e.getMessage().contains("so that at most one of them spills")) throw e;
                    return;
                }
            }
            if (mem.spilledBytes() > spilledBefore) SPILLED.incrementAndGet();
            if (plan instanceof Sort s) {
                // the sort keys come out in the same sequence; the rows are the same unless a LIMIT cut through ties
                assertEquals(keys(expected, s.keys()), keys(parallel, s.keys()), "sort keys, " + context);
                if (s.limit() < 0) GeneratedCodeDifferentialTest.assertSameRows(expected, parallel, false, context);
            } else {
                GeneratedCodeDifferentialTest.assertSameRows(expected, parallel, false, "parallel, " + context);
                GeneratedCodeDifferentialTest.assertSameRows(serial, parallel, false, "serial vs parallel, " + context);
            }
        }
    }

    /** The rows in batches of 1 to 40 rows (some empty tables have no batch at all). */
    static Table inMorsels(String name, List<Object[]> rows, Random r, QueryMemory mem) {
        List<Batch> batches = new ArrayList<>();
        for (int from = 0; from < rows.size(); ) {
            int to = Math.min(rows.size(), from + 1 + r.nextInt(40));
            batches.addAll(RandomPlans.table(name, rows.subList(from, to), mem).batches());
            from = to;
        }
        return new Table(name, RandomPlans.schema(), batches);
    }

    static List<Object[]> rows(List<Batch> batches) {
        List<Object[]> out = new ArrayList<>();
        for (Batch b : batches) {
            for (int i = 0; i < b.rowCount(); i++) {
                Object[] row = new Object[b.columns().size()];
                for (int c = 0; c < row.length; c++) row[c] = b.column(c).getObject(i);
                out.add(row);
            }
        }
        return out;
    }

    static List<String> keys(List<Object[]> rows, List<SortKey> keys) {
        List<Object[]> projected = new ArrayList<>();
        for (Object[] row : rows) {
            Object[] k = new Object[keys.size()];
            for (int i = 0; i < k.length; i++) k[i] = row[keys.get(i).column()];
            projected.add(k);
        }
        return GeneratedCodeDifferentialTest.canonical(projected, true);
    }
}
