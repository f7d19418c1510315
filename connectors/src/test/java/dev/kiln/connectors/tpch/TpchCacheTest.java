package dev.kiln.connectors.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TpchCacheTest {
    @TempDir
    Path dir;

    @Test
    void catalogGeneratesOnceThenMapsTheCacheWithoutCopying() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TpchCache cache = new TpchCache(dir);
            Map<String, Table> generated = TpchCatalog.load(0.01, mem, cache);
            long usedAfterGeneration = mem.used();
            assertTrue(usedAfterGeneration > 0);
            var loaded = stderrOf(() -> TpchCatalog.load(0.01, mem, cache));
            assertEquals("", loaded.err());
            assertEquals(usedAfterGeneration, mem.used(), "a cached table is mapped, not copied into query memory");
            assertEquals(TpchSchemas.TABLES, List.copyOf(loaded.value().keySet()));
            for (String name : TpchSchemas.TABLES) assertSameTable(generated.get(name), loaded.value().get(name));
            assertEquals(60_175L, TpchCatalog.refs(loaded.value()).get("lineitem").rowCount());
            assertEquals(60_175L, TpchCatalog.refs(0.01).get("lineitem").rowCount());
        }
    }

    @Test
    void truncatedColumnFileIsDetected() throws IOException {
        assertDamageDetected(col -> Files.write(col, new byte[] {1, 2, 3}), "1.col has 3 bytes, the manifest says ");
    }

    @Test
    void overwrittenBytesOfTheSameSizeFailTheChecksum() throws IOException {
        assertDamageDetected(col -> {
            byte[] b = Files.readAllBytes(col);
            b[5] ^= 0x40;
            Files.write(col, b);
        }, "1.col fails its checksum");
    }

    @Test
    void missingColumnFileIsDetected() throws IOException {
        assertDamageDetected(Files::delete, "1.col");
    }

    @Test
    void olderFormatIsNotUsed() throws IOException {
        assertDamageDetected(col -> editManifest(col, "format", "kiln-columnar-1"), "cache format kiln-columnar-1, this Kiln reads kiln-columnar-2");
    }

    @Test
    void differentSchemaIsNotUsed() throws IOException {
        assertDamageDetected(col -> editManifest(col, "schema", "[o_orderkey INTEGER NOT NULL]"), "its schema differs from this Kiln's orders schema");
    }

    @Test
    void inconsistentRowCountsAreDetected() throws IOException {
        assertDamageDetected(col -> editManifest(col, "rows", "14999"), "batches hold 15000 rows, the manifest says 14999");
        assertDamageDetected(col -> editManifest(col, "batch.0.rows", "100"), "batch 0 column 0 does not fit its file or its row count");
    }

    interface Damage {
        void apply(Path columnFile) throws IOException;
    }

    /** Damages a stored orders table; loading must report it once, regenerate, and repair the cache. */
    private void assertDamageDetected(Damage damage, String reason) throws IOException {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TpchCache cache = new TpchCache(dir);
            Table orders = TpchGenerator.generate("orders", 0.01, mem);
            cache.store(orders, 0.01);
            damage.apply(cache.tableDir("orders", 0.01).resolve("1.col"));

            var first = stderrOf(() -> TpchCatalog.load(0.01, mem, cache));
            String expectedStart = "kiln: the TPC-H cache at " + cache.tableDir("orders", 0.01) + " cannot be used (";
            List<String> lines = first.err().lines().toList();
            assertEquals(1, lines.size(), first.err());
            assertTrue(lines.getFirst().startsWith(expectedStart) && lines.getFirst().contains(reason) && lines.getFirst().endsWith("); regenerating it"),
                    lines.getFirst());
            assertSameTable(orders, first.value().get("orders"));

            var second = stderrOf(() -> cache.load("orders", 0.01, TpchSchemas.schema("orders")));
            assertEquals("", second.err(), "the regenerated cache is whole");
            assertSameTable(orders, second.value().orElseThrow());
        }
    }

    private static void editManifest(Path columnFile, String key, String value) throws IOException {
        Path manifest = columnFile.resolveSibling("manifest.properties");
        Properties m = new Properties();
        try (var in = Files.newInputStream(manifest)) {
            m.load(in);
        }
        m.setProperty(key, value);
        try (var out = Files.newOutputStream(manifest)) {
            m.store(out, null);
        }
    }

    /** A run killed while writing leaves only its temporary directory: never read, removed by the next run. */
    @Test
    void temporaryDirectoryOfAKilledRunIsIgnoredAndRemoved() throws IOException {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TpchCache cache = new TpchCache(dir);
            Path final_ = cache.tableDir("region", 0.01);
            Path abandoned = final_.resolveSibling("region.tmp-2147483646"); // no such process
            Files.createDirectories(abandoned);
            Files.write(abandoned.resolve("0.col"), new byte[] {9, 9, 9});
            assertEquals(Optional.empty(), cache.load("region", 0.01, TpchSchemas.schema("region")));

            Map<String, Table> tables = TpchCatalog.load(0.01, mem, cache);
            assertEquals(5, tables.get("region").rowCount());
            assertFalse(Files.exists(abandoned));
            assertTrue(Files.exists(final_.resolve("manifest.properties")));
            try (var siblings = Files.list(final_.getParent())) {
                assertEquals(List.of(), siblings.filter(p -> p.getFileName().toString().contains(".tmp-")).toList());
            }
        }
    }

    /** A table that cannot be written leaves neither a cache nor a temporary directory behind. */
    @Test
    void failedStoreLeavesNothing() throws IOException {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Schema schema = new Schema(List.of(new Field("n", DataType.BIGINT, true)));
            var builder = new dev.kiln.runtime.vector.VectorBuilder(DataType.BIGINT, mem, 4);
            builder.appendLong(1);
            builder.appendNull();
            Table withNull = new Table("nation", schema, List.of(new Batch(schema, List.of(builder.build()), 2)));
            TpchCache cache = new TpchCache(dir);
            var result = stderrOf(() -> {
                cache.store(withNull, 0.01);
                return 0;
            });
            assertTrue(result.err().startsWith("kiln: could not cache TPC-H table nation under "), result.err());
            try (var left = Files.list(cache.tableDir("nation", 0.01).getParent())) {
                assertEquals(List.of(), left.toList());
            }
        }
    }

    static void assertSameTable(Table a, Table b) {
        assertEquals(a.schema(), b.schema(), a.name());
        assertEquals(a.rowCount(), b.rowCount(), a.name());
        var ib = b.batches().iterator();
        for (Batch x : a.batches()) {
            Batch y = ib.next();
            assertEquals(x.rowCount(), y.rowCount());
            for (int c = 0; c < x.columns().size(); c++) {
                ColumnVector u = x.column(c), v = y.column(c);
                for (int i = 0; i < x.rowCount(); i++) {
                    if (!u.getObject(i).equals(v.getObject(i))) {
                        assertEquals(u.getObject(i), v.getObject(i), a.name() + " column " + c + " row " + i);
                    }
                }
            }
        }
    }

    record Captured<T>(T value, String err) {}

    static <T> Captured<T> stderrOf(Supplier<T> action) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            T value = action.get();
            return new Captured<>(value, err.toString());
        } finally {
            System.setErr(old);
        }
    }
}
