package dev.kiln.codegen.tensor;

import dev.kiln.ir.tensor.LayoutOp;
import dev.kiln.ir.tensor.SliceRange;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorNode;
import dev.kiln.ir.tensor.TensorShape;
import dev.kiln.ir.tensor.eval.ResizeKernel;
import dev.kiln.runtime.tensor.IndexMapCopy;
import java.lang.foreign.MemorySegment;

/**
 * Slice and nearest-neighbour Resize as index-map copies: which input index each output index of
 * each axis reads is worked out here, at compile time, with the interpreter's own coordinate rules.
 * Their bounds, scales and sizes must be constants (shapes are fixed when a program compiles).
 */
final class LayoutSteps {
    private LayoutSteps() {}

    static TensorStep slice(CompileContext cx, TensorNode n) {
        long[] xs = cx.shape(n.input(0).get());
        long[] starts = longs(cx, n, 1, "starts"), ends = longs(cx, n, 2, "ends");
        long[] axes = n.input(3).isPresent() ? longs(cx, n, 3, "axes") : iota(starts.length);
        long[] steps = n.input(4).isPresent() ? longs(cx, n, 4, "steps") : new long[0];
        int[][] maps = identity(xs);
        for (int i = 0; i < starts.length; i++) {
            int ax = TensorShape.normalizeAxis(axes[i], xs.length);
            SliceRange r = SliceRange.of(starts[i], ends[i], steps.length == 0 ? 1 : steps[i], xs[ax]);
            maps[ax] = new int[(int) r.count()];
            for (int o = 0; o < maps[ax].length; o++) maps[ax][o] = (int) (r.start() + o * r.step());
        }
        return copy(cx, n, xs, maps);
    }

    static TensorStep resize(CompileContext cx, TensorNode n, LayoutOp.Resize r) {
        if (r.coordinateTransform() == LayoutOp.CoordinateTransform.TF_CROP_AND_RESIZE) {
            throw new TensorCompileException(n.describe() + ": tf_crop_and_resize (a region of interest) is not compiled");
        }
        long[] xs = cx.shape(n.input(0).get()), ys = cx.shape(n.outputs().getFirst());
        int rank = xs.length;
        double[] scales = new double[rank];
        java.util.Arrays.fill(scales, 1);
        long[] axes = r.axes().isEmpty() ? iota(rank) : r.axes().stream().mapToLong(a -> TensorShape.normalizeAxis(a, rank)).toArray();
        java.util.Optional<Tensor> given = n.input(2).flatMap(cx::constant).filter(t -> t.size() > 0);
        if (n.input(2).isPresent() && given.isEmpty() && n.input(3).isEmpty()) throw new TensorCompileException(n.describe() + ": the scales must be constant");
        for (int i = 0; i < axes.length; i++) {
            int ax = (int) axes[i];
            scales[ax] = given.isPresent() ? given.get().getDouble(i) : (double) ys[ax] / xs[ax];
        }
        if (r.mode() != LayoutOp.ResizeMode.NEAREST) return interpolating(cx, n, r, xs, ys, scales);
        int[][] maps = new int[rank][];
        for (int d = 0; d < rank; d++) {
            maps[d] = new int[(int) ys[d]];
            for (int o = 0; o < ys[d]; o++) {
                double c = ResizeKernel.source(r.coordinateTransform(), o, scales[d], xs[d], ys[d]);
                maps[d][o] = (int) ResizeKernel.nearest(r.nearestMode(), c, xs[d]);
            }
        }
        return copy(cx, n, xs, maps);
    }

    /**
     * Linear or cubic Resize of float32 data whose axes before the last two keep every index
     * (each output index reads its own input index with weight 1): the last two axes' taps once,
     * then {@link dev.kiln.runtime.tensor.ResizePlanes} over the planes.
     */
    private static TensorStep interpolating(CompileContext cx, TensorNode n, LayoutOp.Resize r, long[] xs, long[] ys, double[] scales) {
        int rank = xs.length;
        if (rank < 2 || cx.element(n.input(0).get()) != dev.kiln.ir.tensor.ElementType.FLOAT32) {
            throw new TensorCompileException(n.describe() + ": only float32 " + r.mode() + " Resize of rank 2 or more is compiled");
        }
        ResizeKernel.Taps[][] taps = new ResizeKernel.Taps[rank][];
        for (int d = 0; d < rank; d++) {
            taps[d] = new ResizeKernel.Taps[(int) ys[d]];
            for (int o = 0; o < ys[d]; o++) taps[d][o] = ResizeKernel.taps(r, ResizeKernel.source(r.coordinateTransform(), o, scales[d], xs[d], ys[d]), xs[d]);
            if (d < rank - 2 && !keepsEveryIndex(taps[d], xs[d], ys[d])) {
                throw new TensorCompileException(n.describe() + ": a " + r.mode() + " Resize is compiled when only its last two axes change, not axis " + d);
            }
        }
        long planes = 1;
        for (int d = 0; d < rank - 2; d++) planes *= xs[d];
        long count = planes;
        int h = (int) xs[rank - 2], w = (int) xs[rank - 1];
        MemorySegment x = cx.segment(n.input(0).get()), y = cx.segment(n.outputs().getFirst());
        var rows = taps[rank - 2];
        var cols = taps[rank - 1];
        return t -> dev.kiln.runtime.tensor.ResizePlanes.run(t, x, y, count, h, w, rows, cols);
    }

