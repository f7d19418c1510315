package dev.kiln.benchmarks.jmh;

import dev.kiln.runtime.fn.Hashing;
import dev.kiln.runtime.hash.HashTable;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.ColumnVector;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The probe side of a hash join alone, on the runtime's {@link HashTable}: the table is built
 * once from orders (o_orderkey → o_totalprice) in the entry layout the code generator uses for a
 * BIGINT key with one BIGINT payload (header, key at 16, payload at 24) with its Bloom filter, as
 * a finished join build has; each operation probes it with every l_orderkey. The loop is the one
 * codegen-cpu emits for an INNER probe (see {@code ./kiln sql --explain-codegen} of a join):
 * hash, {@code accepts}, {@code head}, compare hash then key, follow {@code next}.
 */
public class HashProbeKernel extends TpchKernel {
    static final int ENTRY_BYTES = 32;

    private QueryMemory buildMemory;
    private HashTable table;
    private List<ColumnVector> probeKeys;

    @Override
    public void prepare(TpchData tables) {
        super.prepare(tables);
        buildMemory = new QueryMemory(Long.MAX_VALUE);
        List<ColumnVector> keys = data.column("orders", "o_orderkey");
        List<ColumnVector> prices = data.column("orders", "o_totalprice");
        table = new HashTable(buildMemory, ENTRY_BYTES, data.table("orders").rowCount());
        for (int b = 0; b < keys.size(); b++) {
            MemorySegment k = keys.get(b).values();
            MemorySegment p = prices.get(b).values();
            for (int i = 0, n = keys.get(b).size(); i < n; i++) {
                long key = k.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) i * 8);
                long e = table.insert(Hashing.hashLong(key));
                MemorySegment ents = table.entries();
                ents.set(ValueLayout.JAVA_LONG_UNALIGNED, e + 16, key);
                ents.set(ValueLayout.JAVA_LONG_UNALIGNED, e + 24, p.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) i * 8));
            }
        }
        table.buildFilter();
        probeKeys = data.column("lineitem", "l_orderkey");
    }

    @Override
    protected void release() {
        buildMemory.close();
    }

    /** [matched probe rows, sum of the matched payloads (o_totalprice, unscaled)]. */
    @Benchmark
    public long[] probe() {
        HashTable ht = table;
        MemorySegment ents = ht.entries();
        long matches = 0;
        long sum = 0;
        for (ColumnVector v : probeKeys) {
            MemorySegment keys = v.values();
            for (int i = 0, n = v.size(); i < n; i++) {
                long key = keys.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) i * 8);
                long h = Hashing.hashLong(key);
                if (!ht.accepts(h)) continue;
                for (long e = ht.head(h); e >= 0; e = ht.next(e)) {
                    if (ents.get(ValueLayout.JAVA_LONG_UNALIGNED, e) == h && ents.get(ValueLayout.JAVA_LONG_UNALIGNED, e + 16) == key) {
                        matches++;
                        sum = Math.addExact(sum, ents.get(ValueLayout.JAVA_LONG_UNALIGNED, e + 24));
                    }
                }
            }
        }
        return new long[] {matches, sum};
    }
}
