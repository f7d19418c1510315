package dev.kiln.frontend.text;

import dev.kiln.ir.KilnException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the one thing Kiln needs from a Hugging Face {@code tokenizer.json}: the WordPiece model's
 * vocabulary ({@code "model": {"type": "WordPiece", "vocab": {"token": id, ...}}}). A small
 * recursive-descent JSON scanner, so that the frontend needs no JSON library for it.
 */
public final class TokenizerJson {
    private final String s;
    private int pos;

    private TokenizerJson(String s) {
        this.s = s;
    }

    /** The WordPiece tokenizer of a Hugging Face {@code tokenizer.json}. */
    public static dev.kiln.ir.tensor.text.WordPieceTokenizer wordPiece(String json) {
        return new dev.kiln.ir.tensor.text.WordPieceTokenizer(wordPieceVocab(json));
    }

    static Map<String, Integer> wordPieceVocab(String json) {
        TokenizerJson p = new TokenizerJson(json);
        Object root = p.value();
        p.skipSpace();
        if (p.pos != json.length()) throw p.error("text after the JSON value");
        if (!(root instanceof Map<?, ?> top) || !(top.get("model") instanceof Map<?, ?> model)) {
            throw new KilnException("tokenizer.json has no \"model\" object");
        }
        if (!"WordPiece".equals(model.get("type"))) throw new KilnException("tokenizer.json's model is " + model.get("type") + ", not WordPiece");
        if (!(model.get("vocab") instanceof Map<?, ?> vocab)) throw new KilnException("tokenizer.json's model has no \"vocab\" object");
        Map<String, Integer> out = new HashMap<>();
        vocab.forEach((k, v) -> {
            if (!(v instanceof Double d) || d != Math.rint(d)) throw new KilnException("tokenizer.json: the id of \"" + k + "\" is not an integer");
            out.put((String) k, d.intValue());
        });
        return out;
    }

    private Object value() {
        skipSpace();
        if (pos >= s.length()) throw error("unexpected end");
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", "null");
            default -> number();
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new HashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}') { pos++; return m; }
        while (true) {
            skipSpace();
            String key = string();
            skipSpace();
            expect(':');
            m.put(key, value());
            skipSpace();
            if (peek() == ',') { pos++; continue; }
            expect('}');
            return m;
        }
    }

    private java.util.List<Object> array() {
        java.util.List<Object> l = new java.util.ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']') { pos++; return l; }
        while (true) {
            l.add(value());
            skipSpace();
            if (peek() == ',') { pos++; continue; }
            expect(']');
            return l;
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) throw error("unterminated string");
            char c = s.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c != '\\') { sb.append(c); continue; }
            if (pos >= s.length()) throw error("unterminated escape");
            char e = s.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) throw error("short \\u escape");
                    sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private Double number() {
        int start = pos;
        while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) pos++;
        if (start == pos) throw error("unexpected character '" + s.charAt(pos) + "'");
        return Double.valueOf(s.substring(start, pos));
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) throw error("expected " + word);
        pos += word.length();
        return v;
    }

    private char peek() {
        if (pos >= s.length()) throw error("unexpected end");
        return s.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    private KilnException error(String what) {
        return new KilnException("tokenizer.json is not valid JSON: " + what + " at character " + pos);
    }
}
