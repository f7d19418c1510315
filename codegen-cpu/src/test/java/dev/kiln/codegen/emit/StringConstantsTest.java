package dev.kiln.codegen.emit;

import static dev.kiln.codegen.emit.Both.cls;
import static dev.kiln.codegen.emit.Both.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.emit.Fns.StrFn;
import dev.kiln.codegen.tree.Block;
import dev.kiln.codegen.tree.ClassDef;
import dev.kiln.codegen.tree.Comment;
import dev.kiln.codegen.tree.Const;
import dev.kiln.codegen.tree.JType;
import dev.kiln.codegen.tree.Return;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile strings must come back unchanged from both backends and must never alter the generated program. */
class StringConstantsTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "", "plain", "quote \" inside", "back\\slash", "trailing backslash \\", "end of comment */ here",
            "nul \u0000 char", "nul then digit \u00001", "\"); System.exit(1); //", "\\u0022); System.exit(1); //",
            "\\\\u0022", "new\nline\r\ttab\b\f", "class", "while", "null", "true", "é ü 中文 \uD83D\uDE00", "\u2028\u2029\u0085",
            "\u007f del", "*/ /* // \\ \" '", "'single'"
    })
    void bothBackendsReturnTheExactString(String s) {
        // The same string also goes into a comment, which must not break the class either.
        ClassDef def = cls("Str", StrFn.class, method("get", JType.STRING, List.of(), Block.of(new Comment(s), Return.of(Const.of(s)))));
        for (StrFn f : Both.instances(def, StrFn.class)) assertEquals(s, f.get());
        String source = JavaSourcePrinter.print(def);
        String literal = JavaLiterals.string(s);
        assertEquals(literal.length() - 1, literalEnd(literal), "the literal must end only at its last quote: " + literal);
        assertEquals(1, source.lines().filter(l -> l.contains("return ")).count(), source);
        assertTrue(source.contains("return " + literal + ";"), source);
    }

    /** Index of the quote that ends a Java string literal, scanning escapes as javac does. */
    private static int literalEnd(String literal) {
        for (int i = 1; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '\\') i++;
            else if (c == '"' || c == '\n' || c == '\r') return i;
        }
        return -1;
    }
}