    /** Whether every output index of an axis reads its own input index alone: one tap of weight 1 there, any other of weight 0. */
    private static boolean keepsEveryIndex(ResizeKernel.Taps[] t, long in, long out) {
        if (in != out) return false;
        for (int o = 0; o < out; o++) {
            int ones = 0;
            for (int k = 0; k < t[o].at().length; k++) {
                double w = t[o].weight()[k];
                if (w == 0) continue;
                if (t[o].at()[k] != o || w != 1) return false;
                ones++;
            }
            if (ones != 1) return false;
        }
        return true;
    }

    /** Pad (constant, edge or reflect) with constant pads, value and axes: out index o reads o - begin, mapped back into the axis or to the value. */
    static TensorStep pad(CompileContext cx, TensorNode n, LayoutOp.Pad p) {
        if (cx.element(n.input(0).get()) != dev.kiln.ir.tensor.ElementType.FLOAT32) throw new TensorCompileException(n.describe() + ": only float32 Pad is compiled");
        long[] xs = cx.shape(n.input(0).get()), ys = cx.shape(n.outputs().getFirst());
        long[] pads = longs(cx, n, 1, "pads");
        long[] axes = n.inputs().size() > 3 && n.input(3).isPresent() ? longs(cx, n, 3, "axes") : iota(xs.length);
        float fill = 0;
        if (n.inputs().size() > 2 && n.input(2).isPresent()) {
            Tensor v = cx.constant(n.input(2).get()).orElseThrow(() -> new TensorCompileException(n.describe() + ": the pad value must be constant"));
            fill = v.size() == 0 ? 0 : (float) v.getDouble(0);
        }
        long[] before = new long[xs.length];
        for (int i = 0; i < axes.length; i++) before[TensorShape.normalizeAxis(axes[i], xs.length)] = pads[i];
        int[][] maps = new int[xs.length][];
        for (int d = 0; d < xs.length; d++) {
            if (xs[d] == 0 && p.mode() != LayoutOp.PadMode.CONSTANT && ys[d] > 0) throw new TensorCompileException(n.describe() + ": " + p.mode() + " padding of an empty axis");
            maps[d] = new int[(int) ys[d]];
            for (int o = 0; o < ys[d]; o++) {
                long i = o - before[d];
                if (i < 0 || i >= xs[d]) {
                    i = switch (p.mode()) {
                        case CONSTANT -> -1;
                        case EDGE -> Math.clamp(i, 0, xs[d] - 1);
                        case REFLECT -> dev.kiln.ir.tensor.eval.LayoutKernels.reflect(i, xs[d]);
                    };
                }
                maps[d][o] = (int) i;
            }
        }
        if (xs.length == 0) throw new TensorCompileException(n.describe() + ": a scalar input is not compiled");
        MemorySegment x = cx.segment(n.input(0).get()), y = cx.segment(n.outputs().getFirst());
        float value = fill;
        return t -> IndexMapCopy.copy(t, x, y, xs, maps, value);
    }

    private static TensorStep copy(CompileContext cx, TensorNode n, long[] xs, int[][] maps) {
        if (xs.length == 0) throw new TensorCompileException(n.describe() + ": a scalar input is not compiled");
        MemorySegment x = cx.segment(n.input(0).get()), y = cx.segment(n.outputs().getFirst());
        return t -> IndexMapCopy.copy(t, x, y, xs, maps);
    }

    private static int[][] identity(long[] xs) {
        int[][] maps = new int[xs.length][];
        for (int d = 0; d < xs.length; d++) {
            maps[d] = new int[(int) xs[d]];
            for (int i = 0; i < maps[d].length; i++) maps[d][i] = i;
        }
        return maps;
    }

    private static long[] longs(CompileContext cx, TensorNode n, int input, String what) {
        return cx.constant(n.input(input).get()).map(Tensor::toLongArray)
                .orElseThrow(() -> new TensorCompileException(n.describe() + ": the " + what + " must be constant"));
    }

    static long[] iota(int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }
}
