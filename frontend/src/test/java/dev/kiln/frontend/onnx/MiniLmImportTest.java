package dev.kiln.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.frontend.text.TokenizerJson;
import dev.kiln.ir.tensor.text.WordPieceTokenizer;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * all-MiniLM-L6-v2 imported and run by the reference interpreter on real sentences, tokenized by
 * {@link WordPieceTokenizer} with the model's own vocabulary, padded into one batch with an
 * attention mask: last_hidden_state must be ONNX Runtime's within 1e-4. Timings are printed for
 * information only.
 */
class MiniLmImportTest {
    private static final List<String> SENTENCES = List.of(
            "A man is playing a guitar.",
            "The quick brown fox jumps over the lazy dog!",
            "Kiln compiles SQL queries with neural networks inside them.");

    @Test
    void interpreterMatchesOnnxRuntimeOnRealSentences() throws Exception {
        byte[] bytes;
        String vocab;
        try (InputStream model = getClass().getResourceAsStream("/all-minilm-l6-v2.onnx");
             InputStream tok = getClass().getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            bytes = model.readAllBytes();
            vocab = new String(tok.readAllBytes(), StandardCharsets.UTF_8);
        }
        long t0 = System.nanoTime();
        TensorGraph graph = OnnxImporter.importModel(OnnxModel.read(bytes, "all-minilm-l6-v2.onnx"), "all-minilm-l6-v2.onnx");
        long importNanos = System.nanoTime() - t0;
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), graph.inputs().stream().map(v -> v.name()).toList());
        assertEquals("float32[batch_size,sequence_length,384]", graph.outputs().getFirst().type().toString());

        WordPieceTokenizer tokenizer = TokenizerJson.wordPiece(vocab);
        long[][] ids = SENTENCES.stream().map(s -> tokenizer.encode(s, 128)).toArray(long[][]::new);
        assertArrayEquals(new long[] {101, 1037, 2158, 2003, 2652, 1037, 2858, 1012, 102}, ids[0], "'" + SENTENCES.getFirst() + "'");
        Map<String, Tensor> inputs = batch(ids);

        try (OrtRunner ort = new OrtRunner(bytes)) {
            ort.run(inputs, "last_hidden_state"); // warm-up
            long o0 = System.nanoTime();
            Tensor expected = ort.run(inputs, "last_hidden_state");
            long ortNanos = System.nanoTime() - o0;
            long k0 = System.nanoTime();
            Tensor actual = TensorInterpreter.run(graph, inputs).get("last_hidden_state");
            long kilnNanos = System.nanoTime() - k0;
            Optional<String> diff = TensorComparison.KILN.diff(expected, actual);
            System.out.printf("all-MiniLM-L6-v2, batch %d x %d tokens: max |diff| %.3g; import %d ms, interpreter %d ms, ORT (1 thread) %.1f ms%n",
                    ids.length, inputs.get("input_ids").dim(1), TensorComparison.maxAbsDiff(expected, actual), importNanos / 1_000_000,
                    kilnNanos / 1_000_000, ortNanos / 1e6);
            assertTrue(diff.isEmpty(), "last_hidden_state differs from ONNX Runtime: " + diff.orElse(""));
        }
    }

    /** Pads the sentences to the longest with [PAD] = 0 and mask 0; token types all 0 (one segment). */
    private static Map<String, Tensor> batch(long[][] ids) {
        int n = ids.length, len = 0;
        for (long[] s : ids) len = Math.max(len, s.length);
        long[] flat = new long[n * len], mask = new long[n * len];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < ids[i].length; j++) {
                flat[i * len + j] = ids[i][j];
                mask[i * len + j] = 1;
            }
        }
        long[] shape = {n, len};
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("input_ids", Tensor.int64(shape, flat));
        in.put("attention_mask", Tensor.int64(shape, mask));
        in.put("token_type_ids", Tensor.zeros(dev.kiln.ir.tensor.ElementType.INT64, shape));
        return in;
    }
}
