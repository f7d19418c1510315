package dev.kiln.frontend.onnx;

import static dev.kiln.frontend.onnx.TinyModel.Attr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.NeuralOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The importer on small models built in code: the old-opset forms (attributes that became inputs,
 * Softmax's 2-D coercion, opset-10 Resize and Upsample rounding, Dropout's mask) each run by the
 * interpreter and by ONNX Runtime on the same file and input, and the errors for what Kiln refuses.
 */
class OnnxImporterTest {
    private static Tensor random(long... shape) {
        Random r = new Random(java.util.Arrays.hashCode(shape));
        int n = 1;
        for (long d : shape) n *= (int) d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * 2);
        return Tensor.floats(shape, v);
    }

    /** Imports, runs both engines on x, and checks every output agrees; returns the graph. */
    private static TensorGraph agree(TinyModel m, Tensor x, String... outputs) throws Exception {
        TensorGraph g = OnnxImporter.importModel(m.model());
        Map<String, Tensor> kiln = TensorInterpreter.run(g, Map.of("x", x));
        try (OrtRunner ort = new OrtRunner(m.bytes())) {
            for (String out : outputs) {
                Tensor expected = ort.run(Map.of("x", x), out);
                Optional<String> diff = TensorComparison.KILN.diff(expected, kiln.get(out));
                assertTrue(diff.isEmpty(), out + ": " + diff.orElse(""));
            }
        }
        return g;
    }

    private static TinyModel unary(long opset, String op, long[] shape, Attr... attrs) {
        return new TinyModel(opset).input("x", ElementType.FLOAT, shape).node(op, List.of("x"), List.of("y"), attrs).output("y", ElementType.FLOAT);
    }

    @Test
    void softmaxBeforeOpset13FlattensAtTheAxis() throws Exception {
        long[] shape = {2, 3, 4};
        TensorGraph g = agree(unary(11, "Softmax", shape, Attr.i("axis", 1)), random(shape), "y");
        assertEquals(List.of("Flatten", "Shape", "Softmax", "Reshape"), g.nodes().stream().map(n -> n.op().opName()).toList());
        agree(unary(11, "LogSoftmax", shape), random(shape), "y");
        // on the last axis the old and new meanings agree: one node
        TensorGraph last = agree(unary(11, "Softmax", shape, Attr.i("axis", -1)), random(shape), "y");
        assertEquals(List.of(new NeuralOp.Softmax(-1)), last.nodes().stream().map(TensorNode::op).toList());
        agree(unary(13, "Softmax", shape, Attr.i("axis", 1)), random(shape), "y");
    }

    @Test
    void attributesOfOldOpsetsBecomeConstantInputs() throws Exception {
        long[] shape = {2, 3, 4};
        agree(unary(7, "Clip", shape, Attr.f("min", -0.5f), Attr.f("max", 1.5f)), random(shape), "y");
        agree(unary(7, "Clip", shape, Attr.f("max", 0.25f)), random(shape), "y");
        agree(unary(9, "Slice", shape, Attr.ints("starts", 1, -3), Attr.ints("ends", 2, 100), Attr.ints("axes", 0, 2)), random(shape), "y");
        agree(unary(7, "Pad", shape, Attr.ints("pads", 0, 1, 2, 0, 2, 1), Attr.f("value", 1.5f)), random(shape), "y");
        agree(unary(7, "Pad", shape, Attr.ints("pads", 0, 1, 2, 0, 1, 1), Attr.s("mode", "reflect")), random(shape), "y");
        agree(unary(11, "Unsqueeze", shape, Attr.ints("axes", 0, -1)), random(shape), "y");
        agree(unary(11, "Squeeze", new long[] {2, 1, 4}, Attr.ints("axes", 1)), random(2, 1, 4), "y");
        agree(unary(11, "ReduceSum", shape, Attr.ints("axes", 1), Attr.i("keepdims", 0)), random(shape), "y");
        agree(unary(11, "ReduceMean", shape, Attr.ints("axes", -1, 0)), random(shape), "y");
        agree(new TinyModel(11).input("x", ElementType.FLOAT, shape)
                .node("Split", List.of("x"), List.of("a", "b"), Attr.i("axis", 1), Attr.ints("split", 1, 2))
                .output("a", ElementType.FLOAT).output("b", ElementType.FLOAT), random(shape), "a", "b");
        agree(new TinyModel(9).input("x", ElementType.FLOAT, shape)
                .node("TopK", List.of("x"), List.of("v", "i"), Attr.i("k", 2))
                .output("v", ElementType.FLOAT).output("i", ElementType.INT64), random(shape), "v", "i");
    }

    @Test
    void oldResizeAndUpsampleRoundAsOnnxRuntimeDoes() throws Exception {
        long[] shape = {1, 1, 4, 6};
        agree(new TinyModel(10).input("x", ElementType.FLOAT, shape).floats("s", new long[] {4}, 1, 1, 0.5f, 0.6f)
                .node("Resize", List.of("x", "s"), List.of("y")).output("y", ElementType.FLOAT), random(shape), "y");
        agree(new TinyModel(10).input("x", ElementType.FLOAT, shape).floats("s", new long[] {4}, 1, 1, 2, 1.5f)
                .node("Resize", List.of("x", "s"), List.of("y"), Attr.s("mode", "linear")).output("y", ElementType.FLOAT), random(shape), "y");
        agree(new TinyModel(9).input("x", ElementType.FLOAT, shape).floats("s", new long[] {4}, 1, 1, 2, 3)
                .node("Upsample", List.of("x", "s"), List.of("y")).output("y", ElementType.FLOAT), random(shape), "y");
        agree(unary(7, "Upsample", shape, Attr.floats("scales", 1, 1, 2, 2)), random(shape), "y");
        agree(new TinyModel(13).input("x", ElementType.FLOAT, shape).floats("s", new long[] {4}, 1, 1, 2, 2)
                .node("Resize", List.of("x", "", "s"), List.of("y"), Attr.s("coordinate_transformation_mode", "asymmetric"),
                        Attr.s("nearest_mode", "floor")).output("y", ElementType.FLOAT), random(shape), "y");
    }

    @Test
    void dropoutIsTheIdentityWithAnAllTrueMask() throws Exception {
        long[] shape = {2, 3};
        TensorGraph g = agree(new TinyModel(13).input("x", ElementType.FLOAT, shape)
                .node("Dropout", List.of("x"), List.of("y", "mask"), Attr.i("seed", 7))
                .output("y", ElementType.FLOAT).output("mask", ElementType.BOOL), random(shape), "y", "mask");
        assertTrue(g.nodes().stream().anyMatch(n -> n.op() instanceof LayoutOp.ConstantOfShape));
    }

    @Test
    void constantsAndInitializersListedAsInputsAreConstants() throws Exception {
        TinyModel m = new TinyModel(11).input("x", ElementType.FLOAT, 2, 3).input("w", ElementType.FLOAT, 3)
                .floats("w", new long[] {3}, 1, 2, 3)
                .node("Constant", List.of(), List.of("c"), Attr.floats("value_floats", 0.5f, 0.25f, 0.125f))
                .node("Add", List.of("x", "w"), List.of("s"))
                .node("Mul", List.of("s", "c"), List.of("y")).output("y", ElementType.FLOAT);
        TensorGraph g = agree(m, random(2, 3), "y");
        assertEquals(List.of("x"), g.inputs().stream().map(v -> v.name()).toList());
        assertEquals(Tensor.floats(new long[] {3}, 0.5f, 0.25f, 0.125f), g.initializers().get("c"));
    }

    @Test
    void unsupportedOpsDomainsAttributesAndOpsetsAreNamedInTheError() {
        long[] shape = {2, 3};
        var op = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(unary(11, "Selu", shape).model(), "m.onnx"));
        assertTrue(op.getMessage().startsWith("m.onnx: node 'selu0' (Selu, opset 11, domain ''): Selu is not supported by Kiln;"
                + " supported ops are Abs, Add, And, ArgMax, AveragePool,"), op.getMessage());
        var domain = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(new TinyModel(11).input("x", ElementType.FLOAT, shape)
                .node("com.microsoft", "FusedGemm", List.of("x"), List.of("y")).output("y", ElementType.FLOAT).model(), "m.onnx"));
        assertEquals("m.onnx: node 'fusedgemm0' (FusedGemm, opset 11, domain 'com.microsoft'): domain 'com.microsoft' is not supported"
                + " by Kiln; only the default ONNX domain and ai.onnx.ml (LinearClassifier, LinearRegressor, TreeEnsembleClassifier, TreeEnsembleRegressor) are", domain.getMessage());
        var attr = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(unary(11, "Relu", shape, Attr.i("inplace", 1)).model(), "m.onnx"));
        assertEquals("m.onnx: node 'relu0' (Relu, opset 11, domain ''): attribute 'inplace' is not supported by Kiln's import of Relu"
                + " (it takes none)", attr.getMessage());
        var mode = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(unary(11, "Pad", shape, Attr.s("mode", "wrap")).model(), "m.onnx"));
        assertTrue(mode.getMessage().contains("(Pad, opset 11, domain ''): mode 'wrap' is not supported by Kiln"), mode.getMessage());
        var opset = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(new TinyModel(6).input("x", ElementType.FLOAT, shape)
                .node("Add", List.of("x", "x"), List.of("y")).output("y", ElementType.FLOAT).model(), "m.onnx"));
        assertEquals("m.onnx: opset 6 is older than Kiln supports (7 and later) for [Add]; convert the model with onnx.version_converter",
                opset.getMessage());
    }

    @Test
    void batchNormalizationWithItsTrainingOutputsIsRefused() throws Exception {
        TinyModel used = batchNorm(List.of("y", "mean", "var", "sm", "sv")).node("Identity", List.of("mean"), List.of("z"))
                .output("y", ElementType.FLOAT).output("z", ElementType.FLOAT);
        var e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(used.model(), "bn.onnx"));
        assertTrue(e.getMessage().contains("(BatchNormalization, opset 9, domain ''): output 1 ('mean', a training statistic) is used;"), e.getMessage());
        // present but unread still means training mode: ONNX Runtime then normalizes Y with the batch's statistics
        TinyModel present = batchNorm(List.of("y", "mean", "var", "sm", "sv")).output("y", ElementType.FLOAT);
        e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(present.model(), "bn.onnx"));
        assertTrue(e.getMessage().contains("output 1 ('mean', a training statistic) is present; with it the node is in training mode"), e.getMessage());
        agree(batchNorm(List.of("y")).output("y", ElementType.FLOAT), random(1, 2, 3), "y");
    }

    private static TinyModel batchNorm(List<String> outputs) {
        return new TinyModel(9).input("x", ElementType.FLOAT, 1, 2, 3)
                .floats("s", new long[] {2}, 1, 2).floats("b", new long[] {2}, 0, 1).floats("m", new long[] {2}, 0.5f, 0)
                .floats("v", new long[] {2}, 1, 4)
                .node("BatchNormalization", List.of("x", "s", "b", "m", "v"), outputs, Attr.f("momentum", 0.9f));
    }

    @Test
    void shapeErrorsNameTheOnnxNode() {
        TinyModel m = new TinyModel(13).input("x", ElementType.FLOAT, 2, 3).input("z", ElementType.FLOAT, 4, 5)
                .node("MatMul", List.of("x", "z"), List.of("y")).output("y", ElementType.FLOAT);
        var e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(m.model(), "m.onnx"));
        assertTrue(e.getMessage().startsWith("m.onnx: node 'matmul0' (MatMul, opset 13, domain ''): node matmul0 (MatMul): "), e.getMessage());
    }
}
