package dev.kiln.runtime.state;

import static dev.kiln.runtime.state.StateTesting.HEX;
import static dev.kiln.runtime.state.StateTesting.contents;
import static dev.kiln.runtime.state.StateTesting.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.state.StateTesting.Op;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-memory behaviour of StateStore against a HashMap model, and its memory staying bounded. */
class StateStoreTest {
    @TempDir
    Path dir;

    @Provide
    Arbitrary<List<Op>> ops() {
        return StateTesting.ops(400).list().ofMaxSize(3000);
    }

    /** Random puts, overwrites, removes and removeIfs; after each, the touched key reads as the model says; at the end, all of it. */
    @Property(tries = 150)
    void matchesHashMapModel(@ForAll("ops") List<Op> ops) {
        Path d = StateTesting.tempDir();
        try (StateStore s = StateStore.open(d, 0)) {
            Map<String, String> model = new HashMap<>();
            for (Op op : ops) {
                op.apply(s, model);
                byte[] got = s.get(key(op.key()));
                String want = model.get(HEX.formatHex(key(op.key())));
                assertEquals(want, got == null ? null : HEX.formatHex(got), () -> "after " + op);
                assertEquals(model.size(), s.size(), () -> "size after " + op);
            }
            assertEquals(new TreeMap<>(model), contents(s));
            for (int k = 0; k < 400; k++) {
                byte[] got = s.get(key(k));
                assertEquals(model.get(HEX.formatHex(key(k))), got == null ? null : HEX.formatHex(got), "key " + k);
            }
        } finally {
            StateTesting.deleteTree(d);
        }
    }

    /** Far past the initial 64 slots and 4 KB of records, then half removed. */
    @Test
    void growsPastInitialCapacity() {
        try (StateStore s = StateStore.open(dir, 0)) {
            int n = 20_000;
            for (int k = 0; k < n; k++) s.put(key(k), ("value of " + k).getBytes());
            assertEquals(n, s.size());
            for (int k = 0; k < n; k++) assertEquals("value of " + k, new String(s.get(key(k))), "key " + k);
            assertNull(s.get(key(n)));
            for (int k = 0; k < n; k += 2) assertTrue(s.remove(key(k)));
            assertFalse(s.remove(key(0)));
            assertEquals(n / 2, s.size());
            for (int k = 0; k < n; k++) {
                if (k % 2 == 0) assertNull(s.get(key(k)), "removed key " + k);
                else assertEquals("value of " + k, new String(s.get(key(k))), "key " + k);
            }
        }
    }

    /** A long update workload over a fixed key set reuses freed space: memory stays within a bound set by the first round. */
    @Test
    void overwriteLoopStaysBounded() {
        try (StateStore s = StateStore.open(dir, 0)) {
            Random r = new Random(7);
            int keys = 2000;
            Map<Integer, byte[]> model = new HashMap<>();
            long afterFirstRound = 0;
            long max = 0;
            long version = 0;
            for (int round = 0; round < 60; round++) {
                for (int k = 0; k < keys; k++) {
                    byte[] v = new byte[1 + r.nextInt(64)]; // grows and shrinks: both in-place and relocating overwrites
                    r.nextBytes(v);
                    s.put(key(k), v);
                    model.put(k, v);
                }
                if (round % 10 == 9) s.commit(++version); // commits turn the changes into the new base
                if (round == 0) afterFirstRound = s.offHeapBytes();
                max = Math.max(max, s.offHeapBytes());
            }
            assertTrue(max <= 4 * afterFirstRound, "off-heap bytes grew from " + afterFirstRound + " to " + max + " with the same " + keys + " keys");
            for (int k = 0; k < keys; k++) assertArrayEquals(model.get(k), s.get(key(k)), "key " + k);
        }
    }

