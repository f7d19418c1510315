package dev.kiln.ir.tensor;

import static dev.kiln.ir.tensor.TensorTesting.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.tensor.LayoutOp.PadMode;
import dev.kiln.ir.tensor.ReductionOp.ReduceFn;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TensorLayoutTest {
    private static Tensor iota(long... shape) {
        int n = 1;
        for (long d : shape) n *= (int) d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return f(shape, v);
    }

    @Test
    void reshapeCopiesZerosInfersMinusOneAndFlattens() {
        Tensor x = iota(2, 3, 4);
        assertArrayEquals(s(2, 4, 3), run1(new LayoutOp.Reshape(false), x, i64(0, -1, 3)).shape());
        assertArrayEquals(s(24), run1(new LayoutOp.Reshape(false), x, i64(-1)).shape());
        assertArrayEquals(s(0, 5), run1(new LayoutOp.Reshape(true), Tensor.zeros(ElementType.FLOAT32, s(0, 5)), i64(0, 5)).shape());
        assertArrayEquals(s(6, 4), run1(new LayoutOp.Flatten(2), x).shape());
        assertArrayEquals(s(1, 24), run1(new LayoutOp.Flatten(0), x).shape());
        assertArrayEquals(s(2, 12), run1(new LayoutOp.Flatten(-2), x).shape());
        TensorGraphException e = assertThrows(TensorGraphException.class, () -> graph(new LayoutOp.Reshape(false), 1, x, i64(5, -1)));
        assertEquals("node n (Reshape): cannot reshape [2,3,4] (24 elements) to [5, -1]", e.getMessage());
    }

    @Test
    void transposeByPermAndByDefault() {
        Tensor x = iota(2, 3);
        assertValues(run1(new LayoutOp.Transpose(List.of()), x), s(3, 2), 0, 3, 1, 4, 2, 5);
        Tensor y = run1(new LayoutOp.Transpose(List.of(1L, 2L, 0L)), iota(2, 3, 4));
        assertArrayEquals(s(3, 4, 2), y.shape());
        // y[i][j][k] = x[k][i][j] = 12k + 4i + j
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) for (int k = 0; k < 2; k++) {
            assertEquals(12 * k + 4 * i + j, y.getDouble((i * 4 + j) * 2 + k));
        }
    }

    @Test
    void gatherWithNegativeAndMatrixIndices() {
        Tensor x = iota(3, 4);
        assertValues(run1(new LayoutOp.Gather(0), x, i64(-1, 0)), s(2, 4), 8, 9, 10, 11, 0, 1, 2, 3);
        Tensor idx = Tensor.int64(s(2, 2), 3, 0, 1, -1);
        Tensor y = run1(new LayoutOp.Gather(1), x, idx);
        assertArrayEquals(s(3, 2, 2), y.shape());
        assertValues(y, s(3, 2, 2), 3, 0, 1, 3, 7, 4, 5, 7, 11, 8, 9, 11);
        assertValues(run1(new LayoutOp.Gather(0), x, Tensor.int64(s(), 1)), s(4), 4, 5, 6, 7);
        TensorGraphException e = assertThrows(TensorGraphException.class, () -> graph(new LayoutOp.Gather(0), 1, x, i64(3)));
        assertEquals("node n (Gather): index 3 is out of range [-3, 2] of axis 0 of [3,4]", e.getMessage());
    }

    @Test
    void sliceClampsAndStepsBackwards() {
        Tensor x = iota(10);
        assertValues(run1(new LayoutOp.Slice(), x, i64(-1), i64(-100), i64(0), i64(-2)), s(5), 9, 7, 5, 3, 1);
        assertValues(run1(new LayoutOp.Slice(), x, i64(2), i64(1000)), s(8), 2, 3, 4, 5, 6, 7, 8, 9);
        assertValues(run1(new LayoutOp.Slice(), x, i64(7), i64(3)), s(0));
        Tensor m = iota(3, 4);
        assertValues(run1(new LayoutOp.Slice(), m, i64(1, -3), i64(1000, -1), i64(1, 0), i64(2, 1)), s(2, 2), 1, 3, 5, 7);
    }

    @Test
    void padModes() {
        Tensor x = f(s(3), 1, 2, 3);
        assertValues(run1(new LayoutOp.Pad(PadMode.REFLECT), x, i64(2, 1)), s(6), 3, 2, 1, 2, 3, 2);
        assertValues(run1(new LayoutOp.Pad(PadMode.EDGE), x, i64(2, 1)), s(6), 1, 1, 1, 2, 3, 3);
        assertValues(run1(new LayoutOp.Pad(PadMode.CONSTANT), x, i64(2, 1), Tensor.scalar(9)), s(6), 9, 9, 1, 2, 3, 9);
        assertValues(run1(new LayoutOp.Pad(PadMode.CONSTANT), x, i64(-1, 1)), s(3), 2, 3, 0);
        // pads on the listed axes only
        assertValues(run1(new LayoutOp.Pad(PadMode.CONSTANT), iota(2, 2), i64(1, 0), null, i64(-1)), s(2, 3), 0, 0, 1, 0, 2, 3);
    }

    @Test
    void concatSplitExpandRangeShapeAndConstantOfShape() {
        assertValues(run1(new LayoutOp.Concat(-1), iota(2, 1), iota(2, 2)), s(2, 3), 0, 0, 1, 1, 2, 3);
        List<Tensor> parts = run(new LayoutOp.Split(0), 2, iota(5));
        assertValues(parts.get(0), s(3), 0, 1, 2);
        assertValues(parts.get(1), s(2), 3, 4);
        parts = run(new LayoutOp.Split(1), 2, iota(2, 3), i64(1, 2));
        assertValues(parts.get(1), s(2, 2), 1, 2, 4, 5);
        assertValues(run1(new LayoutOp.Expand(), f(s(3, 1), 1, 2, 3), i64(2, 1, 2)), s(2, 3, 2), 1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3);
        assertArrayEquals(new long[] {1, 4, 7}, run1(new LayoutOp.Range(), Tensor.scalar(ElementType.INT64, 1), Tensor.scalar(ElementType.INT64, 10),
                Tensor.scalar(ElementType.INT64, 3)).toLongArray());
        assertValues(run1(new LayoutOp.Range(), Tensor.scalar(1), Tensor.scalar(0), Tensor.scalar(-0.25f)), s(4), 1, 0.75, 0.5, 0.25);
        Tensor x = Tensor.zeros(ElementType.BOOL, s(2, 3, 4, 5));
        assertArrayEquals(new long[] {3, 4}, run1(new LayoutOp.Shape(1, Optional.of(-1L)), x).toLongArray());
        assertArrayEquals(new long[] {4, 5}, run1(new LayoutOp.Shape(-2, Optional.empty()), x).toLongArray());
        assertEquals(Tensor.int64(s(2, 2), 7, 7, 7, 7), run1(new LayoutOp.ConstantOfShape(Tensor.int64(s(1), 7)), i64(2, 2)));
    }

    @Test
    void squeezeAndUnsqueezeCountAxesDifferently() {
        Tensor x = iota(1, 3, 1);
        assertArrayEquals(s(3), run1(new LayoutOp.Squeeze(), x).shape());
        assertArrayEquals(s(1, 3), run1(new LayoutOp.Squeeze(), x, i64(-1)).shape());
        // Unsqueeze axes count in the output: -1 is the new last axis
        assertArrayEquals(s(1, 1, 3, 1, 1), run1(new LayoutOp.Unsqueeze(), x, i64(0, -1)).shape());
        TensorGraphException e = assertThrows(TensorGraphException.class, () -> graph(new LayoutOp.Squeeze(), 1, x, i64(1)));
        assertEquals("node n (Squeeze): cannot squeeze axis 1 of [1,3,1]: its size is 3", e.getMessage());
    }

    @Test
    void reductionsArgMaxAndTopK() {
        Tensor x = f(s(2, 3), 1, 5, 3, 4, 2, 6);
        assertValues(run1(new ReductionOp.Reduce(ReduceFn.SUM, true, false), x, i64(1)), s(2, 1), 9, 12);
        assertValues(run1(new ReductionOp.Reduce(ReduceFn.MEAN, false, false), x), s(), 3.5);
        assertValues(run1(new ReductionOp.Reduce(ReduceFn.MAX, false, false), x, i64(-2)), s(3), 4, 5, 6);
        assertValues(run1(new ReductionOp.Reduce(ReduceFn.SUM, true, true), x, Tensor.int64(s(0))), s(2, 3), 1, 5, 3, 4, 2, 6);
        Tensor ties = f(s(5), 3, 1, 3, 2, 1);
        assertArrayEquals(new long[] {0}, run1(new ReductionOp.ArgMax(0, true, false), ties).toLongArray());
        assertArrayEquals(new long[] {2}, run1(new ReductionOp.ArgMax(0, true, true), ties).toLongArray());
        List<Tensor> top = run(new ReductionOp.TopK(-1, true, true), 2, ties, i64(3));
        assertValues(top.get(0), s(3), 3, 3, 2);
        assertArrayEquals(new long[] {0, 2, 3}, top.get(1).toLongArray());
        List<Tensor> bottom = run(new ReductionOp.TopK(0, false, true), 2, ties, i64(2));
        assertArrayEquals(new long[] {1, 4}, bottom.get(1).toLongArray());
    }
}
