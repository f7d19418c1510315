package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.runtime.fn.Hashing;
import dev.kiln.runtime.hash.HashTable;
import dev.kiln.runtime.memory.QueryMemory;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The table the generated code drives: keys stored after the header, found by walking chains. */
class HashTableTest {
    @Test
    void findsEveryKeyAfterGrowingManyTimes() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            HashTable t = new HashTable(mem, HashTable.HEADER + 16, 4);
            Random r = new Random(7);
            Map<Long, Long> reference = new HashMap<>();
            for (int i = 0; i < 300_000; i++) {
                long key = r.nextInt(100_000); // duplicates: aggregate-style find-or-insert
                long e = find(t, key);
                if (e < 0) {
                    e = t.insert(Hashing.hashLong(key));
                    t.entries().set(ValueLayout.JAVA_LONG_UNALIGNED, e + 16, key);
                }
                long count = t.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e + 24) + 1;
                t.entries().set(ValueLayout.JAVA_LONG_UNALIGNED, e + 24, count);
                reference.merge(key, 1L, Long::sum);
            }
            assertEquals(reference.size(), t.size());
            for (Map.Entry<Long, Long> x : reference.entrySet()) {
                long e = find(t, x.getKey());
                assertEquals(x.getValue(), t.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e + 24), "count of " + x.getKey());
            }
            assertEquals(-1, find(t, -5));
        }
    }

    private static long find(HashTable t, long key) {
        long h = Hashing.hashLong(key);
        for (long e = t.head(h); e >= 0; e = t.next(e)) {
            if (t.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e) == h && t.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e + 16) == key) return e;
        }
        return -1;
    }
}
