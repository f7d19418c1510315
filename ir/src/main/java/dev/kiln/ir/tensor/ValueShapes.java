package dev.kiln.ir.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Shape rules of the layout ops whose result shape is computed from an input's value: Reshape,
 * Squeeze, Slice, Pad, Resize and Split. Each is exact when the value is a known constant.
 */
final class ValueShapes {
    private ValueShapes() {}

    static TensorShape reshape(NodeTyping t, boolean allowZero) {
        TensorShape x = t.shape(0);
        Optional<long[]> target = t.longs(1);
        if (target.isEmpty()) return LayoutTyping.shapeFromInput(t, 1, 0);
        long[] shape = target.get();
        List<Dim> out = new ArrayList<>();
        int inferred = -1;
        for (int i = 0; i < shape.length; i++) {
            long s = shape[i];
            if (s == -1) {
                if (inferred >= 0) throw t.fail("shape " + Arrays.toString(shape) + " has more than one -1");
                inferred = i;
                out.add(Dim.of(1));
            } else if (s == 0 && !allowZero) {
                if (i >= x.rank()) throw t.fail("shape " + Arrays.toString(shape) + " copies dim " + i + " with 0, but the input " + x + " has no such dim");
                out.add(x.dim(i));
            } else if (s < 0) {
                throw t.fail("shape " + Arrays.toString(shape) + " has the invalid size " + s);
            } else {
                out.add(Dim.of(s));
            }
        }
        Optional<Long> inCount = x.elementCount();
        if (inferred >= 0 && allowZero && Arrays.stream(shape).anyMatch(v -> v == 0)) {
            throw t.fail("shape " + Arrays.toString(shape) + " mixes -1 with a 0 that allowzero keeps");
        }
        Optional<Long> known = new TensorShape(out).elementCount();
        if (inferred >= 0) {
            if (inCount.isPresent() && known.isPresent()) {
                if (known.get() == 0 || inCount.get() % known.get() != 0) {
                    throw t.fail("cannot reshape " + x + " (" + inCount.get() + " elements) to " + Arrays.toString(shape));
                }
                out.set(inferred, Dim.of(inCount.get() / known.get()));
            } else {
                out.set(inferred, t.fresh(0, inferred));
            }
        } else if (inCount.isPresent() && known.isPresent() && !inCount.equals(known)) {
            throw t.fail("cannot reshape " + x + " (" + inCount.get() + " elements) to " + Arrays.toString(shape) + " (" + known.get() + ")");
        }
        return new TensorShape(out);
    }

    static TensorShape squeeze(NodeTyping t) {
        TensorShape x = t.shape(0);
        boolean[] drop = new boolean[x.rank()];
        if (t.has(1)) {
            for (long a : LayoutTyping.requireConstant(t, 1, "axes")) {
                int ax = t.axis("axes", a, x.rank());
                long s = NodeTyping.fixed(x.dim(ax));
                if (s >= 0 && s != 1) throw t.fail("cannot squeeze axis " + ax + " of " + x + ": its size is " + s);
                drop[ax] = true;
            }
        } else {
            for (int i = 0; i < x.rank(); i++) {
                if (x.dim(i) instanceof Dim.Symbolic s) {
                    throw t.fail("without axes, cannot tell whether the symbolic dim " + s + " of " + x + " is 1; give the axes");
                }
                drop[i] = NodeTyping.fixed(x.dim(i)) == 1;
            }
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) if (!drop[i]) out.add(x.dim(i));
        return new TensorShape(out);
    }