    /** Evicting most of the state gives memory back at the next commit. */
    @Test
    void evictionShrinksAtCommit() {
        try (StateStore s = StateStore.open(dir, 0)) {
            for (int k = 0; k < 20_000; k++) s.put(key(k), new byte[40]);
            s.commit(1);
            long full = s.offHeapBytes();
            assertEquals(19_900, s.removeIf(kb -> StateTesting.keyId(kb) >= 100));
            s.commit(2);
            assertEquals(100, s.size());
            assertTrue(s.offHeapBytes() < full / 10, "after evicting 99.5% of the entries, " + s.offHeapBytes() + " of " + full + " bytes are still in use");
            for (int k = 0; k < 100; k++) assertArrayEquals(new byte[40], s.get(key(k)));
        }
    }

    @Test
    void removeIfReportsExactlyTheRemovedEntries() {
        try (StateStore s = StateStore.open(dir, 0)) {
            for (int k = 0; k < 1000; k++) s.put(key(k), ("v" + k).getBytes());
            s.commit(1); // half of the removals below hit committed keys (pending until the next commit), half fresh ones
            for (int k = 1000; k < 2000; k++) s.put(key(k), ("v" + k).getBytes());
            Map<String, String> seen = new TreeMap<>();
            long n = s.removeIf(kb -> StateTesting.keyId(kb) % 3 == 0, (k, v) -> seen.put(new String(k), new String(v)));
            Map<String, String> expected = new TreeMap<>();
            for (int k = 0; k < 2000; k += 3) expected.put(new String(key(k)), "v" + k);
            assertEquals(expected, seen);
            assertEquals(expected.size(), n);
            assertEquals(2000 - expected.size(), s.size());
            for (int k = 0; k < 2000; k++) assertEquals(k % 3 == 0 ? null : "v" + k, s.get(key(k)) == null ? null : new String(s.get(key(k))));
        }
    }

    @Test
    void emptyKeysAndValues() {
        try (StateStore s = StateStore.open(dir, 0)) {
            s.put(new byte[0], new byte[0]);
            s.put(new byte[] {1}, new byte[0]);
            assertArrayEquals(new byte[0], s.get(new byte[0]));
            assertArrayEquals(new byte[0], s.get(new byte[] {1}));
            s.commit(1);
            try (StateStore back = StateStore.open(dir, 1)) {
                assertEquals(2, back.size());
                assertArrayEquals(new byte[0], back.get(new byte[0]));
            }
        }
    }

    @Test
    void changesInsideForEachAreRefused() {
        try (StateStore s = StateStore.open(dir, 0)) {
            s.put(key(1), new byte[1]);
            var e = assertThrows(IllegalStateException.class, () -> s.forEach((k, v) -> s.put(key(2), v)));
            assertTrue(e.getMessage().startsWith("a state store cannot be changed from inside forEach"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> s.removeIf(k -> s.remove(key(1))));
            assertEquals(1, s.size());
        }
    }

    @Test
    void commitsMustFollowEachOther() {
        try (StateStore s = StateStore.open(dir, 0)) {
            s.commit(1);
            var e = assertThrows(IllegalStateException.class, () -> s.commit(3));
            assertEquals("state store " + dir + " holds version 1, so the next commit is version 2, not 3", e.getMessage());
        }
    }

    @Test
    void useAfterCloseThrows() {
        StateStore s = StateStore.open(dir, 0);
        s.put(key(1), new byte[3]);
        s.close();
        s.close(); // twice is fine
        var e = assertThrows(IllegalStateException.class, () -> s.get(key(1)));
        assertEquals("state store " + dir + " is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> s.put(key(1), new byte[1]));
        assertThrows(IllegalStateException.class, () -> s.commit(1));
        assertThrows(IllegalStateException.class, s::size);
    }

    @Test
    void budgetIsEnforced() {
        try (StateStore s = StateStore.open(dir, 0, StateStore.Options.DEFAULT.withMemoryBudget(1 << 20))) {
            List<Integer> put = new ArrayList<>();
            var e = assertThrows(dev.kiln.runtime.memory.MemoryBudgetExceededException.class, () -> {
                for (int k = 0; ; k++) {
                    s.put(key(k), new byte[100]);
                    put.add(k);
                }
            });
            assertTrue(e.getMessage().contains("budget"), e.getMessage());
            for (int k : put) assertArrayEquals(new byte[100], s.get(key(k)), "key " + k + " survives the failed put");
        }
    }
}
