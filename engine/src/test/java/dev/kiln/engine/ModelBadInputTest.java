package dev.kiln.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.tensor.Dim;
import dev.kiln.ir.tensor.ElementType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.TensorType;
import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import dev.kiln.runtime.memory.QueryMemory;
import dev.kiln.runtime.tensor.TensorMemory;
import dev.kiln.runtime.vector.TableBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to models in SQL: a truncated model file, a row whose tensor does not fit the model's
 * input, a tensor of the wrong element type, a file that is not an image, bad CREATE MODEL options.
 * Each is a clear error naming the file and byte offset, or the model input, column and row - or,
 * for an unreadable image, a NULL prediction with the image's error - and repeating them leaks no
 * off-heap memory: the compiled models' tensor memories are all closed afterwards.
 */
class ModelBadInputTest {
    private static final Path LEAKY = Path.of("/usr/share/libonnx-testdata/data/node/test_leakyrelu/model.onnx");

    @Test
    void aTruncatedModelFileNamesTheFileAndTheByteOffset(@TempDir Path dir) throws Exception {
        Path good = TextEmbeddingQueriesTest.copy("/all-minilm-l6-v2.onnx", dir);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        try (Kiln kiln = Kiln.open()) {
            KilnException e = assertThrows(KilnException.class, () -> kiln.sql("CREATE MODEL m FROM '" + cut + "'"));
            assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
            assertTrue(e.getMessage().matches("(?s).*\\(at byte \\d+, reading graph.*\\).*"), e.getMessage());
            // nothing was registered
            e = assertThrows(KilnException.class, () -> kiln.sql("DROP MODEL m"));
            assertEquals("no model m to drop", e.getMessage());
            Path garbage = dir.resolve("garbage.onnx");
            Files.writeString(garbage, "not a model at all, just some text");
            e = assertThrows(KilnException.class, () -> kiln.sql("CREATE MODEL m FROM '" + garbage + "'"));
            assertTrue(e.getMessage().startsWith(garbage + ": ") && e.getMessage().contains("at byte"), e.getMessage());
        }
    }

    @Test
    void badOptionsAreNamed(@TempDir Path dir) throws Exception {
        Path model = TextEmbeddingQueriesTest.copy("/all-minilm-l6-v2.onnx", dir);
        Path tokenizer = TextEmbeddingQueriesTest.copy("/all-minilm-l6-v2-tokenizer.json", dir);
        try (Kiln kiln = Kiln.open()) {
            KilnException e = assertThrows(KilnException.class, () -> kiln.sql("CREATE MODEL m FROM '" + model + "' WITH (tokenizer = '" + tokenizer + "', poling = 'mean')"));
            assertEquals("CREATE MODEL m: unknown option poling; the options here are decoder, max_length, normalize, output, pooling, tokenizer", e.getMessage());
            e = assertThrows(KilnException.class, () -> kiln.sql("CREATE MODEL m FROM '" + model + "' WITH (tokenizer = '" + tokenizer + "', pooling = 'max')"));
            assertEquals("CREATE MODEL m: option pooling = 'max' must be one of mean, cls, none", e.getMessage());
            e = assertThrows(KilnException.class, () -> kiln.sql("CREATE MODEL m FROM '" + model + "' WITH (tokenizer = '" + dir.resolve("none.json") + "')"));
            assertTrue(e.getMessage().startsWith("CREATE MODEL m: cannot read tokenizer file " + dir.resolve("none.json")), e.getMessage());
        }
    }

