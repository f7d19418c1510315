package dev.kiln.ir.tensor.text;

import dev.kiln.ir.KilnException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BERT's uncased WordPiece tokenizer, as the sentence-embedding models (all-MiniLM-L6-v2) expect
 * their input: clean the text (drop control characters, whitespace to spaces), put spaces around
 * CJK ideographs, lowercase and strip accents, split on whitespace and punctuation, then cut each
 * word greedily into the longest vocabulary pieces ({@code ##} marks a piece that continues a
 * word; a word with no split, or longer than 100 characters, is {@code [UNK]}). {@link #encode}
 * adds {@code [CLS]} and {@code [SEP]} and truncates to a maximum length. It lives in the IR because
 * tokenizing is an operator of text models' graphs ({@link dev.kiln.ir.tensor.TextOp.WordPieceEncode});
 * the frontend reads vocabularies ({@code TokenizerJson}). Equality is by vocabulary.
 */
public final class WordPieceTokenizer {
    private static final int MAX_WORD_CHARS = 100;

    private final Map<String, Integer> vocab;
    private final int unk, cls, sep;

    public WordPieceTokenizer(Map<String, Integer> vocab) {
        this.vocab = Map.copyOf(vocab);
        this.unk = id("[UNK]");
        this.cls = id("[CLS]");
        this.sep = id("[SEP]");
    }

    /** From a {@code vocab.txt}: one token per line, the id being the line number. */
    public static WordPieceTokenizer fromVocabLines(List<String> lines) {
        Map<String, Integer> v = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) v.putIfAbsent(lines.get(i), i);
        return new WordPieceTokenizer(v);
    }


    /** The [PAD] token's id (0 in BERT vocabularies), with which shorter rows of a batch are filled. */
    public int padId() {
        Integer id = vocab.get("[PAD]");
        return id == null ? 0 : id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WordPieceTokenizer t && t.vocab.equals(vocab);
    }

    @Override
    public int hashCode() {
        return vocab.hashCode();
    }

    /** Short: graphs are printed in plans and messages, and the vocabulary has 30 000 entries. */
    @Override
    public String toString() {
        return "WordPiece(" + vocab.size() + " tokens)";
    }

    private int id(String token) {
        Integer id = vocab.get(token);
        if (id == null) throw new KilnException("the vocabulary has no " + token + " token; it is not a BERT WordPiece vocabulary");
        return id;
    }

    /** Token ids of a text: [CLS], the pieces (at most {@code maxLength} - 2), [SEP]. */
    public long[] encode(String text, int maxLength) {
        if (maxLength < 2) throw new IllegalArgumentException("maxLength must leave room for [CLS] and [SEP], not " + maxLength);
        List<Integer> pieces = tokenize(text);
        int n = Math.min(pieces.size(), maxLength - 2);
        long[] ids = new long[n + 2];
        ids[0] = cls;
        for (int i = 0; i < n; i++) ids[i + 1] = pieces.get(i);
        ids[n + 1] = sep;
        return ids;
    }

    /** The piece ids of a text, without special tokens. */
    public List<Integer> tokenize(String text) {
        List<Integer> ids = new ArrayList<>();
        for (String word : basicTokens(text)) wordPieces(word, ids);
        return ids;
    }

    /** BERT's basic tokenizer: clean, separate CJK, lowercase, strip accents, split on spaces and punctuation. */
    public static List<String> basicTokens(String text) {
        StringBuilder clean = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == 0 || c == 0xFFFD || isControl(c)) return;
            if (isWhitespace(c)) clean.append(' ');
            else if (isCjk(c)) clean.append(' ').appendCodePoint(c).append(' ');
            else clean.appendCodePoint(c);
        });
        String lowered = clean.toString().toLowerCase(Locale.ROOT);
        // strip accents: decompose, then drop the combining marks
        String stripped = Normalizer.normalize(lowered, Normalizer.Form.NFD).codePoints()
                .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        stripped.codePoints().forEach(c -> {
            if (c == ' ' || isPunctuation(c)) {
                if (!word.isEmpty()) words.add(word.toString());
                word.setLength(0);
                if (c != ' ') words.add(Character.toString(c));
            } else {
                word.appendCodePoint(c);
            }
        });
        if (!word.isEmpty()) words.add(word.toString());
        return words;
    }

    /** Greedy longest match from the left; a word that cannot be covered is one [UNK]. */
    private void wordPieces(String word, List<Integer> out) {
        if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
            out.add(unk);
            return;
        }
        List<Integer> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer found = null;
            while (end > start) {
                String piece = (start > 0 ? "##" : "") + word.substring(start, end);
                found = vocab.get(piece);
                if (found != null) break;
                end = word.offsetByCodePoints(end, -1);
            }
            if (found == null) {
                out.add(unk);
                return;
            }
            pieces.add(found);
            start = end;
        }
        out.addAll(pieces);
    }

    private static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || Character.getType(c) == Character.SPACE_SEPARATOR;
    }

    private static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') return false;
        int t = Character.getType(c);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.PRIVATE_USE || t == Character.SURROGATE
                || t == Character.UNASSIGNED;
    }

    /** ASCII symbols count as punctuation (BERT's rule), as do Unicode's P* categories. */
    private static boolean isPunctuation(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
