package dev.kiln.runtime.state;

import static dev.kiln.runtime.state.StateTesting.HEX;
import static dev.kiln.runtime.state.StateTesting.contents;
import static dev.kiln.runtime.state.StateTesting.key;
import static dev.kiln.runtime.state.StateTesting.keyId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM runs a streaming query's commit loop (log the offsets, change the state, commit the
 * state, log the commit, now and then clean up) until it is killed with SIGKILL at a random
 * moment; after each kill, recovery must find exactly the state of the last committed batch, and
 * a batch logged but not committed must come back with exactly its offsets. The next child goes
 * on from there, as a restarted query would.
 */
public class StateCrashTest {
    static final StateStore.Options OPTIONS = StateStore.Options.DEFAULT.withSnapshotInterval(3);

    @TempDir
    Path root;

    /** What batch {@code b} does to the state, the same in the child and in the model. */
    interface Workload {
        void put(byte[] key, byte[] value);

        void remove(byte[] key);

        void removeIf(Predicate<byte[]> keyTest);
    }

    /**
     * Each child (salt) does something else in the same batch, as a re-run may (different timing,
     * processing-time windows): so files an abandoned attempt left behind differ from the re-run's,
     * and using one by mistake shows.
     */
    static void batch(long b, int salt, Workload w) {
        Random r = new Random(b * 1_000_003L + 17 + salt * 7919L);
        boolean big = b % 13 == 5; // a large delta, so that kills land inside long writes too
        int n = big ? 4000 : 20 + r.nextInt(200);
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(3000);
            if (r.nextInt(10) < 7) {
                byte[] v = new byte[r.nextInt(big ? 400 : 100)];
                r.nextBytes(v);
                w.put(key(k), v);
            } else {
                w.remove(key(k));
            }
        }
        if (b % 7 == 3) {
            int m = r.nextInt(11);
            w.removeIf(kb -> keyId(kb) % 11 == m);
        }
    }

    static String offsets(long b) {
        return "{\"source\":" + (b + 1) * 1000 + "}";
    }

    /** The child process: recover, then run batches until killed. */
    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        int salt = Integer.parseInt(args[1]);
        CheckpointLog log = CheckpointLog.open(root);
        RecoveryPoint p = log.recover();
        if (p.mustRerun() && !p.pendingOffsets().get().equals(offsets(p.nextBatch()))) throw new AssertionError("wrong pending offsets " + p);
        try (StateStore store = StateStore.open(root.resolve("state/0"), p.stateVersion(), OPTIONS)) {
            System.out.println("ready " + p.lastCommittedBatch());
            System.out.flush();
            Workload w = new Workload() {
                public void put(byte[] key, byte[] value) {
                    store.put(key, value);
                }

                public void remove(byte[] key) {
                    store.remove(key);
                }

                public void removeIf(Predicate<byte[]> keyTest) {
                    store.removeIf(keyTest);
                }
            };
            for (long b = p.nextBatch(); ; b++) {
                log.writeOffsets(b, offsets(b));
                batch(b, salt, w);
                store.commit(b + 1);
                log.writeCommit(b, "batch " + b);
                if (b % 5 == 4) {
                    store.cleanup(b + 1 - 4);
                    log.purge(b - 4);
                }
            }
        }
    }

    @Test
    void killedAtRandomMomentsRecoversExactly() throws Exception {
        Random r = new Random(42);
        Map<String, String> model = new TreeMap<>();
        long modelBatch = -1;
        long lastCommitted = -1;
        long start = System.nanoTime();
        // at least 7 kills; more (up to 15, within 20 s) while fewer than 10 batches committed: fsync times vary a lot on shared disks
        for (int round = 0; round < 7 || (round < 15 && lastCommitted < 10 && System.nanoTime() - start < 20_000_000_000L); round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), StateCrashTest.class.getName(), root.toString(), Integer.toString(round))
                    .redirectErrorStream(true).start();
            StringBuilder output = new StringBuilder();
            CompletableFuture<String> ready = new CompletableFuture<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                        if (line.startsWith("ready ")) ready.complete(line);
                    }
                } catch (java.io.IOException e) {
                    // the pipe closes when the child is killed
                } finally {
                    ready.complete(null);
                }
            });
            try {
                if (round % 3 == 2) {
                    Thread.sleep(r.nextInt(1500)); // sometimes while it starts up and recovers
                } else {
                    String line = ready.get(30, TimeUnit.SECONDS);
                    if (line == null) fail("the child exited before it was ready:\n" + output);
                    assertEquals("ready " + lastCommitted, line, "the child recovered to a different batch than the test did");
                    Thread.sleep(200 + r.nextInt(1200)); // a durable batch takes a few fsyncs: ~10-100 ms
                }
                if (!child.isAlive()) fail("the child died by itself (exit " + child.exitValue() + "):\n" + output);
            } finally {
                child.destroyForcibly(); // SIGKILL
                child.waitFor(30, TimeUnit.SECONDS);
                reader.join(5000);
            }

            long temps;
            try (var files = java.nio.file.Files.walk(root)) {
                temps = files.filter(f -> f.toString().endsWith(".tmp")).count();
            }
            RecoveryPoint p = CheckpointLog.open(root).recover();
            System.out.printf("kill %d: last committed batch %d, re-run pending %s, %d half-written temp files, notes %s%n",
                    round, p.lastCommittedBatch(), p.mustRerun(), temps, p.notes());
            assertTrue(p.lastCommittedBatch() >= lastCommitted, "committed batches went back from " + lastCommitted + " to " + p);
            if (p.mustRerun()) assertEquals(offsets(p.nextBatch()), p.pendingOffsets().get(), "pending offsets after round " + round);
            if (p.lastCommittedBatch() >= 0) assertEquals(offsets(p.lastCommittedBatch()), p.committedOffsets().get());
            lastCommitted = p.lastCommittedBatch();
            Workload m = modelOf(model);
            while (modelBatch < lastCommitted) batch(++modelBatch, round, m); // each committed by this round's child
            try (StateStore s = StateStore.open(root.resolve("state/0"), p.stateVersion(), OPTIONS)) {
                TreeMap<String, String> got = contents(s);
                if (!got.equals(model)) fail("after kill " + round + ", state at version " + p.stateVersion() + " has " + got.size() + " entries, the model " + model.size()
                        + "; first difference at key " + firstDifference(model, got));
            }
        }
        assertTrue(lastCommitted >= 3, "the child committed too few batches (" + (lastCommitted + 1) + ") to test anything: is the disk very slow?");
    }

    private static Workload modelOf(Map<String, String> model) {
        return new Workload() {
            public void put(byte[] key, byte[] value) {
                model.put(HEX.formatHex(key), HEX.formatHex(value));
            }

            public void remove(byte[] key) {
                model.remove(HEX.formatHex(key));
            }

            public void removeIf(Predicate<byte[]> keyTest) {
                model.keySet().removeIf(k -> keyTest.test(HEX.parseHex(k)));
            }
        };
    }

    private static String firstDifference(Map<String, String> want, Map<String, String> got) {
        TreeMap<String, String> all = new TreeMap<>(want);
        all.putAll(got);
        for (String k : all.keySet()) {
            if (!java.util.Objects.equals(want.get(k), got.get(k))) return k + ": expected " + want.get(k) + ", got " + got.get(k);
        }
        return "none";
    }

}
