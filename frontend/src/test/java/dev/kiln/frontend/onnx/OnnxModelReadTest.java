package dev.kiln.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.frontend.onnx.OnnxDim.Known;
import dev.kiln.frontend.onnx.OnnxDim.Symbolic;
import dev.kiln.frontend.onnx.OnnxDim.Unknown;
import dev.kiln.ir.KilnException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hand-built model read field by field, and the errors for files that are not (whole) ONNX models. */
class OnnxModelReadTest {
    @Test
    void everyFieldOfTheHandBuiltModel() throws IOException {
        byte[] bytes = TestModels.model().toByteArray();
        OnnxModel m = OnnxModel.read(new ByteArrayInputStream(bytes), "test.onnx");
        assertEquals(8, m.irVersion());
        assertEquals(List.of(new OnnxOpset("", 13), new OnnxOpset("ai.onnx.ml", 3)), m.opsetImports());
        assertEquals(13, m.defaultOpset().orElseThrow());
        assertEquals("kiln-test", m.producerName());
        assertEquals("1.0", m.producerVersion());
        assertEquals("dev.kiln", m.domain());
        assertEquals(3, m.modelVersion());
        assertEquals(Map.of("k", "v"), m.metadata());
        assertEquals(List.of("custom:MyFn"), m.functionNames());

        OnnxGraph g = m.graph();
        assertEquals("g", g.name());
        assertEquals(2, g.nodes().size());
        OnnxNode mm = g.nodes().get(0);
        assertEquals(new OnnxNode("mm", "MatMul", "", List.of("x", "w"), List.of("y"), List.of()), mm);
        assertEquals("MatMul node 'mm'", mm.describe(0));

        OnnxNode clip = g.nodes().get(1);
        assertEquals("Clip node #1 (unnamed)", clip.describe(1));
        assertEquals(List.of("y", ""), clip.inputs());
        assertEquals(List.of("alpha", "axes", "mode", "value", "old", "names", "scales", "body"),
                clip.attributes().stream().map(OnnxAttribute::name).toList());
        assertEquals(0.5f, clip.attribute("alpha").orElseThrow().f());
        assertEquals(List.of(1L, -1L), clip.attribute("axes").orElseThrow().ints());
        assertEquals("constant", clip.attribute("mode").orElseThrow().s());
        OnnxTensor value = clip.attribute("value").orElseThrow().t();
        assertEquals(ElementType.FLOAT16, value.type());
        assertArrayEquals(new float[] {1f, -2f}, value.floats());
        assertEquals(new OnnxAttribute("old", new OnnxAttribute.IntValue(7)), clip.attribute("old").orElseThrow());
        assertEquals(List.of("a", "b"), clip.attribute("names").orElseThrow().strings());
        assertEquals(List.of(0.25f), clip.attribute("scales").orElseThrow().floats());
        OnnxGraph body = clip.attribute("body").orElseThrow().g();
        assertEquals(new OnnxGraph("body", List.of(new OnnxNode("", "Identity", "", List.of("a"), List.of("b"), List.of())),
                List.of(), List.of(), List.of(), List.of()), body);
        assertEquals("attribute 'mode' is STRING where INT was expected",
                assertThrows(KilnException.class, () -> clip.attribute("mode").orElseThrow().i()).getMessage());

        OnnxTensor w = g.initializers().getFirst();
        assertEquals("w", w.name());
        assertEquals(List.of(2L, 2L), w.dims());
        assertArrayEquals(new float[] {1, 2, 3, 4}, w.floats());
        assertArrayEquals(new double[] {1, 2, 3, 4}, w.doubles());

        var floatType = ElementType.FLOAT;
        assertEquals(List.of(new OnnxValueInfo("x", Optional.of(new OnnxType.TensorType(floatType, Optional.of(List.of(new Symbolic("batch"), new Known(2)))))),
                new OnnxValueInfo("w", Optional.of(new OnnxType.TensorType(floatType, Optional.of(List.of(new Known(2), new Known(2))))))), g.inputs());
        assertEquals(List.of("x"), g.feedInputs().stream().map(OnnxValueInfo::name).toList());
        assertEquals(new OnnxType.TensorType(floatType, Optional.empty()), g.outputs().getFirst().tensorType());
        assertEquals(Optional.of(List.of(new Unknown(), new Known(2))), g.valueInfo().get(0).tensorType().shape());
        assertEquals(Optional.of(new OnnxType.SequenceType(new OnnxType.TensorType(ElementType.INT64, Optional.of(List.of())))),
                g.valueInfo().get(1).type());
        assertEquals("value 'seq' is sequence<INT64[]>, not a dense tensor",
                assertThrows(KilnException.class, () -> g.valueInfo().get(1).tensorType()).getMessage());
        assertEquals(Optional.empty(), g.valueInfo().get(2).type());
    }

