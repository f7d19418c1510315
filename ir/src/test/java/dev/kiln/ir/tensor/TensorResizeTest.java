package dev.kiln.ir.tensor;

import static dev.kiln.ir.tensor.TensorTesting.*;

import dev.kiln.ir.tensor.LayoutOp.CoordinateTransform;
import dev.kiln.ir.tensor.LayoutOp.NearestMode;
import dev.kiln.ir.tensor.LayoutOp.Resize;
import dev.kiln.ir.tensor.LayoutOp.ResizeMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resize on 2x2 and 2x4 inputs; the expected grids are the ONNX operator examples, recomputed by hand. */
class TensorResizeTest {
    private static final Tensor X = f(s(1, 1, 2, 2), 1, 2, 3, 4);

    private static Resize resize(ResizeMode mode, CoordinateTransform ct, NearestMode nm) {
        return new Resize(mode, ct, nm, List.of());
    }

    @Test
    void nearestHalfPixelUpsample() {
        Tensor y = run1(resize(ResizeMode.NEAREST, CoordinateTransform.HALF_PIXEL, NearestMode.ROUND_PREFER_FLOOR),
                X, null, f(s(4), 1, 1, 2, 3));
        assertValues(y, s(1, 1, 4, 6), 1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4);
    }

    @Test
    void nearestDownsampleRoundsTheScaledSizeDown() {
        Tensor x = f(s(1, 1, 2, 4), 1, 2, 3, 4, 5, 6, 7, 8);
        // sizes floor(2*0.6)=1, floor(4*0.6)=2; source x of output 1 is 1.5/0.6 - 0.5 = 2
        Tensor y = run1(resize(ResizeMode.NEAREST, CoordinateTransform.HALF_PIXEL, NearestMode.ROUND_PREFER_FLOOR),
                x, null, f(s(4), 1, 1, 0.6f, 0.6f));
        assertValues(y, s(1, 1, 1, 2), 1, 3);
    }

    @Test
    void nearestModesDifferOnlyAtHalves() {
        Tensor x = f(s(4), 10, 20, 30, 40);
        // asymmetric, 4 -> 8: sources 0, .5, 1, 1.5, 2, 2.5, 3, 3.5
        Tensor floor = run1(resize(ResizeMode.NEAREST, CoordinateTransform.ASYMMETRIC, NearestMode.ROUND_PREFER_FLOOR), x, null, null, i64(8));
        Tensor ceil = run1(resize(ResizeMode.NEAREST, CoordinateTransform.ASYMMETRIC, NearestMode.ROUND_PREFER_CEIL), x, null, null, i64(8));
        Tensor up = run1(resize(ResizeMode.NEAREST, CoordinateTransform.ASYMMETRIC, NearestMode.CEIL), x, null, null, i64(8));
        assertValues(floor, s(8), 10, 10, 20, 20, 30, 30, 40, 40);
        assertValues(ceil, s(8), 10, 20, 20, 30, 30, 40, 40, 40);
        assertValues(up, s(8), 10, 20, 20, 30, 30, 40, 40, 40);
    }

    @Test
    void linearHalfPixelClampsAtTheEdges() {
        Tensor y = run1(resize(ResizeMode.LINEAR, CoordinateTransform.HALF_PIXEL, NearestMode.ROUND_PREFER_FLOOR),
                X, null, f(s(4), 1, 1, 2, 2));
        assertValues(y, s(1, 1, 4, 4), 1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4);
    }

    @Test
    void linearAlignCornersKeepsTheCorners() {
        Tensor y = run1(resize(ResizeMode.LINEAR, CoordinateTransform.ALIGN_CORNERS, NearestMode.ROUND_PREFER_FLOOR),
                X, null, null, i64(1, 1, 4, 4));
        double t = 1.0 / 3;
        double[] row0 = {1, 1 + t, 1 + 2 * t, 2};
        double[] expected = new double[16];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) expected[i * 4 + j] = row0[j] + 2 * t * i;
        assertValues(y, s(1, 1, 4, 4), expected, 1e-6);
    }

    @Test
    void linearAsymmetricAndPytorchHalfPixelOnOneAxis() {
        Tensor x = f(s(3), 0, 3, 6);
        // asymmetric 3 -> 5 (scale 5/3): sources 0, .6, 1.2, 1.8, 2.4 -> clamp at 2
        assertValues(run1(new Resize(ResizeMode.LINEAR, CoordinateTransform.ASYMMETRIC, NearestMode.FLOOR, List.of()), x, null, null, i64(5)),
                s(5), new double[] {0, 1.8, 3.6, 5.4, 6}, 1e-5);
        // pytorch_half_pixel to length 1 samples coordinate 0
        assertValues(run1(new Resize(ResizeMode.LINEAR, CoordinateTransform.PYTORCH_HALF_PIXEL, NearestMode.FLOOR, List.of()), x, null, null, i64(1)),
                s(1), 0);
    }

    @Test
    void axesRestrictWhichDimsScale() {
        Tensor y = run1(new Resize(ResizeMode.NEAREST, CoordinateTransform.ASYMMETRIC, NearestMode.FLOOR, List.of(-1L)),
                X, null, f(s(1), 2));
        assertValues(y, s(1, 1, 2, 4), 1, 1, 2, 2, 3, 3, 4, 4);
    }
}