    static TensorShape slice(NodeTyping t) {
        TensorShape x = t.shape(0);
        Optional<long[]> starts = t.longs(1), ends = t.longs(2);
        Optional<long[]> axes = t.has(3) ? t.longs(3) : Optional.of(defaultAxes(t.shape(1), t));
        Optional<long[]> steps = t.has(4) ? t.longs(4) : Optional.empty();
        List<Dim> out = new ArrayList<>(x.dims());
        if (starts.isEmpty() || ends.isEmpty() || axes.isEmpty() || (t.has(4) && steps.isEmpty())) {
            if (axes.isEmpty()) return t.freshShape(0, x.rank());
            for (long a : axes.get()) { int ax = t.axis("axes", a, x.rank()); out.set(ax, t.fresh(0, ax)); }
            return new TensorShape(out);
        }
        int n = starts.get().length;
        if (ends.get().length != n || axes.get().length != n || (steps.isPresent() && steps.get().length != n)) {
            throw t.fail("starts, ends, axes and steps must have the same length");
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            int ax = t.axis("axes", axes.get()[i], x.rank());
            if (!seen.add(ax)) throw t.fail("axes " + Arrays.toString(axes.get()) + " repeat axis " + ax);
            long step = steps.isEmpty() ? 1 : steps.get()[i];
            if (step == 0) throw t.fail("steps cannot be 0");
            long dim = NodeTyping.fixed(x.dim(ax));
            if (dim >= 0) {
                out.set(ax, Dim.of(SliceRange.of(starts.get()[i], ends.get()[i], step, dim).count()));
            } else if (!(starts.get()[i] == 0 && step == 1 && ends.get()[i] >= Integer.MAX_VALUE)) {
                out.set(ax, t.fresh(0, ax));
            }
        }
        return new TensorShape(out);
    }

