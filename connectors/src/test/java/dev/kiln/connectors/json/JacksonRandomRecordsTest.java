package dev.kiln.connectors.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.stream.BadRecord;
import dev.kiln.runtime.stream.SourceBatch;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random JSON lines, Jackson as the oracle: strings of every length around the scanner's 8- and
 * 16-byte steps with escapes (short, {@code \\u}, surrogate pairs) and raw UTF-8, keys written
 * with escapes, numbers of 1 to 25 digits (the 8-digits-a-step path and past 10^17) with
 * fractions and exponents, nulls, missing fields, values of the wrong type, unknown keys with
 * nested values, repeated keys, whitespace between tokens, and lines broken by deleting or
 * inserting a byte. Every line the reader keeps must be Jackson's values under the reader's type
 * rules, and every line it sets aside must be one that Jackson rejects or the rules refuse.
 */
class JacksonRandomRecordsTest {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();
    private static final Schema SCHEMA = Schema.of(JsonTestSupport.f("s", DataType.VARCHAR), JsonTestSupport.f("n", DataType.BIGINT),
            JsonTestSupport.f("d", DataType.DOUBLE), JsonTestSupport.f("t", DataType.TIMESTAMP));
    private static final String[] UNKNOWN_KEYS = {"u", "user_id", "x_1", "é", "k\"q", "tt", "ss", "ad_type_long_name_of_a_field"};

    /** What the reader must make of one line: a row, or a bad record. */
    private record Expected(Optional<List<Object>> row) {}