    /** The conformance data's LeakyRelu model takes float32[3, 4, 5]: rows are [4, 5]. */
    @Test
    void aRowOfTheWrongShapeOrTypeNamesTheModelInputColumnAndRow() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(LEAKY), "Debian's libonnx-testdata is not installed (./kiln test installs it): " + LEAKY);
        DataType anyMatrix = new DataType.TensorType(new TensorType(ElementType.FLOAT32, TensorShape.of(Dim.symbol("r"), Dim.symbol("c"))));
        DataType doubles = new DataType.TensorType(TensorType.of(ElementType.FLOAT64, 4, 5));
        Schema s = Schema.of(new Field("id", DataType.BIGINT, false), new Field("x", anyMatrix, false), new Field("d", doubles, false));
        int open = TensorMemory.openCount();
        try (Kiln kiln = Kiln.open(); QueryMemory mem = new QueryMemory(Long.MAX_VALUE)) {
            TableBuilder tb = new TableBuilder("t", s, mem);
            Random rnd = new Random(3);
            for (long id = 0; id < 10; id++) {
                int cols = id == 7 ? 6 : 5; // row 7 is 4 x 6
                float[] x = new float[4 * cols];
                for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
                tb.appendRow(id, Tensor.floats(new long[] {4, cols}, x), Tensor.of(ElementType.FLOAT64, new long[] {4, 5}, new double[20]));
            }
            kiln.registerTable(tb.build());
            kiln.sql("CREATE MODEL leaky FROM '" + LEAKY + "'").close();
            for (int attempt = 0; attempt < 5; attempt++) {
                KilnException e = assertThrows(KilnException.class, () -> kiln.sql("SELECT id, PREDICT(leaky, x) FROM t").close());
                assertTrue(e.getMessage().contains("model leaky input x takes float32[4,5] per row, but column x is float32[4,6] in the row with id = 7"), e.getMessage());
                e = assertThrows(KilnException.class, () -> kiln.sql("SELECT id, PREDICT(leaky, d) FROM t"));
                assertTrue(e.getMessage().contains("model leaky input x takes float32[4,5] per row, but column d is TENSOR<float64[4,5]>"), e.getMessage());
            }
            // the rows that fit still run
            try (QueryResult r = kiln.sql("SELECT id, PREDICT(leaky, x) FROM t WHERE id <> 7")) {
                assertEquals(9, r.rows().size());
            }
        }
        assertEquals(open, TensorMemory.openCount(), "tensor memories left open after failed model queries");
    }

    @Test
    void aFileThatIsNotAnImageHasANullPrediction(@TempDir Path dir) throws Exception {
        Path models = OcrQueriesTest.models();
        javax.imageio.ImageIO.write(OcrQueriesTest.render("Kiln"), "png", dir.resolve("a.png").toFile());
        Files.write(dir.resolve("b.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
        int open = TensorMemory.openCount();
        try (Kiln kiln = Kiln.open()) {
            kiln.registerImages("imgs", dir);
            kiln.sql("CREATE MODEL ocr FROM '" + models.resolve("ch_PP-OCRv4_rec_infer.onnx") + "' WITH (image_height = 48, image_width = 'auto', channel_order = 'bgr',"
                    + " mean = '0.5, 0.5, 0.5', std = '0.5, 0.5, 0.5', decoder = 'ctc', keys = '" + models.resolve("ppocr_keys_v1.txt") + "')").close();
            for (int attempt = 0; attempt < 3; attempt++) {
                try (QueryResult r = kiln.sql("SELECT origin, PREDICT(ocr, image), error FROM imgs ORDER BY origin")) {
                    assertEquals(2, r.rows().size());
                    assertEquals("Kiln", ((String) r.rows().get(0)[1]).strip());
                    assertNull(r.rows().get(1)[1], "no text for a broken file");
                    assertTrue(((String) r.rows().get(1)[2]).startsWith("cannot decode b.png"), (String) r.rows().get(1)[2]);
                }
            }
            KilnException e = assertThrows(KilnException.class, () -> kiln.sql("SELECT PREDICT(ocr, height) FROM imgs"));
            assertTrue(e.getMessage().contains("model ocr$before input image takes uint8[H,W,3] per row, but column image.height is INTEGER"), e.getMessage());
        }
        assertEquals(open, TensorMemory.openCount(), "tensor memories left open");
    }
}
