package dev.kiln.runtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.TableBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inserts as Z-set rows: every row kept as it is, with weight +1, for batch sizes around the bulk copy's 4096-row steps. */
class ZSetsTest {
    @Test
    void insertsWeighEveryRowOne() {
        Schema rows = Schema.of(new Field("k", DataType.BIGINT, false));
        Schema zset = Schema.of(new Field("k", DataType.BIGINT, false), new Field("__w", DataType.BIGINT, false));
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            for (int n : new int[] {1, 4095, 4096, 4097, 9000}) {
                TableBuilder tb = new TableBuilder("t", rows, mem);
                for (long i = 0; i < n; i++) tb.appendRow(new Object[] {i * 7});
                List<Batch> in = tb.build().batches();
                List<Batch> out = ZSets.inserts(in, zset, mem);
                List<Object[]> got = ZSets.rows(out);
                assertEquals(n, got.size(), n + " rows");
                List<String> want = new ArrayList<>(), have = new ArrayList<>();
                for (long i = 0; i < n; i++) want.add((i * 7) + "x1");
                for (Object[] r : got) have.add(r[0] + "x" + r[1]);
                assertEquals(want, have, "rows and weights of " + n + " inserts");
            }
        }
    }
}
