package dev.kiln.ir.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Builds one-node graphs and runs them through the interpreter; absent optional inputs are null. */
final class TensorTesting {
    private TensorTesting() {}

    static long[] s(long... dims) { return dims; }

    static Tensor f(long[] shape, float... v) { return Tensor.floats(shape, v); }

    static Tensor i64(long... v) { return Tensor.vector(v); }

    /** A graph whose given inputs are all initializers, so shape inference sees every value. */
    static TensorGraph graph(TensorOp op, int outputs, Tensor... inputs) {
        Map<String, Tensor> inits = new LinkedHashMap<>();
        List<Optional<String>> names = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                names.add(Optional.empty());
            } else {
                inits.put("in" + i, inputs[i]);
                names.add(Optional.of("in" + i));
            }
        }
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) outs.add("out" + i);
        TensorNode node = new TensorNode("n", op, names, outs);
        TensorShapeInference.Result types = TensorShapeInference.infer(
                new TensorGraph("g", List.of(), List.of(), List.of(node), inits));
        List<TensorValue> outValues = outs.stream().map(o -> new TensorValue(o, types.type(o))).toList();
        return new TensorGraph("g", List.of(), outValues, List.of(node), inits);
    }

    static List<Tensor> run(TensorOp op, int outputs, Tensor... inputs) {
        return new ArrayList<>(TensorInterpreter.run(graph(op, outputs, inputs), Map.of()).values());
    }

    static Tensor run1(TensorOp op, Tensor... inputs) {
        return run(op, 1, inputs).getFirst();
    }

    static void assertValues(Tensor actual, long[] shape, double[] expected, double tol) {
        assertArrayEquals(shape, actual.shape(), "shape of " + actual);
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.getDouble(i), tol, "element " + i + " of " + actual);
        }
    }

    static void assertValues(Tensor actual, long[] shape, double... expected) {
        assertValues(actual, shape, expected, 1e-6);
    }

    static Tensor random(Random r, long... shape) {
        int n = 1;
        for (long d : shape) n *= (int) d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextInt(17) - 8) / 4; // exact in float: sums stay exact
        return Tensor.floats(shape, v);
    }

    static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) s += a.getDouble(i) * b.getDouble(i);
        return s;
    }
}
