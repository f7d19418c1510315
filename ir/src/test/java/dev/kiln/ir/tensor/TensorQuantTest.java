package dev.kiln.ir.tensor;

import static dev.kiln.ir.tensor.TensorTesting.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.tensor.QuantizedOp.DequantizeLinear;
import dev.kiln.ir.tensor.QuantizedOp.QuantizeLinear;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TensorQuantTest {
    private static final QuantizeLinear Q = new QuantizeLinear(1, 0, Optional.empty());
    private static final DequantizeLinear DQ = new DequantizeLinear(1, 0, Optional.empty());

    @Test
    void quantizeRoundsHalfToEvenThenAddsTheZeroPointAndSaturates() {
        // ONNX's example: scale 2, zero point 128 (uint8)
        Tensor y = run1(Q, f(s(6), 0, 2, 3, 1000, -254, -1000), Tensor.scalar(2), Tensor.scalar(ElementType.UINT8, 128));
        assertEquals(ElementType.UINT8, y.type());
        assertArrayEquals(new long[] {128, 129, 130, 255, 1, 0}, y.toLongArray());
        Tensor halves = run1(Q, f(s(7), 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 200, -200), Tensor.scalar(1), Tensor.scalar(ElementType.INT8, 0));
        assertArrayEquals(new long[] {0, 2, 2, 0, -2, 127, -128}, halves.toLongArray());
        // without a zero point the result is uint8
        assertEquals(ElementType.UINT8, run1(Q, f(s(1), 3), Tensor.scalar(1)).type());
    }

    @Test
    void perAxisAndBlockedScales() {
        Tensor x = f(s(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor perAxis = run1(Q, x, f(s(3), 1, 2, 4), Tensor.longs(ElementType.INT8, s(3), 0, 10, -10));
        // columns divided by 1, 2, 4 then shifted by 0, 10, -10: 1, 1+10, round(0.75)-10; 4, round(2.5)+10, round(1.5)-10
        assertArrayEquals(new long[] {1, 11, -9, 4, 12, -8}, perAxis.toLongArray());
        Tensor blocked = run1(new QuantizeLinear(1, 2, Optional.of(ElementType.INT8)), x, f(s(2, 2), 1, 10, 2, 20));
        // columns {0,1} use the first scale of the row, column 2 the second: 1, 2, 0.3 -> 0; 2, 2.5 -> 2, 0.3 -> 0
        assertArrayEquals(new long[] {1, 2, 0, 2, 2, 0}, blocked.toLongArray());
    }

    @Property(tries = 200)
    void dequantizeThenQuantizeIsTheIdentityOnEveryInt8(@ForAll @IntRange(min = -128, max = 127) int zp,
                                                         @ForAll @FloatRange(min = 0.01f, max = 10f) float scale) {
        long[] all = new long[256];
        for (int i = 0; i < 256; i++) all[i] = i - 128;
        Tensor q = Tensor.longs(ElementType.INT8, s(256), all);
        Tensor zpT = Tensor.scalar(ElementType.INT8, zp);
        Tensor real = run1(DQ, q, Tensor.scalar(scale), zpT);
        assertEquals(q, run1(Q, real, Tensor.scalar(scale), zpT));
    }

    @Property(tries = 200)
    void quantizeThenDequantizeIsWithinHalfAStepInRange(@ForAll @FloatRange(min = -50, max = 50) float v,
                                                        @ForAll @FloatRange(min = 0.5f, max = 2f) float scale) {
        Tensor zp = Tensor.scalar(ElementType.INT8, 3);
        Tensor back = run1(DQ, run1(Q, f(s(1), v), Tensor.scalar(scale), zp), Tensor.scalar(scale), zp);
        assertEquals(v, back.getDouble(0), scale / 2 * 1.0001);
    }

    @Test
    void dynamicQuantizeLinearMatchesTheOnnxExamples() {
        // expected values from numpy running the formula in the ONNX operator documentation
        List<Tensor> out = run(new QuantizedOp.DynamicQuantizeLinear(), 3, f(s(6), 0, 2, -3, -2.5f, 1.34f, 0.5f));
        assertArrayEquals(new long[] {153, 255, 0, 26, 221, 179}, out.get(0).toLongArray());
        assertEquals(0.019607844f, (float) out.get(1).getDouble(0));
        assertEquals(153, out.get(2).getLong(0));
        out = run(new QuantizedOp.DynamicQuantizeLinear(), 3, f(s(6), -1, -2.1f, -1.3f, -2.5f, -3.34f, -4));
        assertArrayEquals(new long[] {191, 121, 172, 96, 42, 0}, out.get(0).toLongArray());
        assertEquals(255, out.get(2).getLong(0));
        // no range at all: the reference takes the range as 1
        out = run(new QuantizedOp.DynamicQuantizeLinear(), 3, f(s(2), 0, 0));
        assertArrayEquals(new long[] {0, 0}, out.get(0).toLongArray());
        assertEquals(1f / 255, (float) out.get(1).getDouble(0));
    }

    @Test
    void matMulIntegerSubtractsPerRowAndPerColumnZeroPoints() {
        Random r = new Random(7);
        long[] a = new long[12], b = new long[20];
        for (int i = 0; i < a.length; i++) a[i] = r.nextInt(256);
        for (int i = 0; i < b.length; i++) b[i] = r.nextInt(256) - 128;
        Tensor at = Tensor.longs(ElementType.UINT8, s(3, 4), a), bt = Tensor.longs(ElementType.INT8, s(4, 5), b);
        Tensor azp = Tensor.longs(ElementType.UINT8, s(3), 10, 128, 255), bzp = Tensor.longs(ElementType.INT8, s(5), -1, 0, 1, 2, 3);
        Tensor y = run1(new QuantizedOp.MatMulInteger(), at, bt, azp, bzp);
        assertEquals(ElementType.INT32, y.type());
        for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) {
            long acc = 0;
            for (int k = 0; k < 4; k++) acc += (a[i * 4 + k] - azp.getLong(i)) * (b[k * 5 + j] - bzp.getLong(j));
            assertEquals(acc, y.getLong(i * 5 + j));
        }
    }

    /** QLinearMatMul is dequantize → float matmul → quantize, done in one step. */
    @Test
    void qlinearMatMulEqualsDequantizeMatMulQuantize() {
        Random r = new Random(8);
        long[] a = new long[6], b = new long[6];
        for (int i = 0; i < 6; i++) { a[i] = r.nextInt(256); b[i] = r.nextInt(256); }
        Tensor at = Tensor.longs(ElementType.UINT8, s(2, 3), a), bt = Tensor.longs(ElementType.UINT8, s(3, 2), b);
        Tensor as = Tensor.scalar(0.0625f), azp = Tensor.scalar(ElementType.UINT8, 100);
        Tensor bs = Tensor.scalar(0.125f), bzp = Tensor.scalar(ElementType.UINT8, 120);
        Tensor ys = Tensor.scalar(8f), yzp = Tensor.scalar(ElementType.UINT8, 50);
        Tensor y = run1(new QuantizedOp.QLinearMatMul(), at, as, azp, bt, bs, bzp, ys, yzp);
        Tensor ref = run1(Q, run1(new NeuralOp.MatMul(), run1(DQ, at, as, azp), run1(DQ, bt, bs, bzp)), ys, yzp);
        assertEquals(ref, y);
    }

    @Test
    void qlinearConvWithPerChannelWeightsEqualsTheFloatPath() {
        Random r = new Random(9);
        long[] x = new long[2 * 4 * 4], w = new long[3 * 2 * 2 * 2];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(256);
        for (int i = 0; i < w.length; i++) w[i] = r.nextInt(256) - 128;
        Tensor xt = Tensor.longs(ElementType.UINT8, s(1, 2, 4, 4), x), wt = Tensor.longs(ElementType.INT8, s(3, 2, 2, 2), w);
        Tensor xs = Tensor.scalar(0.5f), xzp = Tensor.scalar(ElementType.UINT8, 128);
        Tensor ws = f(s(3), 0.25f, 0.5f, 1), wzp = Tensor.longs(ElementType.INT8, s(3), 0, 0, 0);
        Tensor ys = Tensor.scalar(16f), yzp = Tensor.scalar(ElementType.INT8, -5);
        Tensor bias = Tensor.longs(ElementType.INT32, s(3), 100, -100, 7);
        Window win = Window.DEFAULT.withPads(1, 0, 0, 1);
        Tensor y = run1(new QuantizedOp.QLinearConv(win, 1), xt, xs, xzp, wt, ws, wzp, ys, yzp, bias);
        // float path: bias dequantized with scale x_scale * w_scale[m]
        Tensor xf = run1(DQ, xt, xs, xzp), wf = run1(new DequantizeLinear(0, 0, Optional.empty()), wt, ws, wzp);
        float[] bf = {100 * 0.5f * 0.25f, -100 * 0.5f * 0.5f, 7 * 0.5f};
        Tensor yf = run1(new NeuralOp.Conv(win, 1), xf, wf, f(s(3), bf));
        assertEquals(run1(Q, yf, ys, yzp), y);
    }

    @Test
    void badScaleShapesAreRejected() {
        TensorGraphException e = assertThrows(TensorGraphException.class, () -> graph(Q, 1, f(s(2, 3), 1, 2, 3, 4, 5, 6), f(s(2), 1, 2)));
        assertEquals("node n (QuantizeLinear): scale length and the size of axis 1 differ: 2 against 3", e.getMessage());
    }
}