    @Test
    void aFileIsReadFromItsPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.onnx");
        Files.write(file, TestModels.model().toByteArray());
        assertEquals("mm", OnnxModel.read(file).graph().nodes().getFirst().name());
        assertEquals("ONNX file not found: " + dir.resolve("missing.onnx").toAbsolutePath(),
                assertThrows(KilnException.class, () -> OnnxModel.read(dir.resolve("missing.onnx"))).getMessage());
    }

    @Test
    void filesThatAreNotOnnxSayWhatTheyStartWith() {
        assertEquals("p.png: not an ONNX model (a ModelProto): field number 0 is outside 1..2^29-1; the file starts with 89 50 4E 47 0D 0A 1A 0A \".PNG....\" (at byte 10, reading (model))",
                notOnnx(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13}, "p.png"));
        assertTrue(notOnnx("{\"format\": \"layers-model\"}".getBytes(StandardCharsets.US_ASCII), "model.json")
                .contains("the file starts with 7B 22 66 6F 72 6D 61 74 \"{\"format\""));
        assertTrue(notOnnx(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0}, "m.zip").contains("not an ONNX model (a ModelProto)"));
        assertEquals("e.onnx: the file is empty, not an ONNX model (at byte 0, reading (model))", notOnnx(new byte[0], "e.onnx"));
        // a tensor file: dims (field 1) read as ir_version, then data_type (2, a varint) where producer_name is a string
        byte[] tensor = new ProtoBytes().packedVarints(1, 3).varint(2, 1).toByteArray();
        assertTrue(notOnnx(tensor, "t.pb").contains("not an ONNX model"));
    }

    @Test
    void oldIrVersionsAndModelsWithoutAGraphAreRefused() {
        assertEquals("IR version 2 is older than 3, the first with operator set imports; convert the model with a newer ONNX exporter",
                ((OnnxFormatException) assertThrows(OnnxFormatException.class,
                        () -> OnnxModel.read(new ProtoBytes().varint(1, 2).message(7, new ProtoBytes()).toByteArray(), "old"))).what());
        assertEquals("the model has no graph", assertThrows(OnnxFormatException.class,
                () -> OnnxModel.read(new ProtoBytes().varint(1, 7).toByteArray(), "nograph")).what());
    }

    @Test
    void aCorruptInnerLengthNamesTheDeepestPath() {
        // the attribute's tensor declares 1000 bytes of raw_data but holds 4
        ProtoBytes badTensor = new ProtoBytes().varint(2, 1).raw(0x4A, 0xE8, 0x07, 1, 2, 3, 4);
        ProtoBytes node = new ProtoBytes().string(4, "Constant").message(5, TestModels.attribute("value", 4).message(5, badTensor));
        byte[] bytes = new ProtoBytes().varint(1, 8).message(7, new ProtoBytes().message(1, new ProtoBytes().string(4, "Relu")).message(1, node)).toByteArray();
        var e = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(bytes, "bad.onnx"));
        assertEquals("graph.node[1].attribute[0].t.raw_data", e.path());
        assertEquals("declared length 1000 exceeds the 4 bytes left in graph.node[1].attribute[0].t", e.what());
        assertEquals(bytes.length - 6, e.offset());
    }

    @Test
    void aSparseInitializerIsRefusedByName() {
        byte[] bytes = new ProtoBytes().varint(1, 8).message(7, new ProtoBytes().message(15, new ProtoBytes())).toByteArray();
        var e = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(bytes, "s.onnx"));
        assertEquals("graph.sparse_initializer", e.path());
        assertEquals("sparse initializers are not supported yet; store the tensor dense", e.what());
    }

    @Test
    void modelsOver2GiBAreRefusedBeforeReading(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.onnx");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: no disk is used
        }
        var e = assertThrows(OnnxFormatException.class, () -> OnnxModel.read(big));
        assertEquals("the file is 3221225472 bytes; ONNX protobuf files are limited to 2 GiB, and larger models keep their"
                + " weights in external data files, which Kiln does not read yet", e.what());
    }

    private static String notOnnx(byte[] bytes, String source) {
        return assertThrows(OnnxFormatException.class, () -> OnnxModel.read(bytes, source)).getMessage();
    }
}