    @Property(tries = 400)
    void randomLinesReadAsJacksonReadsThem(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        List<byte[]> lines = new ArrayList<>();
        List<Expected> expected = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(30); i < n; i++) {
            byte[] line = line(r);
            Optional<Expected> e = oracle(line);
            if (e.isEmpty()) continue; // a line whose meaning the oracle does not decide (see oracle)
            lines.add(line);
            expected.add(e.get());
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] l : lines) {
            all.write(l);
            all.write('\n');
        }
        try (QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            SourceBatch read = new JsonLinesReader(SCHEMA, BadRecordPolicy.SKIP_AND_REPORT).read(all.toByteArray(), "t.json", mem);
            List<List<Object>> rows = JsonTestSupport.rows(read.batches());
            List<String> badWhere = read.badRecords().stream().map(BadRecord::where).toList();
            List<String> wantBad = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) if (expected.get(i).row().isEmpty()) wantBad.add("t.json:" + (i + 1));
            assertEquals(wantBad, badWhere, "bad records " + read.badRecords() + " of\n" + String.join("\n", lines.stream().map(l -> new String(l, StandardCharsets.UTF_8)).toList()));
            int row = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (expected.get(i).row().isPresent()) {
                    assertEquals(expected.get(i).row().get(), normalized(rows.get(row++)), "line " + (i + 1) + ": " + new String(lines.get(i), StandardCharsets.UTF_8));
                }
            }
            assertEquals(row, rows.size());
        }
    }

    /** -0.0 reads as -0.0, but Jackson's BigDecimal has no negative zero: compare zeros as 0.0. */
    private static List<Object> normalized(List<Object> row) {
        List<Object> out = new ArrayList<>(row);
        if (out.get(2) instanceof Double d && d == 0.0) out.set(2, 0.0);
        return out;
    }

    // ---- the oracle

    /** Jackson's reading of the line under the reader's rules; empty when the line's t is a string (the generator never writes one). */
    private static Optional<Expected> oracle(byte[] line) {
        JsonNode node;
        try {
            node = STRICT.readTree(line);
        } catch (Exception e) {
            // Jackson's own number limits (a BigDecimal exponent beyond an int, a number too long)
            // refuse JSON the grammar allows and the reader skips in fields it does not read: undecided
            if (numberLimit(e)) return Optional.empty();
            return Optional.of(new Expected(Optional.empty()));
        }
        // the reader's rules beyond Jackson's: a schema key at most once, no lone surrogate escape anywhere
        if (node == null || !node.isObject() || refusedByReader(line)) return bad();
        if (node.get("t") != null && node.get("t").isTextual()) return Optional.empty();
        List<Object> row = new ArrayList<>();
        JsonNode s = node.get("s"), n = node.get("n"), d = node.get("d"), t = node.get("t");
        if (isNull(s)) row.add(null);
        else if (s.isTextual()) row.add(s.textValue());
        else return bad();
        if (isNull(n)) row.add(null);
        else if (n.isIntegralNumber() && n.canConvertToLong()) row.add(n.longValue());
        else return bad();
        if (isNull(d)) {
            row.add(null);
        } else if (d.isNumber()) {
            double v = d.isIntegralNumber() ? new BigDecimal(d.bigIntegerValue()).doubleValue() : d.decimalValue().doubleValue();
            if (Double.isInfinite(v)) return bad();
            row.add(v == 0.0 ? 0.0 : v);
        } else {
            return bad();
        }
        if (isNull(t)) {
            row.add(null);
        } else if (t.isIntegralNumber() && t.canConvertToLong() && t.longValue() <= Long.MAX_VALUE / 1000 && t.longValue() >= Long.MIN_VALUE / 1000) {
            row.add(JacksonCrossCheckTest.millis(t.longValue()));
        } else {
            return bad();
        }
        return Optional.of(new Expected(Optional.of(row)));
    }

    private static boolean numberLimit(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof NumberFormatException || c instanceof ArithmeticException
                    || c instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) return true;
            String m = String.valueOf(c.getMessage());
            if (m.contains("Number") || m.contains("exponent") || m.contains("numeric")) return true;
        }
        return false;
    }

    private static Optional<Expected> bad() {
        return Optional.of(new Expected(Optional.empty()));
    }

    private static boolean unpaired(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
            else if (Character.isSurrogate(c)) return true;
        }
        return false;
    }

    private static boolean isNull(JsonNode v) {
        return v == null || v.isNull();
    }

    /**
     * Does the reader refuse what Jackson takes: a schema column's name twice among the object's
     * own keys (Jackson keeps the last), or a UTF-16 surrogate escape without its pair in any key
     * or string (Jackson decodes it)? Read from the tokens, since a repeated key drops a value from the tree.
     */
    private static boolean refusedByReader(byte[] line) {
        Map<String, Integer> count = new HashMap<>();
        try (JsonParser p = STRICT.getFactory().createParser(line)) {
            int depth = 0;
            for (JsonToken tok = p.nextToken(); tok != null; tok = p.nextToken()) {
                if (tok == JsonToken.START_OBJECT || tok == JsonToken.START_ARRAY) depth++;
                else if (tok == JsonToken.END_OBJECT || tok == JsonToken.END_ARRAY) depth--;
                else if (tok == JsonToken.FIELD_NAME && depth == 1 && SCHEMA.names().contains(p.currentName())) count.merge(p.currentName(), 1, Integer::sum);
                if ((tok == JsonToken.FIELD_NAME || tok == JsonToken.VALUE_STRING) && unpaired(p.getText())) return true;
            }
        } catch (Exception e) {
            throw new AssertionError("Jackson read the tree but not the tokens of " + new String(line, StandardCharsets.UTF_8), e);
        }
        return count.values().stream().anyMatch(c -> c > 1);
    }

    // ---- the generator

    private static byte[] line(Random r) {
        List<String> fields = new ArrayList<>();
        for (String name : List.of("s", "n", "d", "t")) {
            if (r.nextInt(8) == 0) continue; // missing
            String key = r.nextInt(10) == 0 ? "\\u00" + Integer.toHexString(name.charAt(0)) : name; // the key written with an escape
            fields.add('"' + key + '"' + space(r) + ':' + space(r) + value(r, name));
        }
        if (r.nextInt(30) == 0 && !fields.isEmpty()) fields.add(fields.get(r.nextInt(fields.size()))); // a repeated key
        for (int i = r.nextInt(4); i > 0; i--) fields.add(string(r, UNKNOWN_KEYS[r.nextInt(UNKNOWN_KEYS.length)]) + ':' + any(r, 0));
        Collections.shuffle(fields, r);
        byte[] b = (space(r) + '{' + space(r) + String.join(space(r) + ',' + space(r), fields) + space(r) + '}' + space(r)).getBytes(StandardCharsets.UTF_8);
        if (r.nextInt(6) == 0) b = corrupt(r, b);
        return b;
    }

    private static String space(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> " ";
            case 1 -> "\t ";
            default -> "";
        };
    }

    private static String value(Random r, String column) {
        int k = r.nextInt(20);
        if (k == 0) return "null";
        if (k == 1) return any(r, 0); // most likely the wrong type
        return switch (column) {
            case "s" -> string(r, text(r));
            case "n" -> r.nextInt(4) == 0 ? number(r) : integer(r);
            case "d" -> number(r);
            default -> r.nextBoolean() ? Long.toString(1_700_000_000_000L + r.nextInt(1 << 30)) : integer(r);
        };
    }

    /** Any JSON value, nested at most three deep. */
    private static String any(Random r, int depth) {
        switch (r.nextInt(depth < 3 ? 8 : 6)) {
            case 0: return string(r, text(r));
            case 1: return number(r);
            case 2: return integer(r);
            case 3: return r.nextBoolean() ? "true" : "false";
            case 4: return "null";
            case 5: return string(r, "");
            case 6: {
                List<String> items = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) items.add(any(r, depth + 1));
                return "[" + space(r) + String.join("," + space(r), items) + "]";
            }
            default: {
                List<String> items = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) items.add(string(r, text(r)) + ":" + any(r, depth + 1));
                return "{" + String.join(",", items) + space(r) + "}";
            }
        }
    }

    /** Text of 0 to 60 characters: mostly ASCII, some that must be escaped, some of 2 to 4 UTF-8 bytes. */
    private static String text(Random r) {
        StringBuilder sb = new StringBuilder();
        int[] special = {'"', '\\', '/', 0, 1, 9, 10, 13, 31, 127, 0xE9, 0x20AC, 0x1F600, 0x10FFFF, 0xFEFF};
        for (int i = r.nextInt(61); i > 0; i--) {
            int k = r.nextInt(10);
            int cp = k < 7 ? 0x20 + r.nextInt(0x5F) : k < 9 ? special[r.nextInt(special.length)] : r.nextInt(0x110000);
            if (cp >= 0xD800 && cp <= 0xDFFF) cp = 'x';
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /** The text as a JSON string, each character written raw or escaped at random (where JSON allows both). */
    private static String string(Random r, String text) {
        StringBuilder sb = new StringBuilder("\"");
        text.codePoints().forEach(cp -> {
            boolean mustEscape = cp == '"' || cp == '\\' || cp < 0x20;
            if (!mustEscape && r.nextInt(8) != 0) {
                sb.appendCodePoint(cp);
            } else if (cp == '"' || cp == '\\' || cp == '/' && r.nextBoolean()) {
                sb.append('\\').appendCodePoint(cp);
            } else if (cp == '\n' && r.nextBoolean()) {
                sb.append("\\n");
            } else if (cp == '\t' && r.nextBoolean()) {
                sb.append("\\t");
            } else {
                for (char c : Character.toChars(cp)) sb.append(String.format(r.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
            }
        });
        return sb.append('"').toString();
    }

    private static String digits(Random r, int n, boolean leadingNonZero) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append((char) ('0' + (i == 0 && leadingNonZero ? 1 + r.nextInt(9) : r.nextInt(10))));
        return sb.toString();
    }

    /** An integer of 1 to 25 digits (past a long at times), or one of a long's limits and their neighbours. */
    private static String integer(Random r) {
        if (r.nextInt(10) == 0) {
            BigInteger edge = r.nextBoolean() ? BigInteger.valueOf(Long.MAX_VALUE) : BigInteger.valueOf(Long.MIN_VALUE);
            return edge.add(BigInteger.valueOf(r.nextInt(3) - 1)).toString();
        }
        int n = 1 + r.nextInt(r.nextBoolean() ? 19 : 25);
        String s = n == 1 ? digits(r, 1, false) : digits(r, n, true);
        return (r.nextInt(4) == 0 ? "-" : "") + s;
    }

    /** A number with a fraction and/or an exponent (an integer now and then). */
    private static String number(Random r) {
        StringBuilder sb = new StringBuilder(integer(r));
        if (r.nextInt(3) != 0) sb.append('.').append(digits(r, 1 + r.nextInt(20), false));
        if (r.nextInt(3) == 0) sb.append(r.nextBoolean() ? 'e' : 'E').append(switch (r.nextInt(3)) { case 0 -> "+"; case 1 -> "-"; default -> ""; })
                .append(digits(r, 1 + r.nextInt(r.nextInt(20) == 0 ? 5 : 3), false));
        return sb.toString();
    }

    /** Deletes a byte, or inserts one of JSON's structural or number bytes, somewhere in the line. */
    private static byte[] corrupt(Random r, byte[] b) {
        int at = r.nextInt(b.length + 1);
        if (r.nextBoolean() && at < b.length) {
            byte[] out = new byte[b.length - 1];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(b, at + 1, out, at, b.length - at - 1);
            return out;
        }
        byte[] insert = "\"{}[],:\\ 0e.-x".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = insert[r.nextInt(insert.length)];
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
    }
}
