package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.sort.Sorter;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.ColumnVector;
import dev.kiln.runtime.vector.Table;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Sorter against List.sort (stable) with a reference comparator on boxed values. */
class SorterTest {
    static final Schema SCHEMA = new Schema(List.of(
            new Field("b", DataType.BOOLEAN, true), new Field("i", DataType.INTEGER, true), new Field("d", DataType.DATE, true),
            new Field("l", DataType.BIGINT, true), new Field("m", DataType.decimal(12, 2), true), new Field("f", DataType.DOUBLE, true),
            new Field("t", DataType.TIMESTAMP, true), new Field("s", DataType.VARCHAR, true), new Field("sm", DataType.SMALLINT, true),
            new Field("row", DataType.INTEGER, false)));
    static final String[] STRINGS = {"", "a", "a\0", "abcdefgh", "abcdefghi", "abcdefgha", "abcdefgh日", "abcdefgh😀", "abcdefgh\uFFFD",
            "é", "日本", "😀", "\uFFFD", "z", "Z"};
    static final double[] DOUBLES = {0.0, -0.0, 1.5, -1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, -1e-300};

    static Object[] row(Random r, int id, int distinct) {
        Object[] v = new Object[] {
                r.nextBoolean(), (long) (r.nextInt(distinct) - distinct / 2) * (r.nextInt(10) == 0 ? 40_000 : 1),
                LocalDate.ofEpochDay(r.nextInt(distinct) * 300L - 100_000), (r.nextBoolean() ? Long.MIN_VALUE / 3 : 1) + r.nextInt(distinct),
                BigDecimal.valueOf(r.nextInt(distinct) - distinct / 2, 2), DOUBLES[r.nextInt(DOUBLES.length)] * (r.nextInt(distinct) + 1),
                LocalDateTime.of(1969, 12, 31, 23, 59).plusSeconds(r.nextInt(distinct) * 7L), STRINGS[r.nextInt(STRINGS.length)] + (r.nextBoolean() ? "" : r.nextInt(distinct)),
                (long) (r.nextInt(distinct) - distinct / 2), (long) id};
        for (int c = 0; c < v.length - 1; c++) if (r.nextInt(6) == 0) v[c] = null;
        return v;
    }

