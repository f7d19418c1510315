package dev.kiln.runtime.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Shared pieces of the state tests: keys, a HashMap-backed model, random operations. */
final class StateTesting {
    private StateTesting() {}

    static final HexFormat HEX = HexFormat.of();

    /** Key {@code k} as bytes of varying length ("k17-----"), distinct for distinct k. */
    static byte[] key(int k) {
        return ("k" + k + "-".repeat(k % 13)).getBytes(StandardCharsets.US_ASCII);
    }

    static int keyId(byte[] key) {
        String s = new String(key, StandardCharsets.US_ASCII);
        int dash = s.indexOf('-');
        return Integer.parseInt(s.substring(1, dash < 0 ? s.length() : dash));
    }

    /** The store's contents as hex key -> hex value, sorted (readable when an assertion fails). */
    static TreeMap<String, String> contents(StateStore s) {
        TreeMap<String, String> out = new TreeMap<>();
        s.forEach((k, v) -> {
            if (out.put(HEX.formatHex(k), HEX.formatHex(v)) != null) throw new AssertionError("forEach gave key " + HEX.formatHex(k) + " twice");
        });
        if (out.size() != s.size()) throw new AssertionError("size() is " + s.size() + " but forEach gave " + out.size() + " entries");
        return out;
    }

    /**
     * One operation: kind 0-5 put, 6-7 remove, 8 removeIf(key id % 7 == key % 7). Puts dominate
     * so the store grows; the value's length varies so overwrites go both in place and to new records.
     */
    record Op(int kind, int key, byte[] value) {
        void apply(StateStore s, Map<String, String> model) {
            byte[] k = StateTesting.key(key);
            if (kind <= 5) {
                s.put(k, value);
                model.put(HEX.formatHex(k), HEX.formatHex(value));
            } else if (kind <= 7) {
                boolean had = model.remove(HEX.formatHex(k)) != null;
                if (s.remove(k) != had) throw new AssertionError("remove(" + key + ") should return " + had);
            } else {
                int r = key % 7;
                long expected = model.keySet().stream().filter(h -> keyId(HEX.parseHex(h)) % 7 == r).count();
                model.keySet().removeIf(h -> keyId(HEX.parseHex(h)) % 7 == r);
                long removed = s.removeIf(kb -> keyId(kb) % 7 == r);
                if (removed != expected) throw new AssertionError("removeIf removed " + removed + " entries, expected " + expected);
            }
        }

        @Override
        public String toString() {
            return (kind <= 5 ? "put " : kind <= 7 ? "remove " : "removeIf%7==") + key + (kind <= 5 ? "=" + value.length + "B" : "");
        }
    }

    static Arbitrary<Op> ops(int keys) {
        return Combinators.combine(Arbitraries.integers().between(0, 8), Arbitraries.integers().between(0, keys - 1),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(60)).as(Op::new);
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("kiln-state-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
