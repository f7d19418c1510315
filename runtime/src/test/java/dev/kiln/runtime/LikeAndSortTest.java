package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.SortKey;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.fn.LikePattern;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.sort.Sorter;
import dev.kiln.runtime.vector.Batch;
import dev.kiln.runtime.vector.TableBuilder;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class LikeAndSortTest {
    static boolean like(String pattern, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return LikePattern.compile(pattern, '\\').matches(MemorySegment.ofArray(b), 0, b.length);
    }

    static boolean reference(String pattern, String s) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); ) {
            int cp = pattern.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\\') {
                int n = pattern.codePointAt(i);
                i += Character.charCount(n);
                re.append(Pattern.quote(Character.toString(n)));
            } else if (cp == '%') re.append(".*");
            else if (cp == '_') re.append(".");
            else re.append(Pattern.quote(Character.toString(cp)));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(s).matches();
    }

    @Test
    void knownPatterns() {
        assertEquals(true, like("PROMO%", "PROMO BURNISHED COPPER"));
        assertEquals(false, like("PROMO%", "STANDARD PROMO"));
        assertEquals(true, like("%BRASS", "LARGE BRASS"));
        assertEquals(true, like("%special%requests%", "the special pending requests"));
        assertEquals(false, like("%special%requests%", "requests special"));
        assertEquals(true, like("a_c", "a日c"));
        assertEquals(true, like("100\\%", "100%"));
        assertEquals(false, like("100\\%", "1000"));
        assertEquals(true, like("", ""));
        assertEquals(false, like("", "x"));
        var e = assertThrows(KilnException.class, () -> LikePattern.compile("ab\\", '\\'));
        assertEquals("LIKE pattern 'ab\\' ends with the escape character '\\': escape a '%', '_' or the escape itself", e.getMessage());
    }

    @Property(tries = 2000)
    void agreesWithARegexReference(@ForAll long seed) {
        Random r = new Random(seed);
        String[] tokens = {"a", "b", "日", "%", "_", "\\%", "\\_", "\\\\"};
        StringBuilder p = new StringBuilder();
        for (int i = r.nextInt(7); i > 0; i--) p.append(tokens[r.nextInt(tokens.length)]);
        String pattern = p.toString();
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) s.append("ab日%_".charAt(r.nextInt(5)));
        assertEquals(reference(pattern, s.toString()), like(pattern, s.toString()), "'" + s + "' LIKE '" + pattern + "'");
    }

    @Property(tries = 200)
    void sortAndTopNAgreeWithAReferenceSort(@ForAll long seed) {
        Random r = new Random(seed);
        Schema schema = new Schema(List.of(new Field("a", DataType.BIGINT, true), new Field("s", DataType.VARCHAR, true),
                new Field("d", DataType.DOUBLE, true), new Field("id", DataType.INTEGER, false)));
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < r.nextInt(3000); i++) {
            rows.add(new Object[] {r.nextInt(5) == 0 ? null : (long) r.nextInt(20), r.nextInt(5) == 0 ? null : "k" + r.nextInt(30),
                    r.nextInt(5) == 0 ? null : (double) r.nextInt(10) - 5, (long) i});
        }
        List<SortKey> keys = new ArrayList<>();
        for (int k : new int[] {0, 1, 2}) {
            if (r.nextBoolean()) keys.add(new SortKey(k, r.nextBoolean(), r.nextBoolean()));
        }
        long offset = r.nextInt(3) == 0 ? r.nextInt(20) : 0;
        long limit = r.nextBoolean() ? -1 : r.nextInt(50);
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("t", schema, mem);
            for (Object[] row : rows) tb.appendRow(row);
            List<Batch> sorted = Sorter.sort(tb.build().batches(), schema, keys, offset, limit, mem);
            List<Object[]> expected = new ArrayList<>(rows);
            Comparator<Object[]> cmp = (x, y) -> 0;
            for (SortKey k : keys) {
                cmp = cmp.thenComparing((x, y) -> {
                    Object a = x[k.column()];
                    Object b = y[k.column()];
                    if (a == null || b == null) return a == b ? 0 : (a == null) == k.nullsFirst() ? -1 : 1;
                    @SuppressWarnings("unchecked")
                    int c = ((Comparable<Object>) a).compareTo(b);
                    return k.ascending() ? c : -c;
                });
            }
            expected.sort(cmp); // stable, like Sorter
            int from = (int) Math.min(offset, expected.size());
            int to = limit < 0 ? expected.size() : (int) Math.min(expected.size(), from + limit);
            List<String> want = expected.subList(from, to).stream().map(Arrays::toString).toList();
            List<String> got = new ArrayList<>();
            for (Batch b : sorted) {
                for (int i = 0; i < b.rowCount(); i++) {
                    Object[] row = new Object[4];
                    for (int c = 0; c < 4; c++) row[c] = b.column(c).getObject(i);
                    got.add(Arrays.toString(row));
                }
            }
            assertEquals(want, got, "keys " + keys + " offset " + offset + " limit " + limit);
        }
    }
}