    @SuppressWarnings("unchecked")
    static int compareValues(Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) return x.doubleValue() == y.doubleValue() ? 0 : Double.compare(x, y);
        if (a instanceof String x && b instanceof String y) return Arrays.compare(x.codePoints().toArray(), y.codePoints().toArray());
        return ((Comparable<Object>) a).compareTo(b);
    }

    static Comparator<Object[]> reference(List<SortKey> keys) {
        Comparator<Object[]> cmp = (x, y) -> 0;
        for (SortKey k : keys) {
            cmp = cmp.thenComparing((x, y) -> {
                Object a = x[k.column()];
                Object b = y[k.column()];
                if (a == null || b == null) return a == b ? 0 : (a == null) == k.nullsFirst() ? -1 : 1;
                int c = compareValues(a, b);
                return k.ascending() ? c : -c;
            });
        }
        return cmp;
    }

    /** Rows cut into batches of random sizes (generated code produces any batch size up to 64K). */
    static List<Batch> batches(List<Object[]> rows, Random r, QueryMemory mem) {
        List<Batch> out = new ArrayList<>();
        for (int from = 0; from < rows.size(); ) {
            int to = Math.min(rows.size(), from + 1 + r.nextInt(Math.max(1, rows.size() / 3)));
            List<ColumnVector> cols = new ArrayList<>();
            for (int c = 0; c < SCHEMA.size(); c++) {
                int col = c;
                cols.add(ColumnVector.of(SCHEMA.field(c).type(), mem, rows.subList(from, to).stream().map(x -> x[col]).toList()));
            }
            out.add(new Batch(SCHEMA, cols, to - from));
            from = to;
        }
        return out;
    }

    static List<String> read(List<Batch> batches) {
        List<String> got = new ArrayList<>();
        for (Batch b : batches) {
            assertEquals(true, b.rowCount() <= Table.MORSEL_ROWS && b.rowCount() > 0);
            for (int i = 0; i < b.rowCount(); i++) {
                Object[] row = new Object[b.columns().size()];
                for (int c = 0; c < row.length; c++) row[c] = b.column(c).getObject(i);
                got.add(Arrays.toString(row));
            }
        }
        return got;
    }

    /** n random rows over {@code distinct} values per column (ties), ids in input order. */
    static List<Object[]> randomRows(Random r, int n) {
        int distinct = 1 + r.nextInt(r.nextBoolean() ? 5 : 1000);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add(row(r, i, distinct));
        return rows;
    }

    /** 1 to 3 random keys, either direction, NULLs either end. */
    static List<SortKey> randomKeys(Random r) {
        List<SortKey> keys = new ArrayList<>();
        for (int i = 1 + r.nextInt(3); i > 0; i--) keys.add(new SortKey(r.nextInt(SCHEMA.size() - 1), r.nextBoolean(), r.nextBoolean()));
        return keys;
    }

    /** The reference answer: a stable sort of the rows, then offset and limit, as printed rows. */
    static List<String> reference(List<Object[]> rows, List<SortKey> keys, long offset, long limit) {
        List<Object[]> expected = new ArrayList<>(rows);
        expected.sort(reference(keys)); // stable
        int from = (int) Math.min(offset, expected.size());
        int to = limit < 0 ? expected.size() : (int) Math.min(expected.size(), from + limit);
        return expected.subList(from, to).stream().map(Arrays::toString).toList();
    }

    @Property(tries = 200)
    void sortsLikeTheReference(@ForAll long seed) {
        Random r = new Random(seed);
        int n = r.nextInt(4) == 0 ? r.nextInt(5) : r.nextInt(4000);
        int distinct = 1 + r.nextInt(r.nextBoolean() ? 5 : 1000);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add(row(r, i, distinct));
        List<SortKey> keys = new ArrayList<>();
        int keyCount = r.nextInt(3) == 0 ? 1 : r.nextInt(4);
        for (int i = 0; i < keyCount; i++) keys.add(new SortKey(r.nextInt(SCHEMA.size() - 1), r.nextBoolean(), r.nextBoolean()));
        long offset = r.nextInt(3) == 0 ? r.nextInt(50) : 0;
        long limit = switch (r.nextInt(3)) {
            case 0 -> -1;
            case 1 -> r.nextInt(20);
            default -> r.nextInt(Math.max(1, n));
        };
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            List<Batch> input = batches(rows, r, mem);
            List<String> want = reference(rows, keys, offset, limit);
            int from = (int) Math.min(offset, rows.size());
            int to = limit < 0 ? rows.size() : (int) Math.min(rows.size(), from + limit);
            List<String> got = read(Sorter.sort(input, SCHEMA, keys, offset, limit, mem));
            assertEquals(want, got, "keys " + keys + " offset " + offset + " limit " + limit);
            // top-N is the prefix of the full sort
            List<String> full = read(Sorter.sort(input, SCHEMA, keys, 0, -1, mem));
            assertEquals(full.subList(from, to), got);
        }
    }

    /** Three threads, each sorting (or selecting the top rows of) a run of consecutive batches, then merged: exactly the serial order. */
    @Property(tries = 150)
    void parallelSortOrdersLikeTheReference(@ForAll long seed) {
        Random r = new Random(seed);
        int n = r.nextInt(3000);
        List<Object[]> rows = randomRows(r, n);
        List<SortKey> keys = randomKeys(r);
        long offset = r.nextInt(3) == 0 ? r.nextInt(50) : 0;
        long limit = switch (r.nextInt(3)) {
            case 0 -> -1;
            case 1 -> r.nextInt(20);
            default -> r.nextInt(Math.max(1, n));
        };
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            List<Batch> input = batches(rows, r, mem);
            List<String> got = read(Sorter.sortInParallel(input, SCHEMA, keys, offset, limit, mem, THREE));
            assertEquals(reference(rows, keys, offset, limit), got, "keys " + keys + " offset " + offset + " limit " + limit + " over " + input.size() + " batches");
        }
    }

    /** Three workers: the caller and two pooled threads, as the engine's Workers run them. */
    private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(2, run -> {
        Thread t = new Thread(run, "sort-test-worker");
        t.setDaemon(true);
        return t;
    });

    private static final dev.kiln.runtime.sort.SortWorkers THREE = new dev.kiln.runtime.sort.SortWorkers() {
        public int threads() {
            return 3;
        }

        public void forEach(int tasks, java.util.function.IntConsumer body) {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (int i = 1; i < tasks; i++) {
                int t = i;
                fs.add(POOL.submit(() -> body.accept(t)));
            }
            body.accept(0);
            for (var f : fs) {
                try {
                    f.get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
    };

    /** The external sort (runs sorted, spilled to disk, merged) orders exactly as the reference, ties in input order. */
    @Property(tries = 150)
    void externalSortMergesSpilledRunsLikeTheReference(@ForAll long seed) {
        Random r = new Random(seed);
        int n = r.nextInt(3000);
        List<Object[]> rows = randomRows(r, n);
        List<SortKey> keys = randomKeys(r);
        long offset = r.nextInt(3) == 0 ? r.nextInt(50) : 0;
        long limit = r.nextBoolean() ? -1 : r.nextInt(Math.max(1, n));
        try (QueryMemory mem = new QueryMemory(256L << 20)) {
            List<Batch> input = batches(rows, r, mem);
            List<String> want = reference(rows, keys, offset, limit);
            int runRows = 1 + r.nextInt(400);
            List<String> got = read(Sorter.sortExternally(input, SCHEMA, keys, offset, limit, runRows, mem));
            assertEquals(want, got, "keys " + keys + " offset " + offset + " limit " + limit + " runs of " + runRows);
            if (n > 0 && !want.isEmpty()) assertEquals(true, mem.spilledBytes() > 0, "the runs were spilled");
        }
    }

    @Test
    void largeInputsSpanSeveralOutputBatches() {
        Random r = new Random(5);
        int n = 100_000;
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add(row(r, i, 50_000));
        for (List<SortKey> keys : List.of(List.of(SortKey.desc(1)), List.of(SortKey.asc(7), SortKey.asc(5)), List.of(new SortKey(8, true, true)))) {
            try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
                List<Batch> input = batches(rows, r, mem);
                List<Object[]> expected = new ArrayList<>(rows);
                expected.sort(reference(keys));
                List<Batch> out = Sorter.sort(input, SCHEMA, keys, 0, -1, mem);
                assertEquals(List.of(65536, 34464), out.stream().map(Batch::rowCount).toList());
                assertEquals(expected.stream().map(Arrays::toString).toList(), read(out), keys.toString());
                assertEquals(expected.subList(100, 110).stream().map(Arrays::toString).toList(), read(Sorter.sort(input, SCHEMA, keys, 100, 10, mem)));
            }
        }
    }

    @Test
    void noKeysOnlyOffsetAndLimit() {
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            Random r = new Random(1);
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 100; i++) rows.add(row(r, i, 10));
            List<Batch> input = batches(rows, r, mem);
            assertEquals(rows.subList(95, 100).stream().map(Arrays::toString).toList(), read(Sorter.sort(input, SCHEMA, List.of(), 95, 10, mem)));
            assertEquals(List.of(), Sorter.sort(input, SCHEMA, List.of(SortKey.asc(1)), 0, 0, mem));
            assertEquals(List.of(), Sorter.sort(List.of(), SCHEMA, List.of(SortKey.asc(1)), 0, -1, mem));
        }
    }
}
