package dev.kiln.ir.tensor.eval;

import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.SliceRange;
import dev.kiln.ir.tensor.Tensor;
import java.util.List;
import java.util.Optional;

/** Data movement kernels; they copy elements, so they work for every element type. */
public final class LayoutKernels {
    private LayoutKernels() {}

    static Tensor concat(List<Tensor> xs, int axis, long[] outShape) {
        Tensor.Builder y = Tensor.builder(xs.getFirst().type(), outShape);
        int outer = Indexing.product(outShape, 0, axis), inner = Indexing.product(outShape, axis + 1, outShape.length);
        int outRow = (int) outShape[axis] * inner, offset = 0;
        for (Tensor x : xs) {
            int row = (int) x.dim(axis) * inner;
            for (int o = 0; o < outer; o++) for (int i = 0; i < row; i++) y.copy(o * outRow + offset + i, x, o * row + i);
            offset += row;
        }
        return y.build();
    }

    static Tensor transpose(Tensor x, int[] perm) {
        long[] xs = x.shape(), ys = new long[xs.length];
        for (int i = 0; i < perm.length; i++) ys[i] = xs[perm[i]];
        int[] inStrides = Indexing.strides(xs), idx = new int[ys.length];
        Tensor.Builder y = Tensor.builder(x.type(), ys);
        for (int e = 0; e < y.size(); e++) {
            Indexing.unravel(e, ys, idx);
            int off = 0;
            for (int d = 0; d < ys.length; d++) off += idx[d] * inStrides[perm[d]];
            y.copy(e, x, off);
        }
        return y.build();
    }

    static Tensor gather(Tensor x, Tensor indices, int axis, long[] outShape) {
        long[] xs = x.shape();
        int outer = Indexing.product(xs, 0, axis), inner = Indexing.product(xs, axis + 1, xs.length), dim = (int) xs[axis];
        int n = indices.size();
        Tensor.Builder y = Tensor.builder(x.type(), outShape);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < n; j++) {
                long k = indices.getLong(j);
                if (k < -dim || k >= dim) throw new IllegalArgumentException("index " + k + " is out of range [" + -dim + ", " + (dim - 1) + "] of axis " + axis);
                if (k < 0) k += dim;
                for (int i = 0; i < inner; i++) y.copy((o * n + j) * inner + i, x, (o * dim + (int) k) * inner + i);
            }
        }
        return y.build();
    }

    static Tensor slice(Tensor x, long[] starts, long[] ends, long[] axes, long[] steps, long[] outShape) {
        long[] xs = x.shape();
        long[] start = new long[xs.length], step = new long[xs.length];
        java.util.Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int ax = dev.kiln.ir.tensor.TensorShape.normalizeAxis(axes[i], xs.length);
            SliceRange r = SliceRange.of(starts[i], ends[i], steps.length == 0 ? 1 : steps[i], xs[ax]);
            start[ax] = r.start();
            step[ax] = r.step();
        }
        int[] inStrides = Indexing.strides(xs), idx = new int[xs.length];
        Tensor.Builder y = Tensor.builder(x.type(), outShape);
        for (int e = 0; e < y.size(); e++) {
            Indexing.unravel(e, outShape, idx);
            int off = 0;
            for (int d = 0; d < xs.length; d++) off += (int) (start[d] + idx[d] * step[d]) * inStrides[d];
            y.copy(e, x, off);
        }
        return y.build();
    }

    static Tensor pad(Tensor x, LayoutOp.PadMode mode, long[] pads, long[] axes, Optional<Tensor> value, long[] outShape) {
        long[] xs = x.shape(), before = new long[xs.length];
        for (int i = 0; i < axes.length; i++) before[dev.kiln.ir.tensor.TensorShape.normalizeAxis(axes[i], xs.length)] = pads[i];
        for (int d = 0; d < xs.length; d++) {
            boolean padded = outShape[d] > xs[d] || before[d] > 0;
            if (padded && xs[d] == 0 && mode != LayoutOp.PadMode.CONSTANT) {
                throw new IllegalArgumentException(mode + " padding of the empty axis " + d);
            }
        }
        int[] inStrides = Indexing.strides(xs), idx = new int[xs.length];
        Tensor.Builder y = Tensor.builder(x.type(), outShape);
        Tensor fill = value.orElse(Tensor.zeros(x.type(), new long[0]));
        for (int e = 0; e < y.size(); e++) {
            Indexing.unravel(e, outShape, idx);
            int off = 0;
            boolean outside = false;
            for (int d = 0; d < xs.length; d++) {
                long i = idx[d] - before[d], n = xs[d];
                if (i < 0 || i >= n) {
                    switch (mode) {
                        case CONSTANT -> outside = true;
                        case EDGE -> i = Math.clamp(i, 0, n - 1);
                        case REFLECT -> i = reflect(i, n);
                    }
                }
                off += (int) i * inStrides[d];
            }
            if (outside) y.copy(e, fill, 0);
            else y.copy(e, x, off);
        }
        return y.build();
    }

    /** Mirror index about the edges without repeating them: -1 → 1, n → n-2. */
    public static long reflect(long i, long n) {
        if (n == 1) return 0;
        long period = 2 * (n - 1);
        i = Math.floorMod(i, period);
        return i < n ? i : period - i;
    }

    static Tensor expand(Tensor x, long[] outShape) {
        int[] map = Indexing.broadcastMap(outShape, x.shape());
        Tensor.Builder y = Tensor.builder(x.type(), outShape);
        for (int e = 0; e < map.length; e++) y.copy(e, x, map[e]);
        return y.build();
    }

    static Tensor[] split(Tensor x, int axis, List<long[]> outShapes) {
        long[] xs = x.shape();
        int outer = Indexing.product(xs, 0, axis), inner = Indexing.product(xs, axis + 1, xs.length), row = (int) xs[axis] * inner;
        Tensor[] out = new Tensor[outShapes.size()];
        int offset = 0;
        for (int k = 0; k < out.length; k++) {
            long[] s = outShapes.get(k);
            int part = (int) s[axis] * inner;
            Tensor.Builder y = Tensor.builder(x.type(), s);
            for (int o = 0; o < outer; o++) for (int i = 0; i < part; i++) y.copy(o * part + i, x, o * row + offset + i);
            offset += part;
            out[k] = y.build();
        }
        return out;
    }

    static Tensor range(Tensor start, Tensor delta, long[] outShape) {
        Tensor.Builder y = Tensor.builder(start.type(), outShape);
        for (int i = 0; i < y.size(); i++) {
            if (start.type().isInteger()) y.setLong(i, start.getLong(0) + i * delta.getLong(0));
            else y.setDouble(i, start.getDouble(0) + i * delta.getDouble(0));
        }
        return y.build();
    }

    static Tensor constantOfShape(Tensor value, long[] outShape) {
        Tensor.Builder y = Tensor.builder(value.type(), outShape);
        for (int i = 0; i < y.size(); i++) y.copy(i, value, 0);
        return y.build();
    }
}
