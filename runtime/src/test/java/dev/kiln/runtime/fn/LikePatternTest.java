package dev.kiln.runtime.fn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.kiln.ir.KilnException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** LIKE against java.util.regex on random patterns and strings, multibyte included. */
class LikePatternTest {
    static String regexOf(String pattern, char escape) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); ) {
            int cp = pattern.codePointAt(i);
            i += Character.charCount(cp);
            if (escape != 0 && cp == escape) {
                int n = pattern.codePointAt(i);
                i += Character.charCount(n);
                re.append(Pattern.quote(Character.toString(n)));
            } else if (cp == '%') {
                re.append(".*");
            } else if (cp == '_') {
                re.append(".");
            } else {
                re.append(Pattern.quote(Character.toString(cp)));
            }
        }
        return re.toString();
    }

    static boolean like(String pattern, char escape, String s, int pad) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[b.length + 2 * pad];
        java.util.Arrays.fill(padded, (byte) 'a'); // surrounding bytes must not leak into the match
        System.arraycopy(b, 0, padded, pad, b.length);
        return LikePattern.compile(pattern, escape).matches(MemorySegment.ofArray(padded), pad, b.length);
    }

    @Property(tries = 5000)
    void agreesWithRegex(@ForAll long seed) {
        Random r = new Random(seed);
        char escape = new char[] {'\\', '!', 0}[r.nextInt(3)];
        String[] literal = {"a", "b", "ab", "é", "日", "😀", " "};
        StringBuilder p = new StringBuilder();
        boolean underscores = r.nextBoolean();
        for (int i = r.nextInt(8); i > 0; i--) {
            int k = r.nextInt(10);
            if (k < 4) p.append(literal[r.nextInt(literal.length)]);
            else if (k < 7) p.append('%');
            else if (k < 8 && underscores) p.append('_');
            else if (escape != 0) p.append(escape).append("%_".charAt(r.nextInt(2)));
            else p.append('a');
        }
        String pattern = p.toString();
        StringBuilder s = new StringBuilder();
        String[] chars = {"a", "b", "é", "日", "😀", "%", "_", " "};
        for (int i = r.nextInt(r.nextBoolean() ? 12 : 60); i > 0; i--) s.append(chars[r.nextInt(chars.length)]); // long texts: the word-at-a-time search
        String text = s.toString();
        boolean want = Pattern.compile(regexOf(pattern, escape), Pattern.DOTALL).matcher(text).matches();
        assertEquals(want, like(pattern, escape, text, r.nextInt(4)), "'" + text + "' LIKE '" + pattern + "' ESCAPE " + (int) escape);
    }

    @Test
    void knownPatternsAndErrors() {
        assertEquals(true, like("%", '\\', "", 0));
        assertEquals(true, like("%%", '\\', "abc", 0));
        assertEquals(true, like("a%c", '\\', "ac", 0));
        assertEquals(false, like("ab%ba", '\\', "aba", 0));
        assertEquals(true, like("_%_", '\\', "😀😀", 0));
        assertEquals(false, like("___", '\\', "😀😀", 0));
        assertEquals(true, like("a\\\\b", '\\', "a\\b", 0));
        assertEquals(true, like("a\\b", (char) 0, "a\\b", 0));
        assertEquals("LIKE pattern 'a\\b': the escape character '\\' must be followed by '%', '_' or itself",
                assertThrows(KilnException.class, () -> LikePattern.compile("a\\b", '\\')).getMessage());
        assertEquals("x%", LikePattern.compile("x%", '\\').pattern());
    }

    @Test
    void pathologicalPatternsStayLinearish() {
        String text = "a".repeat(20_000);
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertEquals(false, LikePattern.compile("%a%a%a%a%a%a%a%a%b", '\\').matches(MemorySegment.ofArray(b), 0, b.length));
            assertEquals(false, LikePattern.compile("%a_a%a_a%a_a%b", '\\').matches(MemorySegment.ofArray(b), 0, b.length));
            assertEquals(true, LikePattern.compile("%a_a%a_a%a_a%", '\\').matches(MemorySegment.ofArray(b), 0, b.length));
        });
    }
}
