package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    /** A frozen copy holds every entry once, sorted by partition, with its strings at the same offsets; a flush empties the table. */
    @Test
    void frozenCopiesAreSortedByPartitionAndFlushesEmptyTheTable() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            int entryBytes = HashTable.HEADER + 24; // key, string offset, string length
            HashTable t = new HashTable(mem, entryBytes, 4);
            java.util.List<HashTable> runs = new java.util.ArrayList<>();
            t.flushOver(100, full -> runs.add(full.frozenCopy(8)));
            Map<Long, String> reference = new HashMap<>();
            for (long key = 0; key < 1_050; key++) {
                String text = "s" + key;
                byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                long e = t.insert(Hashing.hashLong(key));
                long off = t.strings().append(java.lang.foreign.MemorySegment.ofArray(bytes), 0, bytes.length);
                t.entries().set(ValueLayout.JAVA_LONG_UNALIGNED, e + 16, key);
                t.entries().set(ValueLayout.JAVA_LONG_UNALIGNED, e + 24, off);
                t.entries().set(ValueLayout.JAVA_LONG_UNALIGNED, e + 32, bytes.length);
                reference.put(key, text);
            }
            assertEquals(10, runs.size(), "a run per 100 groups");
            assertEquals(50, t.size(), "the table started over after each flush");
            runs.add(t.frozenCopy(8));
            Map<Long, String> seen = new HashMap<>();
            for (HashTable run : runs) {
                assertEquals(8, run.partitions());
                assertEquals(run.size(), run.partitionStart(8));
                for (int p = 0; p < 8; p++) {
                    for (long k = run.partitionStart(p); k < run.partitionStart(p + 1); k++) {
                        long e = k * entryBytes;
                        assertEquals(p, HashTable.partition(run.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e), 8), "entry " + k + " in partition " + p);
                        long off = run.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e + 24);
                        int len = (int) run.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e + 32);
                        byte[] bytes = run.strings().segment().asSlice(off, len).toArray(ValueLayout.JAVA_BYTE);
                        String prev = seen.put(run.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e + 16), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
                        assertEquals(null, prev, "each key in one run only");
                    }
                }
                assertThrows(IllegalStateException.class, () -> run.insert(1), "a frozen table cannot grow");
            }
            assertEquals(reference, seen);
            for (HashTable run : runs) run.free();
            t.free();
            assertEquals(0, mem.used(), "runs and table gave their memory back");
        }
    }

    /** Per-thread build tables concatenated: every entry findable, strings relocated, memory given back. */
    @Test
    void absorbMovesEntriesAndRelocatesTheirStrings() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            int entryBytes = HashTable.HEADER + 24; // key, string offset, string length
            int[] stringSlots = {HashTable.HEADER + 8};
            HashTable[] parts = new HashTable[3];
            Map<Long, String> reference = new HashMap<>();
            for (int p = 0; p < parts.length; p++) {
                parts[p] = new HashTable(mem, entryBytes, 2);
                for (long key = p; key < 5_000; key += parts.length) {
                    String text = "v" + key + "x".repeat((int) (key % 7));
                    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    long e = parts[p].insert(Hashing.hashLong(key));
                    long off = parts[p].strings().append(java.lang.foreign.MemorySegment.ofArray(bytes), 0, bytes.length);
                    parts[p].entries().set(ValueLayout.JAVA_LONG_UNALIGNED, e + 16, key);
                    parts[p].entries().set(ValueLayout.JAVA_LONG_UNALIGNED, e + 24, off);
                    parts[p].entries().set(ValueLayout.JAVA_LONG_UNALIGNED, e + 32, bytes.length);
                    reference.put(key, text);
                }
            }
            long absorbed = 0;
            for (int p = 1; p < parts.length; p++) absorbed += parts[p].size();
            parts[0].absorb(parts[1], stringSlots);
            parts[0].absorb(parts[2], stringSlots);
            HashTable t = parts[0];
            assertEquals(reference.size(), t.size());
            for (Map.Entry<Long, String> x : reference.entrySet()) {
                long e = find(t, x.getKey());
                long off = t.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e + 24);
                int len = (int) t.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e + 32);
                byte[] bytes = t.strings().segment().asSlice(off, len).toArray(ValueLayout.JAVA_BYTE);
                assertEquals(x.getValue(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8), "string of " + x.getKey());
            }
            assertEquals(1667 + 1666, absorbed); // keys 1, 4, …, 4999 and 2, 5, …, 4997
            t.free();
            assertEquals(0, mem.used(), "the absorbed tables gave their memory back");
        }
    }

    /** The Bloom filter in front of a large build table: no key lost, most absent keys stopped early. */
    @Test
    void aFilteredTableStillFindsEveryKeyAndStopsMostAbsentOnes() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            HashTable t = new HashTable(mem, HashTable.HEADER + 8, 16);
            int n = 200_000;
            for (long key = 0; key < n; key++) {
                long e = t.insert(Hashing.hashLong(key * 2)); // even keys present
                t.entries().set(ValueLayout.JAVA_LONG_UNALIGNED, e + 16, key * 2);
            }
            t.buildFilter();
            for (long key = 0; key < n; key++) assertEquals(true, find(t, key * 2) >= 0, "key " + key * 2);
            int passed = 0;
            for (long key = 0; key < n; key++) {
                long odd = key * 2 + 1;
                assertEquals(-1, find(t, odd));
                long h = Hashing.hashLong(odd);
                if (t.head(h) >= 0) passed++; // without the filter about 40% (a bucket's fill at load factor 1/2)
            }
            org.junit.jupiter.api.Assertions.assertTrue(passed < n / 10, passed + " of " + n + " absent keys got past the filter");
        }
    }

    @Test
    void partitionsSplitHashesEvenlyAndStayInRange() {
        Random r = new Random(3);
        int[] counts = new int[3];
        for (int i = 0; i < 30_000; i++) counts[HashTable.partition(Hashing.hashLong(r.nextLong()), 3)]++;
        for (int c : counts) org.junit.jupiter.api.Assertions.assertTrue(Math.abs(c - 10_000) < 500, "partition sizes " + java.util.Arrays.toString(counts));
        assertEquals(0, HashTable.partition(Hashing.hashLong(42), 1));
    }

    private static long find(HashTable t, long key) {
        long h = Hashing.hashLong(key);
        for (long e = t.head(h); e >= 0; e = t.next(e)) {
            if (t.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e) == h && t.entries().get(ValueLayout.JAVA_LONG_UNALIGNED, e + 16) == key) return e;
        }
        return -1;
    }
}
