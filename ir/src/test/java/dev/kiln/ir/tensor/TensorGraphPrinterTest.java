package dev.kiln.ir.tensor;

import static dev.kiln.ir.tensor.TensorTesting.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorGraphPrinterTest {
    private static final Dim N = Dim.symbol("N");

    /** A small CNN: conv, batch norm, relu, max pool, flatten, gemm, softmax. */
    static TensorGraph cnn(Random r) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("w1", random(r, 4, 3, 3, 3));
        w.put("b1", random(r, 4));
        w.put("gamma", f(s(4), 1, 0.5f, 2, 1));
        w.put("beta", f(s(4), 0, 1, -1, 0.25f));
        w.put("mean", f(s(4), 0.5f, 0, -0.5f, 1));
        w.put("var", f(s(4), 1, 4, 0.25f, 2));
        w.put("fc", random(r, 10, 16));
        w.put("fcb", random(r, 10));
        return new TensorGraph("cnn",
                List.of(new TensorValue("image", new TensorType(ElementType.FLOAT32, TensorShape.of(N, Dim.of(3), Dim.of(4), Dim.of(4))))),
                List.of(new TensorValue("probs", new TensorType(ElementType.FLOAT32, TensorShape.of(N, Dim.of(10))))),
                List.of(TensorNode.of("conv1", new NeuralOp.Conv(Window.DEFAULT.withPads(1, 1, 1, 1), 1), List.of("image", "w1", "b1"), List.of("c1")),
                        TensorNode.of("bn1", new NeuralOp.BatchNormalization(1e-5f), List.of("c1", "gamma", "beta", "mean", "var"), List.of("n1")),
                        TensorNode.of("relu1", new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.RELU), List.of("n1"), List.of("r1")),
                        TensorNode.of("pool1", new NeuralOp.MaxPool(Window.kernel(2, 2).withStrides(2, 2), false), List.of("r1"), List.of("p1")),
                        TensorNode.of("flat", new LayoutOp.Flatten(1), List.of("p1"), List.of("f1")),
                        TensorNode.of("fc1", new NeuralOp.Gemm(1, 1, false, true), List.of("f1", "fc", "fcb"), List.of("logits")),
                        TensorNode.of("softmax", new NeuralOp.Softmax(-1), List.of("logits"), List.of("probs"))),
                w);
    }

    @Test
    void printsTheGraphWithInferredTypes() throws IOException {
        TensorGraph g = cnn(new Random(21));
        String actual = TensorGraphPrinter.print(g, Optional.of(TensorShapeInference.infer(g)));
        Path file = Path.of("src/test/resources/tensor/cnn.txt");
        if (Boolean.getBoolean("kiln.updateGolden")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual);
        }
        assertTrue(Files.exists(file), "missing golden file " + file + ": run with -Dkiln.updateGolden=true and review it");
        assertEquals(Files.readString(file), actual, "output differs from " + file + " (update with -Dkiln.updateGolden=true if intended)");
    }

    /** Folding batch norm into the conv's weights and bias (what the optimizer will do) gives the same result. */
    @Test
    void batchNormFoldsIntoTheConvolution() {
        TensorGraph g = cnn(new Random(22));
        Map<String, Tensor> w = g.initializers();
        float[] wf = new float[w.get("w1").size()], bf = new float[4];
        for (int m = 0; m < 4; m++) {
            double k = w.get("gamma").getDouble(m) / Math.sqrt(w.get("var").getDouble(m) + 1e-5f);
            for (int i = 0; i < 27; i++) wf[m * 27 + i] = (float) (w.get("w1").getDouble(m * 27 + i) * k);
            bf[m] = (float) ((w.get("b1").getDouble(m) - w.get("mean").getDouble(m)) * k + w.get("beta").getDouble(m));
        }
        Map<String, Tensor> folded = new LinkedHashMap<>(w);
        folded.put("w1", f(s(4, 3, 3, 3), wf));
        folded.put("b1", f(s(4), bf));
        List<TensorNode> nodes = new java.util.ArrayList<>(g.nodes());
        nodes.remove(1);
        nodes.set(1, TensorNode.of("relu1", new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.RELU), List.of("c1"), List.of("r1")));
        TensorGraph h = new TensorGraph("folded", g.inputs(), g.outputs(), nodes, folded);
        Tensor x = random(new Random(23), 2, 3, 4, 4);
        Tensor a = TensorInterpreter.run(g, Map.of("image", x)).get("probs"), b = TensorInterpreter.run(h, Map.of("image", x)).get("probs");
        assertValues(b, s(2, 10), a.toDoubleArray(), 1e-5);
        double rowSum = 0;
        for (int j = 0; j < 10; j++) rowSum += a.getDouble(j);
        assertEquals(1, rowSum, 1e-6);
    }
}
