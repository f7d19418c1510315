package dev.kiln.ir.eval;

import static dev.kiln.ir.E.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.expr.Op;
import org.junit.jupiter.api.Test;

class StringFunctionsTest {
    private static boolean like(String s, String p) {
        return StringFunctions.like(s, p, null);
    }

    @Test
    void likeWildcards() {
        assertTrue(like("hello", "h%o"));
        assertTrue(like("hello", "%"));
        assertTrue(like("", "%"));
        assertFalse(like("", "_"));
        assertTrue(like("hello", "h_llo"));
        assertFalse(like("hello", "h_lo"));
        assertTrue(like("abcabc", "%abc"));
        assertTrue(like("aaab", "%a%b"));
        assertFalse(like("aaab", "%a%c"));
        assertTrue(like("mississippi", "%iss%ppi"));
        assertFalse(like("Hello", "hello")); // case-sensitive
        assertTrue(like("a\nb", "a_b")); // _ matches a newline
        assertTrue(like("\uD83D\uDE00x", "_x")); // _ is one code point, not one UTF-16 unit
        assertTrue(like("a.*b", "a.*b")); // regex characters are literal
    }

    @Test
    void likeEscape() {
        assertTrue(StringFunctions.like("10%", "10!%", "!"));
        assertFalse(StringFunctions.like("100", "10!%", "!"));
        assertTrue(StringFunctions.like("a_b", "a!_b", "!"));
        assertFalse(StringFunctions.like("axb", "a!_b", "!"));
        assertTrue(StringFunctions.like("a!b", "a!!b", "!"));
        assertTrue(StringFunctions.like("ab", "!ab", "!")); // an escaped plain character is itself
        assertEquals("LIKE pattern 'ab!' with ESCAPE '!': the escape must be one character and must not end the pattern",
                error(() -> StringFunctions.like("ab", "ab!", "!")));
        assertEquals("LIKE pattern 'a' with ESCAPE '!!': the escape must be one character and must not end the pattern",
                error(() -> StringFunctions.like("a", "a", "!!")));
        assertEquals(true, eval(call(Op.LIKE, BOOL, str("5%"), str("5#%"), str("#"))));
        assertNull(eval(call(Op.LIKE, BOOL, nul(TEXT), str("%"))));
    }

    @Test
    void substringFollowsSqlWindowRules() {
        assertEquals("ell", StringFunctions.substring("hello", 2, 3L));
        assertEquals("ello", StringFunctions.substring("hello", 2, null));
        assertEquals("he", StringFunctions.substring("hello", 0, 3L));
        assertEquals("", StringFunctions.substring("hello", -5, 3L));
        assertEquals("h", StringFunctions.substring("hello", -1, 3L));
        assertEquals("hello", StringFunctions.substring("hello", -100, null));
        assertEquals("", StringFunctions.substring("hello", 6, 2L));
        assertEquals("o", StringFunctions.substring("hello", 5, 100L));
        assertEquals("", StringFunctions.substring("hello", 2, 0L));
        assertEquals("lo", StringFunctions.substring("hello", 4, Long.MAX_VALUE));
        assertEquals("\uD83D\uDE00b", StringFunctions.substring("a\uD83D\uDE00bc", 2, 2L));
        assertEquals("negative substring length -1 is not allowed", error(() -> StringFunctions.substring("hello", 1, -1L)));
        assertEquals("ell", eval(call(Op.SUBSTRING, TEXT, str("hello"), i64(2), i64(3))));
        assertNull(eval(call(Op.SUBSTRING, TEXT, str("hello"), nul(BIGINT), i64(3))));
    }

    @Test
    void caseTrimConcatLength() {
        assertEquals("ABC SS", eval(call(Op.UPPER, TEXT, str("abc ß"))));
        assertEquals("abc", eval(call(Op.LOWER, TEXT, str("ABC"))));
        assertEquals("a b", eval(call(Op.TRIM, TEXT, str("  a b  "))));
        assertEquals("\ta\t", eval(call(Op.TRIM, TEXT, str(" \ta\t "))));
        assertEquals("ab-c", eval(call(Op.CONCAT, TEXT, str("ab"), str("-"), str("c"))));
        assertNull(eval(call(Op.CONCAT, TEXT, str("ab"), nul(TEXT))));
        assertEquals(3L, eval(call(Op.CHAR_LENGTH, INT, str("a\uD83D\uDE00b"))));
        assertEquals(0L, eval(call(Op.CHAR_LENGTH, INT, str(""))));
    }
}