    static long[] defaultAxes(TensorShape starts, NodeTyping t) {
        long n = NodeTyping.fixed(starts.rank() == 1 ? starts.dim(0) : Dim.of(0));
        if (n < 0) throw t.fail("the number of sliced axes is unknown: starts has shape " + starts);
        long[] a = new long[(int) n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    static TensorShape pad(NodeTyping t) {
        TensorShape x = t.shape(0);
        LayoutTyping.requireIndexVector(t, 1, "pads");
        if (t.has(2)) {
            t.requireSameElement(0, 2);
            if (t.shape(2).elementCount().orElse(1L) != 1) throw t.fail("constant_value must be one value, not " + t.shape(2));
        }
        Optional<long[]> pads = t.longs(1);
        long[] axes;
        if (t.has(3)) {
            axes = LayoutTyping.requireConstant(t, 3, "axes");
        } else {
            axes = new long[x.rank()];
            for (int i = 0; i < axes.length; i++) axes[i] = i;
        }
        List<Dim> out = new ArrayList<>(x.dims());
        if (pads.isEmpty()) {
            for (long a : axes) { int ax = t.axis("axes", a, x.rank()); out.set(ax, t.fresh(0, ax)); }
            return new TensorShape(out);
        }
        if (pads.get().length != 2 * axes.length) {
            throw t.fail("pads " + Arrays.toString(pads.get()) + " must have 2 × " + axes.length + " values");
        }
        for (int i = 0; i < axes.length; i++) {
            int ax = t.axis("axes", axes[i], x.rank());
            long before = pads.get()[i], after = pads.get()[i + axes.length];
            long dim = NodeTyping.fixed(x.dim(ax));
            if (dim >= 0) {
                long size = dim + before + after;
                if (size < 0) throw t.fail("pads " + Arrays.toString(pads.get()) + " remove more than the " + dim + " elements of axis " + ax);
                out.set(ax, Dim.of(size));
            } else if (before != 0 || after != 0) {
                out.set(ax, t.fresh(0, ax));
            }
        }
        return new TensorShape(out);
    }

    static TensorShape resize(NodeTyping t, LayoutOp.Resize r) {
        TensorShape x = t.shape(0);
        long[] axes = resizeAxes(t, r, x.rank());
        boolean hasScales = t.has(2) && t.shape(2).elementCount().orElse(1L) != 0;
        boolean hasSizes = t.has(3);
        if (hasScales == hasSizes) throw t.fail("give exactly one of scales and sizes");
        List<Dim> out = new ArrayList<>(x.dims());
        if (hasSizes) {
            LayoutTyping.requireIndexVector(t, 3, "sizes");
            Optional<long[]> sizes = t.longs(3);
            for (int i = 0; i < axes.length; i++) {
                int ax = (int) axes[i];
                if (sizes.isPresent()) {
                    if (sizes.get().length != axes.length) throw t.fail("sizes " + Arrays.toString(sizes.get()) + " must have " + axes.length + " values");
                    out.set(ax, Dim.of(sizes.get()[i]));
                } else {
                    out.set(ax, t.fresh(0, ax));
                }
            }
        } else {
            t.requireElement(2, ElementType.FLOAT32);
            Optional<Tensor> scales = t.constant(2);
            if (scales.isPresent() && scales.get().size() != axes.length) throw t.fail("scales " + scales.get() + " must have " + axes.length + " values");
            for (int i = 0; i < axes.length; i++) {
                int ax = (int) axes[i];
                long dim = NodeTyping.fixed(x.dim(ax));
                if (scales.isPresent() && scales.get().getDouble(i) <= 0) throw t.fail("scales must be positive: " + scales.get());
                if (scales.isPresent() && dim >= 0) out.set(ax, Dim.of(resizedSize(dim, (float) scales.get().getDouble(i))));
                else if (!(scales.isPresent() && scales.get().getDouble(i) == 1)) out.set(ax, t.fresh(0, ax));
            }
        }
        return new TensorShape(out);
    }

    /** floor(dim × scale), in double so that an exact product is not lost to float rounding. */
    static long resizedSize(long dim, float scale) {
        return (long) Math.floor(dim * (double) scale);
    }

    static long[] resizeAxes(NodeTyping t, LayoutOp.Resize r, int rank) {
        if (r.axes().isEmpty()) {
            long[] a = new long[rank];
            for (int i = 0; i < rank; i++) a[i] = i;
            return a;
        }
        long[] a = new long[r.axes().size()];
        for (int i = 0; i < a.length; i++) a[i] = t.axis("axes", r.axes().get(i), rank);
        return a;
    }

    static List<TensorType> split(NodeTyping t, LayoutOp.Split s) {
        t.arity(1, 2, 1, Integer.MAX_VALUE);
        TensorShape x = t.shape(0);
        int axis = t.axis("axis", s.axis(), x.rank());
        int n = t.node().outputs().size();
        long dim = NodeTyping.fixed(x.dim(axis));
        long[] sizes = null;
        if (t.has(1)) {
            LayoutTyping.requireIndexVector(t, 1, "split");
            Optional<long[]> given = t.longs(1);
            if (given.isPresent()) {
                sizes = given.get();
                if (sizes.length != n) throw t.fail("split " + Arrays.toString(sizes) + " gives " + sizes.length + " sizes for " + n + " outputs");
                if (dim >= 0 && Arrays.stream(sizes).sum() != dim) throw t.fail("split " + Arrays.toString(sizes) + " does not add up to the size " + dim + " of axis " + axis);
            }
        } else if (dim >= 0) {
            sizes = evenSplit(t, dim, n);
        }
        List<TensorType> outs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Dim> d = new ArrayList<>(x.dims());
            d.set(axis, sizes != null ? Dim.of(sizes[i]) : t.fresh(i, axis));
            outs.add(new TensorType(t.element(0), new TensorShape(d)));
        }
        return outs;
    }

    /** ONNX 18: parts of ceil(dim / n), the last one smaller when it does not divide. */
    static long[] evenSplit(NodeTyping t, long dim, int n) {
        long part = Math.ceilDiv(dim, n);
        long[] sizes = new long[n];
        Arrays.fill(sizes, part);
        sizes[n - 1] = dim - part * (n - 1);
        if (sizes[n - 1] < 0) throw t.fail("cannot split size " + dim + " into " + n + " parts of " + part);
        return sizes;
    }
}
