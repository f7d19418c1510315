package dev.kiln.ir.tensor;

import static dev.kiln.ir.tensor.TensorTesting.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.tensor.NeuralOp.Conv;
import dev.kiln.ir.tensor.NeuralOp.ConvTranspose;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorConvTest {
    /**
     * Independent 2-D convolution: pad the input into a bigger zero array first, then correlate
     * without any bounds checks (the kernel under test checks bounds instead of padding).
     */
    private static double[][][][] naiveConv2d(Tensor x, Tensor w, long[] bias, int sh, int sw, int dh, int dw,
                                             int pt, int pl, int pb, int pr, int group) {
        int n = (int) x.dim(0), c = (int) x.dim(1), h = (int) x.dim(2), wd = (int) x.dim(3);
        int m = (int) w.dim(0), cg = (int) w.dim(1), kh = (int) w.dim(2), kw = (int) w.dim(3);
        double[][][][] padded = new double[n][c][h + pt + pb][wd + pl + pr];
        for (int a = 0; a < n; a++) for (int ch = 0; ch < c; ch++) for (int i = 0; i < h; i++) for (int j = 0; j < wd; j++) {
            padded[a][ch][i + pt][j + pl] = x.getDouble(((a * c + ch) * h + i) * wd + j);
        }
        int oh = (h + pt + pb - dh * (kh - 1) - 1) / sh + 1, ow = (wd + pl + pr - dw * (kw - 1) - 1) / sw + 1;
        double[][][][] y = new double[n][m][oh][ow];
        int mg = m / group;
        for (int a = 0; a < n; a++) for (int oc = 0; oc < m; oc++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
            double acc = bias.length == 0 ? 0 : bias[oc];
            int g = oc / mg;
            for (int ic = 0; ic < cg; ic++) for (int u = 0; u < kh; u++) for (int v = 0; v < kw; v++) {
                acc += padded[a][g * cg + ic][i * sh + u * dh][j * sw + v * dw] * w.getDouble(((oc * cg + ic) * kh + u) * kw + v);
            }
            y[a][oc][i][j] = acc;
        }
        return y;
    }

    private static void assertMatches(double[][][][] expected, Tensor y) {
        int at = 0;
        assertArrayEquals(new long[] {expected.length, expected[0].length, expected[0][0].length, expected[0][0][0].length}, y.shape());
        for (double[][][] a : expected) for (double[][] b : a) for (double[] c : b) for (double v : c) {
            assertEquals(v, y.getDouble(at), 1e-9, "element " + at);
            at++;
        }
    }

    @Test
    void convMatchesNaiveWithStridesDilationsAsymmetricPadsAndBias() {
        Random r = new Random(1);
        Tensor x = random(r, 2, 3, 7, 6), w = random(r, 4, 3, 3, 2);
        Tensor b = f(s(4), 0.5f, -1, 2, 0.25f);
        Window win = Window.DEFAULT.withStrides(2, 1).withDilations(1, 2).withPads(1, 0, 2, 1);
        Tensor y = run1(new Conv(win, 1), x, w, b);
        assertMatches(naiveConv2d(x, w, new long[0], 2, 1, 1, 2, 1, 0, 2, 1, 1) /* bias below */, minusBias(y, b));
    }

    private static Tensor minusBias(Tensor y, Tensor b) {
        float[] v = new float[y.size()];
        int spatial = (int) (y.dim(2) * y.dim(3));
        for (int i = 0; i < v.length; i++) v[i] = (float) (y.getDouble(i) - b.getDouble((i / spatial) % (int) y.dim(1)));
        return Tensor.floats(y.shape(), v);
    }

    @Test
    void autoPadSameUpperAndLowerPlaceTheOddPadDifferently() {
        Random r = new Random(2);
        Tensor x = random(r, 1, 1, 5, 5), w = random(r, 1, 1, 2, 2);
        Tensor upper = run1(new Conv(Window.DEFAULT.withAutoPad(AutoPad.SAME_UPPER), 1), x, w);
        Tensor lower = run1(new Conv(Window.DEFAULT.withAutoPad(AutoPad.SAME_LOWER), 1), x, w);
        // total pad 1 per axis: SAME_UPPER pads at the end, SAME_LOWER at the beginning.
        assertMatches(naiveConv2d(x, w, new long[0], 1, 1, 1, 1, 0, 0, 1, 1, 1), upper);
        assertMatches(naiveConv2d(x, w, new long[0], 1, 1, 1, 1, 1, 1, 0, 0, 1), lower);
        Tensor strided = run1(new Conv(Window.DEFAULT.withAutoPad(AutoPad.SAME_UPPER).withStrides(2, 2), 1), x, w);
        assertArrayEquals(s(1, 1, 3, 3), strided.shape());
    }

    @Test
    void oneByOneConvIsAMatMulOverChannels() {
        Random r = new Random(3);
        Tensor x = random(r, 1, 5, 3, 4), w = random(r, 6, 5, 1, 1);
        Tensor y = run1(new Conv(Window.DEFAULT, 1), x, w);
        // [6,5] x [5,12] is the same computation in matrix form.
        Tensor prod = run1(new NeuralOp.MatMul(), w.reshape(s(6, 5)), x.reshape(s(5, 12)));
        assertArrayEquals(prod.toDoubleArray(), y.toDoubleArray());
    }

    @Test
    void groupedConvEqualsSeparateConvsConcatenated() {
        Random r = new Random(4);
        Tensor x = random(r, 2, 6, 5, 5), w = random(r, 6, 2, 3, 3);
        Window win = Window.DEFAULT.withPads(1, 1, 1, 1);
        Tensor grouped = run1(new Conv(win, 3), x, w);
        Tensor[] outs = new Tensor[3];
        for (int g = 0; g < 3; g++) {
            Tensor xg = run1(new LayoutOp.Slice(), x, i64(2L * g), i64(2L * g + 2), i64(1));
            Tensor wg = run1(new LayoutOp.Slice(), w, i64(2L * g), i64(2L * g + 2), i64(0));
            outs[g] = run1(new Conv(win, 1), xg, wg);
        }
        assertEquals(run1(new LayoutOp.Concat(1), outs), grouped);
    }

    @Test
    void groupCountThatDoesNotDivideOutputChannelsIsAnError() {
        Random r = new Random(4);
        TensorGraphException e = org.junit.jupiter.api.Assertions.assertThrows(TensorGraphException.class,
                () -> graph(new Conv(Window.DEFAULT, 3), 1, random(r, 1, 6, 3, 3), random(r, 4, 2, 3, 3)));
        assertEquals("node n (Conv): 4 output channels do not divide into 3 groups", e.getMessage());
    }

    /** ConvTranspose is the adjoint of Conv: <Conv(x), y> == <x, ConvT(y)> for the same weight and geometry. */
    @Test
    void convTransposeIsTheAdjointOfConv() {
        Random r = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            int group = 1 + r.nextInt(2), cg = 1 + r.nextInt(2), mg = 1 + r.nextInt(2);
            int k = 1 + r.nextInt(3), stride = 1 + r.nextInt(2), dil = 1 + r.nextInt(2), pad = r.nextInt(k);
            int size = 4 + r.nextInt(4);
            Window win = Window.DEFAULT.withStrides(stride, stride).withDilations(dil, dil).withPads(pad, pad, pad, pad);
            Tensor x = random(r, 2, (long) cg * group, size, size + 1);
            Tensor w = random(r, (long) mg * group, cg, k, k);
            Tensor cx = run1(new Conv(win, group), x, w);
            Tensor y = random(r, cx.shape());
            // ConvTranspose reads its weight as [C_in, C_out/group, k...]: for the adjoint, Conv's [M, C/group, k...] as is.
            Tensor wt = w;
            // output_padding gives back the rows and columns a stride left unread, so the result has x's size.
            long oh = x.dim(2) - (stride * (cx.dim(2) - 1) + (long) dil * (k - 1) + 1 - 2L * pad);
            long ow = x.dim(3) - (stride * (cx.dim(3) - 1) + (long) dil * (k - 1) + 1 - 2L * pad);
            ConvTranspose ct = new ConvTranspose(win, group, List.of(oh, ow), List.of());
            Tensor ty = run1(ct, y, wt);
            assertArrayEquals(x.shape(), ty.shape());
            assertEquals(dot(cx, y), dot(x, ty), 1e-9, "trial " + trial);
        }
    }

    @Test
    void convTransposeShapeFollowsTheSpecFormula() {
        Tensor x = Tensor.zeros(ElementType.FLOAT32, s(1, 1, 3, 3)), w = Tensor.zeros(ElementType.FLOAT32, s(1, 2, 3, 3));
        // stride*(in-1) + output_padding + (k-1)*d + 1 - pads = 3*2 + 1 + 2 + 1 - 0 = 10, and 3*2 + 0 + 3 - 2 = 7
        Window win = Window.DEFAULT.withStrides(3, 2).withPads(0, 1, 0, 1);
        Tensor y = run1(new ConvTranspose(win, 1, List.of(1L, 0L), List.of()), x, w);
        assertArrayEquals(s(1, 2, 10, 5), y.shape());
        // ONNX's example: 1 channel [[0,1,2],[3,4,5],[6,7,8]] with a 3x3 ones kernel, two outputs.
        Tensor xs = f(s(1, 1, 3, 3), 0, 1, 2, 3, 4, 5, 6, 7, 8);
        float[] ones = new float[18];
        java.util.Arrays.fill(ones, 1);
        Tensor out = run1(new ConvTranspose(Window.DEFAULT, 1, List.of(), List.of()), xs, f(s(1, 2, 3, 3), ones));
        double[] plane = {0, 1, 3, 3, 2, 3, 8, 15, 12, 7, 9, 21, 36, 27, 15, 9, 20, 33, 24, 13, 6, 13, 21, 15, 8};
        double[] both = new double[50];
        System.arraycopy(plane, 0, both, 0, 25);
        System.arraycopy(plane, 0, both, 25, 25);
        assertValues(out, s(1, 2, 5, 5), both);
    }
}
