package dev.kiln.codegen.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.Workers;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.optimizer.tensor.TensorOptimizer;
import dev.kiln.runtime.tensor.TensorMemory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * all-MiniLM-L6-v2 compiled end to end: int64 token ids and mask, embedding Gathers, the shape
 * arithmetic folded at compile time, the mask turned into additive attention bias; its
 * last_hidden_state within 1e-4 of ONNX Runtime's on real sentences of different lengths, padded
 * (so the mask matters), on 1 and 2 threads.
 */
class MiniLmCompiledTest {
    private static final String OUT = "last_hidden_state";

    @Test
    void matchesOnnxRuntimeOnRealSentences() throws Exception {
        byte[] onnx = RealModels.miniLm();
        TensorGraph g = TensorOptimizer.optimize(RealModels.load(onnx, "all-minilm-l6-v2"));
        int batch = 3, seq = 24;
        Map<String, Tensor> in = RealModels.miniLmInputs(RealModels.miniLmTokenizer(), RealModels.SENTENCES, batch, seq);
        int open = TensorMemory.openCount();
        try (OrtPeer ort = new OrtPeer(onnx, 1)) {
            ort.feed(in);
            Tensor expected = ort.run(OUT);
            for (int threads : new int[] {1, 2}) {
                try (Workers w = new Workers(threads);
                     TensorProgram p = TensorCompiler.compile(g, Map.of("input_ids", in.get("input_ids").shape(),
                             "attention_mask", in.get("attention_mask").shape(), "token_type_ids", in.get("token_type_ids").shape()), w)) {
                    Tensor actual = p.run(in).get(OUT);
                    double d = OrtPeer.maxAbsDiff(expected, actual);
                    assertTrue(d <= 1e-4, "MiniLM on " + threads + " thread(s) differs from ONNX Runtime by " + d);
                }
            }
        }
        assertEquals(open, TensorMemory.openCount(), "a compiled program's memory was not freed");
    }

    @Test
    void aTokenIdOutsideTheVocabularyNamesTheNode() {
        TensorGraph g = TensorOptimizer.optimize(RealModels.load(RealModels.miniLm(), "all-minilm-l6-v2"));
        Map<String, Tensor> in = new java.util.HashMap<>(RealModels.miniLmInputs(RealModels.miniLmTokenizer(), RealModels.SENTENCES, 1, 8));
        long[] ids = in.get("input_ids").toLongArray();
        ids[3] = 40_000;
        in.put("input_ids", Tensor.int64(new long[] {1, 8}, ids));
        try (Workers w = new Workers(1);
             TensorProgram p = TensorCompiler.compile(g, Map.of("input_ids", new long[] {1, 8}, "attention_mask", new long[] {1, 8}, "token_type_ids", new long[] {1, 8}), w)) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> p.run(in));
            assertTrue(e.getMessage().contains("word_embeddings/Gather") && e.getMessage().contains("40000") && e.getMessage().contains("position 3"), e.getMessage());
        }
    }
}
