package dev.kiln.runtime.state;

import static dev.kiln.runtime.state.StateTesting.HEX;
import static dev.kiln.runtime.state.StateTesting.contents;
import static dev.kiln.runtime.state.StateTesting.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.state.StateTesting.Op;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versioned checkpoints: exact restore of every version, delta contents, damaged files, abandoned runs, cleanup. */
class StateCheckpointTest {
    private static final String CANNOT = ". Restore the file from a backup, or restart the query with a new checkpoint directory";

    @TempDir
    Path dir;

    static StateStore.Options every(int interval) {
        return StateStore.Options.DEFAULT.withSnapshotInterval(interval);
    }

    @Provide
    Arbitrary<List<List<Op>>> batches() {
        return StateTesting.ops(300).list().ofMaxSize(80).list().ofMinSize(1).ofMaxSize(25);
    }

    @Provide
    Arbitrary<Integer> intervals() {
        return Arbitraries.of(1, 3, 10);
    }

    /** Random operations split into random batches, one commit each: open(dir, v) is the model at v, for every v. */
    @Property(tries = 40)
    void everyVersionRestoresExactly(@ForAll("batches") List<List<Op>> batches, @ForAll("intervals") int interval) {
        Path d = StateTesting.tempDir();
        try {
            List<TreeMap<String, String>> models = new ArrayList<>();
            Map<String, String> model = new HashMap<>();
            models.add(new TreeMap<>());
            try (StateStore s = StateStore.open(d, 0, every(interval))) {
                for (List<Op> batch : batches) {
                    for (Op op : batch) op.apply(s, model);
                    s.commit(s.version() + 1);
                    models.add(new TreeMap<>(model));
                }
            }
            for (int v = 0; v < models.size(); v++) {
                try (StateStore s = StateStore.open(d, v, every(interval))) {
                    assertEquals(models.get(v), contents(s), "version " + v + " of " + batches.size() + ", snapshot interval " + interval);
                    assertEquals(v, s.version());
                    assertEquals(List.of(), s.restoreNotes());
                }
            }
            // a restored store goes on from there: its next commit's delta holds just the new changes
            int v = models.size() / 2;
            try (StateStore s = StateStore.open(d, v, every(interval))) {
                s.put(key(9999), new byte[] {9});
                s.commit(v + 1);
            }
            TreeMap<String, String> expected = new TreeMap<>(models.get(v));
            expected.put(HEX.formatHex(key(9999)), "09");
            try (StateStore s = StateStore.open(d, v + 1, every(interval))) {
                assertEquals(expected, contents(s));
            }
        } finally {
            StateTesting.deleteTree(d);
        }
    }

    /** A delta holds each changed key once, with its last value or as a removal; a key born and removed in between is not there. */
    @Test
    void deltaHoldsEachChangedKeyOnceWithItsLastValue() throws IOException {
        try (StateStore s = StateStore.open(dir, 0)) {
            for (String k : List.of("a", "b", "c", "unchanged")) s.put(k.getBytes(), "1".getBytes());
            s.commit(1);
            s.put("a".getBytes(), "2".getBytes());
            s.put("a".getBytes(), "333333".getBytes()); // grows: a new record
            s.put("a".getBytes(), "4".getBytes());
            s.remove("b".getBytes());
            s.put("d".getBytes(), "x".getBytes());
            s.remove("d".getBytes());
            s.remove("c".getBytes());
            s.put("c".getBytes(), "5".getBytes());
            s.put("e".getBytes(), "6".getBytes());
            s.commit(2);
        }
        assertEquals(Map.of("a", "4", "b", "<removed>", "c", "5", "e", "6"), readFile(dir.resolve("2.delta"), 2));
        assertEquals(Map.of("a", "1", "b", "1", "c", "1", "unchanged", "1"), readFile(dir.resolve("1.delta"), 1));
        assertFalse(Files.exists(dir.resolve("1.snapshot")));
        try (StateStore s = StateStore.open(dir, 2)) {
            assertEquals(Map.of("a", "4", "c", "5", "e", "6", "unchanged", "1"), strings(s));
        }
    }

    @Test
    void snapshotEveryIntervalHoldsAllEntries() throws IOException {
        List<TreeMap<String, String>> models = build(dir, 7, 3, 1);
        assertEquals(Set("1.delta", "2.delta", "3.delta", "3.snapshot", "4.delta", "5.delta", "6.delta", "6.snapshot", "7.delta"), names(dir));
        Map<String, String> snap = readFile(dir.resolve("6.snapshot"), 6);
        TreeMap<String, String> expected = new TreeMap<>();
        models.get(6).forEach((k, v) -> expected.put(new String(HEX.parseHex(k)), new String(HEX.parseHex(v), java.nio.charset.StandardCharsets.ISO_8859_1)));
        assertEquals(expected, new TreeMap<>(snap));
    }

