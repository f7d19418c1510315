package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.runtime.fn.Hashing;
import dev.kiln.runtime.hash.HashTable;
import dev.kiln.runtime.hash.StringHeap;
import dev.kiln.runtime.memory.QueryMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One million keys, many sharing a hash (collision chains), through repeated growth. */
class HashTableStressTest {
    /** A deliberately weak hash for a third of the keys: only 16384 distinct values, so ~20 keys share each chain. */
    static long hash(long key) {
        return key % 3 == 0 ? Hashing.hashLong(key & 0x3FFF) : Hashing.hashLong(key);
    }

    @Test
    void millionKeysWithCollisions() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            HashTable t = new HashTable(mem, HashTable.HEADER + 16, 1);
            Random r = new Random(11);
            Map<Long, Long> offsets = new HashMap<>();
            int n = 1_000_000;
            for (int i = 0; i < n; i++) {
                long key = r.nextLong() & 0x3FFF_FFFF_FFFFL;
                if (offsets.containsKey(key)) continue;
                long e = t.insert(hash(key));
                assertEquals((long) offsets.size() * t.entryBytes(), e, "entries are appended");
                MemorySegment s = t.entries();
                assertEquals(0, s.get(ValueLayout.JAVA_LONG_UNALIGNED, e + 16), "payload zeroed");
                s.set(ValueLayout.JAVA_LONG_UNALIGNED, e + 16, key);
                s.set(ValueLayout.JAVA_LONG_UNALIGNED, e + 24, ~key);
                offsets.put(key, e);
            }
            assertEquals(offsets.size(), t.size());
            for (Map.Entry<Long, Long> x : offsets.entrySet()) {
                long key = x.getKey();
                long h = hash(key);
                long found = -1;
                int chain = 0;
                for (long e = t.head(h); e >= 0; e = t.next(e), chain++) {
                    if (t.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e) == h && t.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e + 16) == key) {
                        found = e;
                    }
                }
                assertEquals(x.getValue(), found, "offset of " + key + " never changes");
                assertEquals(~key, t.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, found + 24));
                assertEquals(true, chain < 400, "chain of " + chain);
            }
            // iteration by offset sees every entry once, with its hash in the header
            long sum = 0;
            for (long i = 0; i < t.size(); i++) {
                long e = i * t.entryBytes();
                long key = t.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e + 16);
                assertEquals(hash(key), t.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e));
                sum += key;
            }
            assertEquals(offsets.keySet().stream().mapToLong(Long::longValue).sum(), sum);
            long absent = -1; // keys are non-negative
            for (long e = t.head(hash(absent)); e >= 0; e = t.next(e)) {
                assertEquals(true, t.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e + 16) != absent);
            }
        }
    }

    @Test
    void emptyBucketsAndStringHeap() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            HashTable t = new HashTable(mem, 24, 0);
            assertEquals(-1, t.head(Hashing.hashLong(5)));
            long e = t.insert(Hashing.hashLong(5));
            assertEquals(0, e);
            assertEquals(-1, t.next(e));
            assertEquals(0, t.head(Hashing.hashLong(5)));
            StringHeap h = t.strings();
            StringBuilder all = new StringBuilder();
            long expectedOffset = 0;
            for (int i = 0; i < 3000; i++) {
                byte[] b = ("s" + i + "日").getBytes(StandardCharsets.UTF_8);
                assertEquals(expectedOffset, h.append(MemorySegment.ofArray(b), 0, b.length));
                expectedOffset += b.length;
                all.append("s").append(i).append("日");
            }
            byte[] got = h.segment().asSlice(0, expectedOffset).toArray(ValueLayout.JAVA_BYTE);
            assertEquals(all.toString(), new String(got, StandardCharsets.UTF_8));
            h.reset();
            assertEquals(0, h.append(MemorySegment.ofArray(new byte[] {1}), 0, 1));
        }
    }
}
