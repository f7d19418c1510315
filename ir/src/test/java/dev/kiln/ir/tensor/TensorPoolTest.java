package dev.kiln.ir.tensor;

import static dev.kiln.ir.tensor.TensorTesting.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kiln.ir.tensor.NeuralOp.AveragePool;
import dev.kiln.ir.tensor.NeuralOp.MaxPool;
import org.junit.jupiter.api.Test;

/** Pools on 1..16 and 1..9 grids, answers worked out by hand from the window contents. */
class TensorPoolTest {
    private static Tensor grid(int h, int w, int sign) {
        float[] v = new float[h * w];
        for (int i = 0; i < v.length; i++) v[i] = sign * (i + 1);
        return f(s(1, 1, h, w), v);
    }

    @Test
    void ceilModeAddsPartialWindowsAndAveragesOnlyWhatTheyCover() {
        Tensor x = grid(4, 4, 1);
        Window k3s2 = Window.kernel(3, 3).withStrides(2, 2);
        assertValues(run1(new MaxPool(k3s2, false), x), s(1, 1, 1, 1), 11);
        assertValues(run1(new MaxPool(k3s2, true), x), s(1, 1, 2, 2), 11, 12, 15, 16);
        // windows {1,2,3,5,6,7,9,10,11}, {3,4,7,8,11,12}, {9,10,11,13,14,15}, {11,12,15,16}
        assertValues(run1(new AveragePool(k3s2, true, false), x), s(1, 1, 2, 2), 6, 7.5, 12, 13.5);
        // without pads, count_include_pad has no padding to count: the window part past the input is not charged
        assertValues(run1(new AveragePool(k3s2, true, true), x), s(1, 1, 2, 2), 6, 7.5, 12, 13.5);
    }

    @Test
    void padsCountOnlyWithCountIncludePadAndNeverWinAMax() {
        Tensor x = grid(3, 3, 1);
        Window k2p1 = Window.kernel(2, 2).withPads(1, 1, 1, 1);
        // corner windows hold one element (1, 3, 7, 9), edge windows two, inner windows four
        assertValues(run1(new AveragePool(k2p1, false, false), x), s(1, 1, 4, 4),
                1, 1.5, 2.5, 3, 2.5, 3, 4, 4.5, 5.5, 6, 7, 7.5, 7, 7.5, 8.5, 9);
        assertValues(run1(new AveragePool(k2p1, false, true), x), s(1, 1, 4, 4),
                0.25, 0.75, 1.25, 0.75, 1.25, 3, 4, 2.25, 2.75, 6, 7, 3.75, 1.75, 3.75, 4.25, 2.25);
        assertValues(run1(new MaxPool(k2p1, false), grid(3, 3, -1)), s(1, 1, 4, 4),
                -1, -1, -2, -3, -1, -1, -2, -3, -4, -4, -5, -6, -7, -7, -8, -9);
    }

    @Test
    void dilatedWindowsSkipElements() {
        assertValues(run1(new MaxPool(Window.kernel(2, 2).withDilations(2, 2), false), grid(4, 4, 1)), s(1, 1, 2, 2), 11, 12, 15, 16);
        assertValues(run1(new AveragePool(Window.kernel(2, 2).withDilations(2, 2), false, false), grid(4, 4, 1)), s(1, 1, 2, 2),
                6, 7, 10, 11);
    }

    @Test
    void aLastWindowStartingInTheEndPaddingIsDropped() {
        // size 5, kernel 2, stride 2, pads 1+1, ceil: ceil(5/2)+1 = 4 windows, but the 4th starts at 6 - 1 = 5, in the padding
        Tensor y = run1(new MaxPool(Window.kernel(2).withStrides(2).withPads(1, 1), true), f(s(1, 1, 5), 1, 2, 3, 4, 5));
        assertValues(y, s(1, 1, 3), 1, 3, 5);
    }

    @Test
    void sameUpperPoolKeepsCeilOfSizeOverStride() {
        Tensor y = run1(new MaxPool(Window.kernel(3, 3).withStrides(2, 2).withAutoPad(AutoPad.SAME_UPPER), false), grid(5, 5, 1));
        // total pad (3-1)*2 + 3 - 5 = 2 per axis, 1 each side: windows centred on 0, 2, 4
        assertValues(y, s(1, 1, 3, 3), 7, 9, 10, 17, 19, 20, 22, 24, 25);
    }

    @Test
    void globalPoolsReduceEverySpatialAxis() {
        Tensor x = f(s(1, 2, 2, 2), 1, 2, 3, 4, -1, -2, -3, -8);
        assertValues(run1(new NeuralOp.GlobalAveragePool(), x), s(1, 2, 1, 1), 2.5, -3.5);
        assertValues(run1(new NeuralOp.GlobalMaxPool(), x), s(1, 2, 1, 1), 4, -1);
        assertArrayEquals(s(1, 2, 1, 1), run1(new NeuralOp.GlobalMaxPool(), x).shape());
    }
}