    // ---- damaged files ----

    @Test
    void truncatedNewestDeltaIsAnErrorNamingIt() throws IOException {
        List<TreeMap<String, String>> models = build(dir, 12, 5, 2);
        Path f = dir.resolve("12.delta");
        long size = Files.size(f);
        truncate(f, size - 10);
        var e = assertThrows(CheckpointException.class, () -> StateStore.open(dir, 12, every(5)));
        assertEquals("state checkpoint " + f + " is truncated (expected " + (size - 36) + " bytes of entries and a 4-byte checksum after the header, found "
                + (size - 10 - 32) + " bytes); the checkpoint cannot be restored to version 12" + CANNOT, e.getMessage());
        assertEquals(f, e.file());
        assertRestores(models, 11, 5);
    }

    @Test
    void flippedByteInNewestDeltaIsAnErrorNamingIt() throws IOException {
        List<TreeMap<String, String>> models = build(dir, 12, 5, 3);
        Path f = dir.resolve("12.delta");
        flip(f, 40);
        var e = assertThrows(CheckpointException.class, () -> StateStore.open(dir, 12, every(5)));
        assertTrue(e.getMessage().matches("state checkpoint \\Q" + f + "\\E fails its CRC32 check \\(stored [0-9a-f]{8}, computed [0-9a-f]{8}\\): the file is corrupted; "
                + "the checkpoint cannot be restored to version 12\\Q" + CANNOT + "\\E"), e.getMessage());
        assertRestores(models, 11, 5);
    }

    @Test
    void damagedSnapshotFallsBackToTheOlderOne() throws IOException {
        List<TreeMap<String, String>> models = build(dir, 12, 5, 4);
        Path f = dir.resolve("10.snapshot");
        flip(f, Files.size(f) / 2);
        for (int v = 10; v <= 12; v++) {
            try (StateStore s = StateStore.open(dir, v, every(5))) {
                assertEquals(models.get(v), contents(s), "version " + v);
                assertEquals(1, s.restoreNotes().size());
                String note = s.restoreNotes().getFirst();
                assertTrue(note.startsWith("state checkpoint " + f + " fails its CRC32 check"), note);
                assertTrue(note.endsWith("; restored version " + v + " from 5.snapshot and the deltas after it instead"), note);
            }
        }
        truncate(f, 20);
        try (StateStore s = StateStore.open(dir, 12, every(5))) {
            assertEquals(models.get(12), contents(s));
            assertEquals(List.of("state checkpoint " + f + " is truncated (20 bytes, shorter than its 32-byte header and checksum); "
                    + "restored version 12 from 5.snapshot and the deltas after it instead"), s.restoreNotes());
        }
    }

    @Test
    void damagedOlderDeltaMattersOnlyToVersionsThatNeedIt() throws IOException {
        List<TreeMap<String, String>> models = build(dir, 12, 5, 5);
        Path f = dir.resolve("7.delta");
        flip(f, 33);
        for (int v : new int[] {5, 6, 10, 11, 12}) assertRestores(models, v, 5); // 10.snapshot covers it
        for (int v : new int[] {7, 8, 9}) {
            var e = assertThrows(CheckpointException.class, () -> StateStore.open(dir, v, every(5)));
            assertEquals(f, e.file());
            assertTrue(e.getMessage().startsWith("state checkpoint " + f + " fails its CRC32 check"), e.getMessage());
            assertTrue(e.getMessage().endsWith("the checkpoint cannot be restored to version " + v + CANNOT), e.getMessage());
        }
    }

    @Test
    void damagedSnapshotAndTheDeltaItsFallbackNeedsIsAnError() throws IOException {
        build(dir, 12, 5, 6);
        Path snap = dir.resolve("10.snapshot");
        Path delta = dir.resolve("7.delta");
        flip(snap, 50);
        truncate(delta, Files.size(delta) - 1);
        var e = assertThrows(CheckpointException.class, () -> StateStore.open(dir, 12, every(5)));
        assertEquals(delta, e.file());
        assertTrue(e.getMessage().startsWith("state checkpoint " + delta + " is truncated (expected "), e.getMessage());
        assertTrue(e.getMessage().contains("; the checkpoint cannot be restored to version 12 (the newer snapshots that would not need it are unusable too: "
                + snap + " fails its CRC32 check"), e.getMessage());
    }

