package dev.kiln.frontend.keras;

import static dev.kiln.frontend.keras.KerasLayersOracleTest.cfg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers TF.js cannot check (Subtract, a -1 reshape, keepdims), hand-computed; and the layout claims. */
class KerasImporterTest {
    @TempDir Path tmp;

    /** Dense layers with hand-set weights: d1 = x + [1, 2], d2 = 2x, so d1 - d2 = [1, 2] - x. */
    @Test
    void subtractAndReshapeWithMinusOne() throws Exception {
        SyntheticModel m = SyntheticModel.functional("sub", 0, 2);
        m.layer("Dense", "d1", cfg("units", 2), "input");
        m.weight("d1", "kernel", 0, 1, 2, 2);
        m.weight("d1", "bias", 0, 1, 2);
        m.layer("Dense", "d2", cfg("units", 2, "use_bias", false), "input");
        m.weight("d2", "kernel", 0, 1, 2, 2);
        m.layer("Subtract", "sub", cfg(), "d1", "d2");
        m.layer("Reshape", "r", cfg("target_shape", List.of(-1, 1)), "sub");
        Path json = m.write(tmp.resolve("sub"), "r");
        // the weights are random; overwrite the shard with exact values in manifest order
        writeShard(json, new float[] {1, 0, 0, 1}, new float[] {1, 2}, new float[] {2, 0, 0, 2});
        TensorGraph g = KerasImporter.read(json);
        assertEquals("float32[N,2,1]", g.outputs().getFirst().type().toString());
        Tensor y = TensorInterpreter.run(g, Map.of("input", Tensor.floats(new long[] {2, 2}, 3, -1, 0.5f, 4))).get("r");
        assertArrayEquals(new long[] {2, 2, 1}, y.shape());
        assertArrayEquals(new float[] {-2, 3, 0.5f, -2}, NsfwjsPreprocessing.floats(y));
    }

    /** keepdims keeps [N, 1, 1, C] (returned NHWC); the mean of each channel over H and W. */
    @Test
    void globalAveragePoolingKeepDims() throws Exception {
        SyntheticModel m = SyntheticModel.functional("gap", 0, 2, 2, 2);
        m.layer("GlobalAveragePooling2D", "gap", cfg("keepdims", true), "input");
        TensorGraph g = KerasImporter.read(m.write(tmp.resolve("gap"), "gap"));
        // x[0, h, w, c] = 10 c + 2 h + w: channel means 1.5 and 11.5
        Tensor y = TensorInterpreter.run(g, Map.of("input", Tensor.floats(new long[] {1, 2, 2, 2}, 0, 10, 1, 11, 2, 12, 3, 13))).get("gap");
        assertArrayEquals(new long[] {1, 1, 1, 2}, y.shape());
        assertArrayEquals(new float[] {1.5f, 11.5f}, NsfwjsPreprocessing.floats(y));
    }

    /**
     * MobileNetV2 imports with NHWC in and out and exactly two transposes: NHWC to NCHW before the
     * first convolution and back before Flatten; the 52 convolutions chain without any between them.
     */
    @Test
    void mobileNetV2TransposesOnlyAtTheEdges() {
        Path model = KerasTestData.nsfwjsModel("mobilenet_v2");
        assumeTrue(KerasTestData.missing(model).isEmpty(), () -> "skipped: " + KerasTestData.missing(model).orElseThrow());
        TensorGraph g = KerasImporter.read(model);
        List<TensorNode> transposes = g.nodes().stream().filter(n -> n.op() instanceof LayoutOp.Transpose).toList();
        assertEquals(List.of("input_1/nchw", "average_pooling2d_1/nhwc"), transposes.stream().map(TensorNode::name).toList());
        assertEquals("float32[N,224,224,3]", g.inputs().getFirst().type().toString());
        assertEquals("dense_3", g.outputs().getFirst().name());
        assertEquals("float32[N,5]", g.outputs().getFirst().type().toString());
        assertEquals(52, g.nodes().stream().filter(n -> n.op() instanceof dev.kiln.ir.tensor.NeuralOp.Conv).count());
    }

    static void writeShard(Path modelJson, float[]... weights) throws java.io.IOException {
        int n = 0;
        for (float[] w : weights) n += w.length;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float[] w : weights) for (float v : w) b.putFloat(v);
        java.nio.file.Files.write(modelJson.resolveSibling("group1-shard1of1"), b.array());
    }
}
