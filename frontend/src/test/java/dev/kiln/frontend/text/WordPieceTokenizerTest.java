package dev.kiln.frontend.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.tensor.text.WordPieceTokenizer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Known answers: the basic-tokenizer cases of BERT's own tests (google-research/bert
 * tokenization_test.py), Hugging Face's documented bert-base-uncased example with the real
 * all-MiniLM-L6-v2 vocabulary (the same vocabulary), the ids of "hello world", and a hand-made
 * vocabulary for the greedy rule and [UNK].
 */
class WordPieceTokenizerTest {
    static WordPieceTokenizer miniLm() throws Exception {
        try (InputStream in = WordPieceTokenizerTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            return TokenizerJson.wordPiece(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void basicTokenizerSplitsLowercasesAndStripsAccents() {
        assertEquals(List.of("hello", "!", "how", "are", "you", "?"), WordPieceTokenizer.basicTokens(" \tHeLLo!how  \n Are yoU?  "));
        assertEquals(List.of("hallo", "!", "how", "are", "you", "?"), WordPieceTokenizer.basicTokens(" \tHäLLo!how  \n Are yoU?  "));
        assertEquals(List.of("ah", "博", "推", "zz"), WordPieceTokenizer.basicTokens("ah\u535A\u63A8zz"));
        assertEquals(List.of("a", "b"), WordPieceTokenizer.basicTokens("a\u0000b".replace("\u0000", " ")));
    }

    @Test
    void greedyLongestMatchFirstWithUnknownWords() {
        Map<String, Integer> vocab = Map.of("[UNK]", 0, "[CLS]", 1, "[SEP]", 2, "want", 3, "##want", 4, "##ed", 5, "wa", 6, "un", 7,
                "runn", 8, "##ing", 9);
        WordPieceTokenizer t = new WordPieceTokenizer(vocab);
        assertEquals(List.of(7, 4, 5, 8, 9), t.tokenize("unwanted running"));
        assertEquals(List.of(0, 8, 9), t.tokenize("unwantedX running"));
        assertArrayEquals(new long[] {1, 7, 2}, t.encode("unwanted running", 3));
        assertThrows(KilnException.class, () -> new WordPieceTokenizer(Map.of("[UNK]", 0)));
    }

    @Test
    void realVocabularyGivesBertsPieces() throws Exception {
        WordPieceTokenizer t = miniLm();
        assertArrayEquals(new long[] {101, 7592, 2088, 102}, t.encode("Hello world", 128));
        Map<Integer, String> byId = new java.util.HashMap<>();
        try (InputStream in = WordPieceTokenizerTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            TokenizerJson.wordPieceVocab(new String(in.readAllBytes(), StandardCharsets.UTF_8)).forEach((k, v) -> byId.put(v, k));
        }
        // accents stripped before the lookup: "unwantéd" is the vocabulary word "unwanted"
        assertEquals(List.of("unwanted", ",", "running"), t.tokenize("UNwant\u00E9d,running").stream().map(byId::get).toList());
        // the example of Hugging Face's tokenizer summary for bert-base-uncased, whose vocabulary MiniLM shares
        assertEquals(List.of("i", "have", "a", "new", "gp", "##u", "!"), t.tokenize("I have a new GPU!").stream().map(byId::get).toList());
    }

    @Test
    void badJsonIsAClearError() {
        var e = assertThrows(KilnException.class, () -> TokenizerJson.wordPiece("{\"model\": {\"type\": \"BPE\"}}"));
        assertEquals("tokenizer.json's model is BPE, not WordPiece", e.getMessage());
        assertThrows(KilnException.class, () -> TokenizerJson.wordPiece("{\"model\": {"));
    }
}
