package dev.kiln.ir.tensor;

import static dev.kiln.ir.tensor.TensorTesting.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.tensor.ElementwiseOp.Binary;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.ElementwiseOp.Unary;
import dev.kiln.ir.tensor.ElementwiseOp.UnaryFn;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorElementwiseTest {
    @Test
    void erfMatchesReferenceValuesToDoublePrecision() {
        // values from tables of the error function
        Tensor y = run1(new Unary(UnaryFn.ERF), Tensor.doubles(s(6), 0, 0.5, 1, 2, 3, -1.5));
        assertValues(y, s(6), new double[] {0, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527,
                0.9999779095030014, -0.9661051464753108}, 1e-15);
    }

    @Test
    void activationsAtHandPickedPoints() {
        Tensor x = f(s(5), -3, -1, 0, 1, 3);
        assertValues(run1(new Unary(UnaryFn.RELU), x), s(5), 0, 0, 0, 1, 3);
        assertValues(run1(new ElementwiseOp.LeakyRelu(0.1f), x), s(5), new double[] {-0.3, -0.1, 0, 1, 3}, 1e-7);
        assertValues(run1(new ElementwiseOp.HardSigmoid(0.2f, 0.5f), x), s(5), new double[] {0, 0.3, 0.5, 0.7, 1}, 1e-7);
        // x * clamp(x/6 + 1/2, 0, 1)
        assertValues(run1(new Unary(UnaryFn.HARD_SWISH), x), s(5), new double[] {0, -1.0 / 3, 0, 2.0 / 3, 3}, 1e-7);
        double e = Math.E;
        assertValues(run1(new Unary(UnaryFn.SIGMOID), x), s(5), new double[] {1 / (1 + e * e * e), 1 / (1 + e), 0.5, e / (1 + e), 1 / (1 + 1 / (e * e * e))}, 1e-7);
        assertValues(run1(new Unary(UnaryFn.SOFTPLUS), x), s(5), new double[] {Math.log(1 + 1 / (e * e * e)), Math.log(1 + 1 / e), Math.log(2), Math.log(1 + e), Math.log(1 + e * e * e)}, 1e-6);
        // Gelu(1) = Φ(1) and its tanh approximation
        assertValues(run1(new ElementwiseOp.Gelu(ElementwiseOp.GeluApproximation.NONE), f(s(1), 1)), s(1), new double[] {0.8413447460685429}, 1e-7);
        assertValues(run1(new ElementwiseOp.Gelu(ElementwiseOp.GeluApproximation.TANH), f(s(1), 1)), s(1), new double[] {0.8411919906082768}, 1e-7);
        assertValues(run1(new Unary(UnaryFn.ROUND), f(s(4), 0.5f, 1.5f, 2.5f, -2.5f)), s(4), 0, 2, 2, -2);
    }

    @Test
    void binaryOpsBroadcastLikeNumpy() {
        Random r = new Random(11);
        Tensor a = random(r, 2, 1, 3), b = random(r, 4, 1);
        Tensor y = run1(new Binary(BinaryFn.SUB), a, b);
        assertArrayEquals(s(2, 4, 3), y.shape());
        for (int i = 0; i < 2; i++) for (int j = 0; j < 4; j++) for (int k = 0; k < 3; k++) {
            assertEquals(a.getDouble(i * 3 + k) - b.getDouble(j), y.getDouble((i * 4 + j) * 3 + k), "at " + i + j + k);
        }
    }

    @Test
    void integerArithmeticWrapsAndTruncates() {
        Tensor a = Tensor.longs(ElementType.INT8, s(3), 100, -7, 7), b = Tensor.longs(ElementType.INT8, s(3), 100, 2, -2);
        assertArrayEquals(new long[] {-56, -5, 5}, run1(new Binary(BinaryFn.ADD), a, b).toLongArray());
        assertArrayEquals(new long[] {1, -3, -3}, run1(new Binary(BinaryFn.DIV), a, b).toLongArray());
        Tensor base = Tensor.longs(ElementType.INT8, s(3), 3, -7, 7), exp = Tensor.longs(ElementType.INT8, s(3), 4, 2, -2);
        assertArrayEquals(new long[] {81, 49, 0}, run1(new Binary(BinaryFn.POW), base, exp).toLongArray());
        // 3^5 = 243 wraps to 243 - 256 in int8
        assertArrayEquals(new long[] {-13}, run1(new Binary(BinaryFn.POW), Tensor.longs(ElementType.INT8, s(1), 3), Tensor.longs(ElementType.INT8, s(1), 5)).toLongArray());
    }

    @Test
    void comparisonsLogicAndWhere() {
        Tensor a = f(s(3), 1, 2, 3), b = f(s(1), 2);
        Tensor lt = run1(new Binary(BinaryFn.LESS), a, b), eq = run1(new Binary(BinaryFn.EQUAL), a, b);
        assertEquals(Tensor.bools(s(3), true, false, false), lt);
        assertEquals(Tensor.bools(s(3), false, true, false), eq);
        assertEquals(Tensor.bools(s(3), true, true, false), run1(new Binary(BinaryFn.OR), lt, eq));
        assertEquals(Tensor.bools(s(3), false, false, true), run1(new Unary(UnaryFn.NOT), run1(new Binary(BinaryFn.OR), lt, eq)));
        assertValues(run1(new ElementwiseOp.Where(), lt, a, f(s(2, 1), -1, -2)), s(2, 3), 1, -1, -1, 1, -2, -2);
    }

    @Test
    void castTruncatesWrapsAndRounds() {
        Tensor x = f(s(4), 3.7f, -3.7f, 300, 0);
        assertArrayEquals(new long[] {3, -3, 44, 0}, run1(new ElementwiseOp.Cast(ElementType.INT8), x).toLongArray());
        assertEquals(Tensor.bools(s(4), true, true, true, false), run1(new ElementwiseOp.Cast(ElementType.BOOL), x));
        // 2049 is not a float16: ties to even gives 2048; 1/3 keeps 11 significant bits
        Tensor h = run1(new ElementwiseOp.Cast(ElementType.FLOAT16), Tensor.int64(s(2), 2049, 2051));
        assertValues(h, s(2), 2048, 2052);
        Tensor bf = run1(new ElementwiseOp.Cast(ElementType.BFLOAT16), f(s(1), 1 + 1f / 256 + 1f / 512));
        assertValues(bf, s(1), 1 + 1.0 / 128);
    }

    @Test
    void clipWithOneOrBothLimitsAndVariadics() {
        Tensor x = f(s(4), -2, 0, 2, 4);
        assertValues(run1(new ElementwiseOp.Clip(), x, Tensor.scalar(0)), s(4), 0, 0, 2, 4);
        assertValues(run1(new ElementwiseOp.Clip(), x, null, Tensor.scalar(1)), s(4), -2, 0, 1, 1);
        assertValues(run1(new ElementwiseOp.Clip(), x, Tensor.scalar(-1), Tensor.scalar(3)), s(4), -1, 0, 2, 3);
        Tensor y = f(s(2, 1), 1, 10);
        assertValues(run1(new ElementwiseOp.Variadic(ElementwiseOp.VariadicFn.SUM), x, y, Tensor.scalar(1)), s(2, 4), 0, 2, 4, 6, 9, 11, 13, 15);
        assertValues(run1(new ElementwiseOp.Variadic(ElementwiseOp.VariadicFn.MEAN), x, y), s(2, 4), -0.5, 0.5, 1.5, 2.5, 4, 5, 6, 7);
        assertValues(run1(new ElementwiseOp.Variadic(ElementwiseOp.VariadicFn.MAX), x, y), s(2, 4), 1, 1, 2, 4, 10, 10, 10, 10);
    }

    @Test
    void softmaxAndLogSoftmaxAlongAnAxis() {
        Tensor x = f(s(2, 3), 1, 2, 3, 1000, 1000, 1000);
        double[] p = {0.09003057317038046, 0.24472847105479764, 0.6652409557748219};
        assertValues(run1(new NeuralOp.Softmax(-1), x), s(2, 3), new double[] {p[0], p[1], p[2], 1.0 / 3, 1.0 / 3, 1.0 / 3}, 1e-7);
        assertValues(run1(new NeuralOp.LogSoftmax(1), x), s(2, 3),
                new double[] {Math.log(p[0]), Math.log(p[1]), Math.log(p[2]), -Math.log(3), -Math.log(3), -Math.log(3)}, 1e-6);
        // along axis 0: each column pair
        assertValues(run1(new NeuralOp.Softmax(0), f(s(2, 1), 0, 0)), s(2, 1), 0.5, 0.5);
    }

    @Test
    void layerAndBatchNormalization() {
        Tensor x = f(s(2, 3), 1, 2, 3, 2, 4, 6);
        var outs = run(new NeuralOp.LayerNormalization(-1, 0), 3, x, f(s(3), 1, 2, 3), f(s(3), 0, 1, 0));
        double z = Math.sqrt(1.5); // (x - mean) / std for 1,2,3 is -sqrt(3/2), 0, sqrt(3/2)
        assertValues(outs.get(0), s(2, 3), new double[] {-z, 1, 3 * z, -z, 1, 3 * z}, 1e-6);
        assertValues(outs.get(1), s(2, 1), 2, 4);
        assertValues(outs.get(2), s(2, 1), new double[] {1 / Math.sqrt(2.0 / 3), 1 / Math.sqrt(8.0 / 3)}, 1e-6);
        Tensor bn = run1(new NeuralOp.BatchNormalization(0), f(s(1, 2, 2), 1, 3, 10, 20),
                f(s(2), 2, 1), f(s(2), 0, 5), f(s(2), 2, 15), f(s(2), 1, 25));
        assertValues(bn, s(1, 2, 2), -2, 2, 4, 6);
    }

    @Test
    void gemmAndBatchedMatMulAgainstLoops() {
        Random r = new Random(12);
        Tensor a = random(r, 4, 3), b = random(r, 5, 4), c = random(r, 5);
        Tensor y = run1(new NeuralOp.Gemm(0.5f, 2f, true, true), a, b, c);
        assertArrayEquals(s(3, 5), y.shape());
        for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) {
            double acc = 0;
            for (int k = 0; k < 4; k++) acc += a.getDouble(k * 3 + i) * b.getDouble(j * 4 + k);
            assertEquals(0.5 * acc + 2 * c.getDouble(j), y.getDouble(i * 5 + j), 1e-6);
        }
        Tensor p = random(r, 2, 1, 2, 3), q = random(r, 3, 3, 2);
        Tensor m = run1(new NeuralOp.MatMul(), p, q);
        assertArrayEquals(s(2, 3, 2, 2), m.shape());
        for (int b0 = 0; b0 < 2; b0++) for (int b1 = 0; b1 < 3; b1++) for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) {
            double acc = 0;
            for (int k = 0; k < 3; k++) acc += p.getDouble((b0 * 2 + i) * 3 + k) * q.getDouble((b1 * 3 + k) * 2 + j);
            assertEquals(acc, m.getDouble(((b0 * 3 + b1) * 2 + i) * 2 + j), 1e-9);
        }
        assertValues(run1(new NeuralOp.MatMul(), f(s(3), 1, 2, 3), f(s(3), 4, 5, 6)), s(), 32);
        assertValues(run1(new NeuralOp.MatMul(), f(s(3), 1, 2, 3), f(s(3, 1), 4, 5, 6)), s(1), 32);
    }
}
