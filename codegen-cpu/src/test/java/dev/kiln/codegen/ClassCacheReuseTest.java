package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.emit.Backend;
import dev.kiln.ir.expr.Call;
import dev.kiln.ir.expr.Expr;
import dev.kiln.ir.expr.Literal;
import dev.kiln.ir.expr.Op;
import dev.kiln.ir.rel.AggCall;
import dev.kiln.ir.rel.AggFunc;
import dev.kiln.ir.rel.Aggregate;
import dev.kiln.ir.rel.Filter;
import dev.kiln.ir.rel.Rel;
import dev.kiln.ir.rel.TableRef;
import dev.kiln.ir.rel.TableScan;
import dev.kiln.ir.type.DataType;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Queries that differ only in literals share compiled classes and still get their own answers. */
class ClassCacheReuseTest {
    @Test
    void literalOnlyDifferencesHitTheCache() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            List<Object[]> rows = RandomPlans.rows(new Random(7), 500);
            Table t = RandomPlans.table("t", rows, mem);
            TableRef ref = new TableRef("t", RandomPlans.schema(), rows.size());
            QueryCompiler compiler = new QueryCompiler(new CompileOptions(Backend.ASM, false));

            CompiledQuery first = compiler.compile(countWhereKeyIs(ref, 3), x -> t);
            CompiledQuery second = compiler.compile(countWhereKeyIs(ref, 5), x -> t);

            assertTrue(second.stats().classesCompiled() == 0 && second.stats().cacheHits() > 0,
                    "second compile should reuse every class: " + second.stats());
            assertEquals(count(rows, 3), single(first.execute(mem)));
            assertEquals(count(rows, 5), single(second.execute(mem)));
            // a compiled query can run again with fresh state
            assertEquals(count(rows, 5), single(second.execute(mem)));
        }
    }

    private static Rel countWhereKeyIs(TableRef ref, long key) {
        Expr cond = new Call(Op.EQ, List.of(RandomPlans.ref(ref.schema(), 0), new Literal(key, DataType.BIGINT)), DataType.BOOLEAN, false);
        return new Aggregate(new Filter(TableScan.all(ref), cond), List.of(),
                List.of(new AggCall(AggFunc.COUNT, List.of(), false, DataType.BIGINT, false, "n")));
    }

    private static long count(List<Object[]> rows, long key) {
        return rows.stream().filter(r -> (Long) r[0] == key).count();
    }

    private static long single(List<Batch> batches) {
        List<Object> values = new ArrayList<>();
        for (Batch b : batches) for (int i = 0; i < b.rowCount(); i++) values.add(b.column(0).getObject(i));
        assertEquals(1, values.size());
        return (Long) values.getFirst();
    }
}