    @Test
    void missingOrMisnamedDeltaIsAnError() throws IOException {
        List<TreeMap<String, String>> models = build(dir, 12, 5, 7);
        Files.copy(dir.resolve("11.delta"), dir.resolve("12.delta"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        var e = assertThrows(CheckpointException.class, () -> StateStore.open(dir, 12, every(5)));
        assertEquals("state checkpoint " + dir.resolve("12.delta") + " holds version 11, not 12 as its name says; the checkpoint cannot be restored to version 12" + CANNOT,
                e.getMessage());
        Files.delete(dir.resolve("11.delta"));
        e = assertThrows(CheckpointException.class, () -> StateStore.open(dir, 11, every(5)));
        assertEquals("state checkpoint " + dir.resolve("11.delta") + " is missing; the checkpoint cannot be restored to version 11" + CANNOT, e.getMessage());
        assertRestores(models, 10, 5);
    }

    /**
     * Every single flipped byte and every truncation: of the newest delta (no fallback) an error
     * naming it; of the snapshot (a fallback exists) the exact state; of an older delta that only
     * the fallback needs, nothing changes while the snapshot is good. Never a different state.
     */
    @Test
    void everyFlipAndTruncationIsCaught() throws IOException {
        List<TreeMap<String, String>> models = new ArrayList<>();
        try (StateStore s = StateStore.open(dir, 0, every(2))) { // small files: every byte of them is damaged in turn
            Map<String, String> model = new HashMap<>();
            models.add(new TreeMap<>());
            List<List<Op>> batches = List.of(
                    List.of(new Op(0, 1, new byte[] {1, 2}), new Op(0, 2, new byte[] {3}), new Op(0, 3, new byte[0])),
                    List.of(new Op(0, 1, new byte[] {4, 5, 6}), new Op(6, 2, null)),
                    List.of(new Op(0, 4, new byte[] {7}), new Op(6, 3, null), new Op(0, 2, new byte[] {8})));
            for (List<Op> batch : batches) {
                batch.forEach(op -> op.apply(s, model));
                s.commit(s.version() + 1);
                models.add(new TreeMap<>(model));
            }
        }
        checkEveryDamage(dir.resolve("3.delta"), models, 3, true);
        checkEveryDamage(dir.resolve("2.snapshot"), models, 3, false);
        checkEveryDamage(dir.resolve("1.delta"), models, 3, false);
        checkEveryDamage(dir.resolve("2.delta"), models, 2, false); // 2.snapshot alone restores 2
    }

    private void checkEveryDamage(Path f, List<TreeMap<String, String>> models, int version, boolean mustFail) throws IOException {
        byte[] good = Files.readAllBytes(f);
        List<byte[]> damaged = new ArrayList<>();
        for (int i = 0; i < good.length; i++) {
            byte[] b = good.clone();
            b[i] ^= (byte) (1 << (i % 8));
            damaged.add(b);
        }
        for (int n = 0; n < good.length; n++) damaged.add(java.util.Arrays.copyOf(good, n));
        for (byte[] b : damaged) {
            Files.write(f, b);
            try (StateStore s = StateStore.open(dir, version, every(2))) {
                assertFalse(mustFail, () -> f + " damaged (" + b.length + " bytes) was not detected");
                assertEquals(models.get(version), contents(s), () -> "restored from " + f + " damaged (" + b.length + " bytes)");
            } catch (CheckpointException e) {
                assertTrue(mustFail, () -> "no fallback found for damaged " + f + ": " + e.getMessage());
                assertEquals(f, e.file());
            }
        }
        Files.write(f, good);
    }

    // ---- abandoned runs and cleanup ----

    /**
     * A run commits versions 1-8 but the query's log committed only up to 5: the restart restores
     * 5, ignoring 6-8 (a stale 8.snapshot and a temp file included), and its own commits of 6-8 replace them.
     */
    @Test
    void filesOfUncommittedVersionsAreIgnoredThenReplaced() throws IOException {
        List<TreeMap<String, String>> first = build(dir, 8, 4, 9);
        Files.write(dir.resolve("9.delta.tmp"), new byte[] {1, 2, 3});
        List<TreeMap<String, String>> second = new ArrayList<>(first.subList(0, 6));
        try (StateStore s = StateStore.open(dir, 5, every(3))) {
            assertEquals(first.get(5), contents(s));
            s.cleanup(100); // may only consider files up to its own version
            Map<String, String> model = new HashMap<>(first.get(5));
            Random r = new Random(99);
            for (int v = 6; v <= 8; v++) {
                randomBatch(r).forEach(op -> op.apply(s, model));
                s.commit(v);
                second.add(new TreeMap<>(model));
            }
        }
        assertEquals(Set("4.snapshot", "5.delta", "6.delta", "6.snapshot", "7.delta", "8.delta"), names(dir));
        for (int v = 5; v <= 8; v++) {
            for (int interval : new int[] {3, 4}) assertRestores(second, v, interval);
        }
        assertTrue(!second.get(8).equals(first.get(8)), "the test needs the second run to differ");
    }

    @Test
    void cleanupKeepsWhatLaterVersionsNeed() throws IOException {
        List<TreeMap<String, String>> models = build(dir, 25, 5, 10);
        try (StateStore s = StateStore.open(dir, 25, every(5))) {
            s.cleanup(17);
        }
        TreeSet<String> expected = new TreeSet<>(Set("15.snapshot", "20.snapshot", "25.snapshot"));
        for (int v = 16; v <= 25; v++) expected.add(v + ".delta");
        assertEquals(expected, names(dir));
        for (int v = 15; v <= 25; v++) assertRestores(models, v, 5);
        var e = assertThrows(CheckpointException.class, () -> StateStore.open(dir, 14, every(5)));
        assertEquals(dir.resolve("1.delta"), e.file());
    }

    @Test
    void cleanupKeepsOlderFilesWhenItsSnapshotIsDamaged() throws IOException {
        List<TreeMap<String, String>> models = build(dir, 25, 5, 11);
        flip(dir.resolve("15.snapshot"), 60);
        try (StateStore s = StateStore.open(dir, 25, every(5))) {
            s.cleanup(17);
        }
        assertTrue(Files.exists(dir.resolve("10.snapshot")));
        assertTrue(Files.exists(dir.resolve("11.delta")));
        assertFalse(Files.exists(dir.resolve("10.delta")));
        for (int v = 17; v <= 19; v++) assertRestores(models, v, 5);
    }

    // ---- helpers ----

    /** Commits {@code versions} random batches; element v of the result is the model at version v. */
    static List<TreeMap<String, String>> build(Path d, int versions, int interval, long seed) {
        Random r = new Random(seed);
        List<TreeMap<String, String>> models = new ArrayList<>();
        models.add(new TreeMap<>());
        Map<String, String> model = new HashMap<>();
        try (StateStore s = StateStore.open(d, 0, every(interval))) {
            for (int v = 1; v <= versions; v++) {
                randomBatch(r).forEach(op -> op.apply(s, model));
                s.commit(v);
                models.add(new TreeMap<>(model));
            }
        }
        return models;
    }

    static List<Op> randomBatch(Random r) {
        List<Op> ops = new ArrayList<>();
        int n = 1 + r.nextInt(30);
        for (int i = 0; i < n; i++) {
            byte[] v = new byte[r.nextInt(20)];
            r.nextBytes(v);
            ops.add(new Op(r.nextInt(9), r.nextInt(40), v));
        }
        return ops;
    }

    private void assertRestores(List<TreeMap<String, String>> models, int v, int interval) {
        try (StateStore s = StateStore.open(dir, v, every(interval))) {
            assertEquals(models.get(v), contents(s), "version " + v);
        }
    }

    static void flip(Path f, long at) throws IOException {
        byte[] b = Files.readAllBytes(f);
        b[(int) at] ^= 0x10;
        Files.write(f, b);
    }

    static void truncate(Path f, long size) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    static TreeSet<String> names(Path d) throws IOException {
        try (var files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @SuppressWarnings("MethodName")
    static TreeSet<String> Set(String... names) {
        return new TreeSet<>(List.of(names));
    }

    private static Map<String, String> strings(StateStore s) {
        Map<String, String> out = new TreeMap<>();
        s.forEach((k, v) -> out.put(new String(k), new String(v)));
        return out;
    }

    /** An independent reader of the documented file format: key -> value, or "<removed>", as ISO-8859-1 text. */
    static Map<String, String> readFile(Path f, long version) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        String magic = new String(b.array(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(f.toString().endsWith(".delta") ? "KSTD" : "KSTS", magic);
        assertEquals(1, b.getInt(4));
        assertEquals(version, b.getLong(8));
        long count = b.getLong(16);
        long bytes = b.getLong(24);
        assertEquals(32 + bytes + 4, b.capacity());
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 0, (int) (32 + bytes));
        assertEquals((int) crc.getValue(), b.getInt((int) (32 + bytes)));
        b.position(32);
        Map<String, String> out = new HashMap<>();
        for (long i = 0; i < count; i++) {
            byte kind = b.get();
            byte[] k = new byte[b.getInt()];
            b.get(k);
            String value = "<removed>";
            if (kind == 1) {
                byte[] v = new byte[b.getInt()];
                b.get(v);
                value = new String(v, java.nio.charset.StandardCharsets.ISO_8859_1);
            } else {
                assertEquals(2, kind);
            }
            assertTrue(out.put(new String(k, java.nio.charset.StandardCharsets.ISO_8859_1), value) == null, "a key twice in " + f);
        }
        assertEquals(32 + bytes, b.position());
        return out;
    }
}
