package dev.kiln.connectors.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.KilnException;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.vector.Table;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Row-group skipping from footer statistics: skipped groups are really not read (a corrupt one
 * is never touched), and for random range predicates the rows that match are exactly DuckDB's,
 * with and without skipping.
 */
class RowGroupFilterTest {
    static final int ROWS = 20_000;
    static DuckParquet duck;
    static Path dir;
    static Path file;
    static ParquetTable table;
    static List<List<Object>> all;

    @BeforeContainer
    static void start() throws Exception {
        duck = new DuckParquet();
        dir = Files.createTempDirectory("kiln-rgf");
        // k and dt grow with the row number (tight per-group ranges); v is spread, s is text; NULLs in n
        file = duck.write(dir.resolve("ranges.parquet"), """
                SELECT i AS k, DATE '2020-01-01' + (i // 50)::INTEGER AS dt, (i * 7919 %% 1000)::INTEGER AS v,
                       printf('key%%05d', i) AS s, (i / 100.0)::DECIMAL(12,2) AS d,
                       CASE WHEN i < 4096 THEN NULL ELSE i END AS n
                FROM range(0, %d) t(i)""".formatted(ROWS), "ROW_GROUP_SIZE 2048");
        table = ParquetTable.open(file);
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            all = DuckParquet.rows(ParquetReader.readAll(table, mem));
        }
    }

    @AfterContainer
    static void stop() throws Exception {
        duck.close();
        try (var w = Files.walk(dir)) {
            for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    static RowGroupFilter.Range range(int column, Object low, Object high) {
        return new RowGroupFilter.Range(column, Optional.ofNullable(low), Optional.ofNullable(high));
    }

    @net.jqwik.api.Example
    void skippedGroupsAreNotRead() throws Exception {
        assertEquals(10, table.rowGroups().size());
        RowGroupFilter f = RowGroupFilter.all().and(range(0, 5000L, 6000L));
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            ParquetReader.Scan scan = ParquetReader.scan(table, "t", List.of(0), f, mem);
            // rows 5000..6000 lie in groups 2 (4096..6143) only
            assertEquals(1, scan.rowGroupsRead());
            assertEquals(10, scan.rowGroupsTotal());
            assertEquals(2048, scan.table().rowCount());
        }
        // all NULL in groups 0 and 1: a range on n skips them
        assertEquals(8, RowGroupFilter.all().and(range(5, null, null)).select(table).size());
        // proof by corruption: wreck group 7's data; a filter that skips it still reads, a full read fails
        byte[] b = Files.readAllBytes(file);
        var g7 = table.file(0).meta().rowGroups().get(7);
        for (var c : g7.columns()) Arrays.fill(b, (int) c.meta().firstPageOffset(), (int) (c.meta().firstPageOffset() + c.meta().totalCompressedSize()), (byte) 0x7F);
        Path broken = Files.write(dir.resolve("broken.parquet"), b);
        ParquetTable bt = ParquetTable.open(broken);
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Table t = ParquetReader.read(bt, List.of(0, 3), RowGroupFilter.all().and(range(3, null, "key14335")), mem);
            assertEquals(14336, t.rowCount());
            assertThrows(KilnException.class, () -> ParquetReader.readAll(bt, mem));
        }
    }

    /** A random range on one of the columns, as Kiln bounds and as the equivalent DuckDB predicate. */
    record Case(int column, Object low, Object high, String sql) {}

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> a = Arbitraries.integers().between(-100, ROWS + 100);
        Arbitrary<Integer> b = Arbitraries.integers().between(-100, ROWS + 100);

        Arbitrary<Integer> col = Arbitraries.of(0, 1, 2, 3, 4, 5);
        return Combinators.combine(col, a, b, Arbitraries.of(true, false), Arbitraries.of(true, false)).as((c, x, y, openLow, openHigh) -> {
            int lo = Math.min(x, y), hi = Math.max(x, y);
            Object low = openLow ? null : bound(c, lo), high = openHigh ? null : bound(c, hi);
            String name = List.of("k", "dt", "v", "s", "d", "n").get(c);
            List<String> sql = new ArrayList<>();
            sql.add(name + " IS NOT NULL");
            if (low != null) sql.add(name + " >= " + literal(low));
            if (high != null) sql.add(name + " <= " + literal(high));
            return new Case(c, low, high, String.join(" AND ", sql));
        });
    }

    private static Object bound(int column, int x) {
        return switch (column) {
            case 0, 5 -> (long) x;
            case 1 -> LocalDate.of(2020, 1, 1).plusDays(Math.floorDiv(x, 50));
            case 2 -> (long) Math.floorMod(x, 1000);
            case 3 -> "key%05d".formatted(Math.max(x, 0)).substring(0, 3 + Math.floorMod(x, 6)); // prefixes too
            default -> BigDecimal.valueOf(x, 2);
        };
    }

    private static String literal(Object v) {
        return switch (v) {
            case LocalDate d -> "DATE '" + d + "'";
            case String s -> "'" + s + "'";
            default -> v.toString();
        };
    }

    @Property(tries = 60)
    void skippingNeverChangesTheMatchingRows(@ForAll("cases") Case c) throws Exception {
        RowGroupFilter f = RowGroupFilter.all().and(new RowGroupFilter.Range(c.column(), Optional.ofNullable(c.low()), Optional.ofNullable(c.high())));
        List<Integer> cols = IntStream.range(0, table.schema().size()).boxed().toList();
        List<List<Object>> expected = duck.read(file.toString(), table.schema(), c.sql());
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            ParquetReader.Scan scan = ParquetReader.scan(table, "t", cols, f, mem);
            List<List<Object>> skipped = matching(DuckParquet.rows(scan.table()), c);
            assertEquals(expected, skipped, c.sql() + " after reading " + scan.rowGroupsRead() + " groups");
        }
        assertEquals(expected, matching(all, c), c.sql() + " without skipping");
    }

    private static List<List<Object>> matching(List<List<Object>> rows, Case c) {
        return rows.stream().filter(r -> {
            Object v = r.get(c.column());
            if (v == null) return false;
            if (c.low() != null && cmp(v, c.low()) < 0) return false;
            return c.high() == null || cmp(v, c.high()) <= 0;
        }).toList();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int cmp(Object v, Object bound) {
        return ((Comparable) v).compareTo(bound);
    }
}
