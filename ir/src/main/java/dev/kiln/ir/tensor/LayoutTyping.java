package dev.kiln.ir.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Output types of {@link LayoutOp}s. Ops whose output shape depends on an input's value (Reshape,
 * Slice, Pad, Resize, Unsqueeze, Expand, ConstantOfShape, Range, Split) use it when it is a known
 * constant and otherwise give dimensions named after the node, unknown until run time.
 */
final class LayoutTyping {
    private LayoutTyping() {}

    static List<TensorType> infer(LayoutOp op, NodeTyping t) {
        return switch (op) {
            case LayoutOp.Concat c -> concat(t, c);
            case LayoutOp.Reshape r -> {
                t.arity(2, 2, 1, 1);
                requireIndexVector(t, 1, "shape");
                yield List.of(new TensorType(t.element(0), reshape(t, r.allowZero())));
            }
            case LayoutOp.Flatten f -> {
                t.arity(1, 1, 1, 1);
                TensorShape x = t.shape(0);
                // Accepted range is [-r, r]: a negative axis counts from the back of the input's rank.
                if (f.axis() < -x.rank() || f.axis() > x.rank()) {
                    throw t.fail("axis " + f.axis() + " is out of range [" + -x.rank() + ", " + x.rank() + "] for rank " + x.rank());
                }
                int axis = (int) (f.axis() < 0 ? f.axis() + x.rank() : f.axis());
                yield List.of(new TensorType(t.element(0), TensorShape.of(product(t, x, 0, axis, 0), product(t, x, axis, x.rank(), 1))));
            }
            case LayoutOp.Transpose tr -> {
                t.arity(1, 1, 1, 1);
                TensorShape x = t.shape(0);
                int[] perm = permutation(t, tr.perm(), x.rank());
                List<Dim> out = new ArrayList<>();
                for (int p : perm) out.add(x.dim(p));
                yield List.of(new TensorType(t.element(0), new TensorShape(out)));
            }
            case LayoutOp.Squeeze s -> {
                t.arity(1, 2, 1, 1);
                yield List.of(new TensorType(t.element(0), squeeze(t)));
            }
            case LayoutOp.Unsqueeze u -> {
                t.arity(2, 2, 1, 1);
                long[] axes = requireConstant(t, 1, "axes");
                TensorShape x = t.shape(0);
                int rank = x.rank() + axes.length;
                boolean[] inserted = new boolean[rank];
                for (long a : axes) {
                    int ax = t.axis("axes", a, rank);
                    if (inserted[ax]) throw t.fail("axes " + Arrays.toString(axes) + " repeat axis " + ax);
                    inserted[ax] = true;
                }
                List<Dim> out = new ArrayList<>();
                for (int i = 0, j = 0; i < rank; i++) out.add(inserted[i] ? Dim.of(1) : x.dim(j++));
                yield List.of(new TensorType(t.element(0), new TensorShape(out)));
            }
            case LayoutOp.Gather g -> {
                t.arity(2, 2, 1, 1);
                t.requireElement(1, ElementType.INT32, ElementType.INT64);
                TensorShape x = t.shape(0);
                if (x.rank() == 0) throw t.fail("cannot gather from a scalar");
                int axis = t.axis("axis", g.axis(), x.rank());
                long size = NodeTyping.fixed(x.dim(axis));
                if (size >= 0) for (long i : t.longs(1).orElse(new long[0])) {
                    if (i < -size || i >= size) throw t.fail("index " + i + " is out of range [" + -size + ", " + (size - 1) + "] of axis " + axis + " of " + x);
                }
                List<Dim> out = new ArrayList<>(x.dims().subList(0, axis));
                out.addAll(t.shape(1).dims());
                out.addAll(x.dims().subList(axis + 1, x.rank()));
                yield List.of(new TensorType(t.element(0), new TensorShape(out)));
            }
            case LayoutOp.Slice s -> {
                t.arity(3, 5, 1, 1);
                yield List.of(new TensorType(t.element(0), slice(t)));
            }
            case LayoutOp.Pad p -> {
                t.arity(2, 4, 1, 1);
                yield List.of(new TensorType(t.element(0), pad(t)));
            }
            case LayoutOp.Resize r -> {
                t.arity(1, 4, 1, 1);
                t.requireFloat(0);
                yield List.of(new TensorType(t.element(0), resize(t, r)));
            }
            case LayoutOp.Shape s -> {
                t.arity(1, 1, 1, 1);
                int r = t.shape(0).rank();
                long start = clampAxis(s.start(), r), end = clampAxis(s.end().orElse((long) r), r);
                yield List.of(TensorType.of(ElementType.INT64, Math.max(0, end - start)));
            }
            case LayoutOp.ConstantOfShape c -> {
                t.arity(1, 1, 1, 1);
                requireIndexVector(t, 0, "input");
                yield List.of(new TensorType(c.value().type(), shapeFromInput(t, 0, 0)));
            }
            case LayoutOp.Range r -> {
                t.arity(3, 3, 1, 1);
                t.requireNumeric(0);
                for (int i = 0; i < 3; i++) {
                    t.requireSameElement(0, i);
                    if (t.shape(i).rank() != 0) throw t.fail("input " + i + " must be a scalar, not " + t.shape(i));
                }
                Dim n = t.fresh(0, 0);
                if (t.constant(0).isPresent() && t.constant(1).isPresent() && t.constant(2).isPresent()) {
                    double start = t.constant(0).get().getDouble(0), limit = t.constant(1).get().getDouble(0), delta = t.constant(2).get().getDouble(0);
                    if (delta == 0) throw t.fail("delta cannot be 0");
                    n = Dim.of(Math.max(0, (long) Math.ceil((limit - start) / delta)));
                }
                yield List.of(new TensorType(t.element(0), TensorShape.of(n)));
            }
            case LayoutOp.Expand e -> {
                t.arity(2, 2, 1, 1);
                requireIndexVector(t, 1, "shape");
                yield List.of(new TensorType(t.element(0), t.broadcast(t.shape(0), shapeFromInput(t, 1, 0))));
            }
            case LayoutOp.Split s -> split(t, s);
            case LayoutOp.Constant c -> {
                t.arity(0, 0, 1, 1);
                yield List.of(c.value().tensorType());
            }
        };
    }

    /** Shape's start/end: negative counts from the back, then clamped to [0, rank]. */
    static long clampAxis(long a, int rank) {
        return Math.clamp(a < 0 ? a + rank : a, 0, rank);
    }

    private static List<TensorType> concat(NodeTyping t, LayoutOp.Concat c) {
        t.arity(1, Integer.MAX_VALUE, 1, 1);
        TensorShape first = t.shape(0);
        int axis = t.axis("axis", c.axis(), first.rank());
        List<Dim> out = new ArrayList<>(first.dims());
        long total = 0;
        for (int i = 0; i < t.inputCount(); i++) {
            t.requireSameElement(0, i);
            TensorShape s = t.shape(i);
            if (s.rank() != first.rank()) throw t.fail("input " + i + " " + s + " has another rank than input 0 " + first);
            for (int d = 0; d < s.rank(); d++) {
                if (d == axis) continue;
                if (s.dim(d) instanceof Dim.Fixed f) {
                    if (out.get(d) instanceof Dim.Fixed g && g.size() != f.size()) {
                        throw t.fail("input " + i + " " + s + " differs from input 0 " + first + " on axis " + d + ", which is not the concat axis " + axis);
                    }
                    out.set(d, f);
                }
            }
            long size = NodeTyping.fixed(s.dim(axis));
            total = total < 0 || size < 0 ? -1 : total + size;
        }
        out.set(axis, total >= 0 ? Dim.of(total) : t.fresh(0, axis));
        return List.of(new TensorType(t.element(0), new TensorShape(out)));
    }

    private static TensorShape reshape(NodeTyping t, boolean allowZero) {
        TensorShape x = t.shape(0);
        Optional<long[]> target = t.longs(1);
        if (target.isEmpty()) return shapeFromInput(t, 1, 0);
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

    private static Dim product(NodeTyping t, TensorShape x, int from, int to, int output) {
        if (to - from == 1) return x.dim(from);
        long n = 1;
        for (int i = from; i < to; i++) {
            long s = NodeTyping.fixed(x.dim(i));
            if (s < 0) return t.fresh(0, output);
            n *= s;
        }
        return Dim.of(n);
    }

    static int[] permutation(NodeTyping t, List<Long> perm, int rank) {
        int[] p = new int[rank];
        if (perm.isEmpty()) {
            for (int i = 0; i < rank; i++) p[i] = rank - 1 - i;
            return p;
        }
        if (perm.size() != rank) throw t.fail("perm " + perm + " must have " + rank + " entries");
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < rank; i++) {
            p[i] = t.axis("perm", perm.get(i), rank);
            if (!seen.add(p[i])) throw t.fail("perm " + perm + " is not a permutation");
        }
        return p;
    }

    private static TensorShape squeeze(NodeTyping t) {
        TensorShape x = t.shape(0);
        boolean[] drop = new boolean[x.rank()];
        if (t.has(1)) {
            for (long a : requireConstant(t, 1, "axes")) {
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

    private static TensorShape slice(NodeTyping t) {
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

    private static long[] defaultAxes(TensorShape starts, NodeTyping t) {
        long n = NodeTyping.fixed(starts.rank() == 1 ? starts.dim(0) : Dim.of(0));
        if (n < 0) throw t.fail("the number of sliced axes is unknown: starts has shape " + starts);
        long[] a = new long[(int) n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static TensorShape pad(NodeTyping t) {
        TensorShape x = t.shape(0);
        requireIndexVector(t, 1, "pads");
        if (t.has(2)) {
            t.requireSameElement(0, 2);
            if (t.shape(2).elementCount().orElse(1L) != 1) throw t.fail("constant_value must be one value, not " + t.shape(2));
        }
        Optional<long[]> pads = t.longs(1);
        long[] axes;
        if (t.has(3)) {
            axes = requireConstant(t, 3, "axes");
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

    private static TensorShape resize(NodeTyping t, LayoutOp.Resize r) {
        TensorShape x = t.shape(0);
        long[] axes = resizeAxes(t, r, x.rank());
        boolean hasScales = t.has(2) && t.shape(2).elementCount().orElse(1L) != 0;
        boolean hasSizes = t.has(3);
        if (hasScales == hasSizes) throw t.fail("give exactly one of scales and sizes");
        List<Dim> out = new ArrayList<>(x.dims());
        if (hasSizes) {
            requireIndexVector(t, 3, "sizes");
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
    public static long resizedSize(long dim, float scale) {
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

    private static List<TensorType> split(NodeTyping t, LayoutOp.Split s) {
        t.arity(1, 2, 1, Integer.MAX_VALUE);
        TensorShape x = t.shape(0);
        int axis = t.axis("axis", s.axis(), x.rank());
        int n = t.node().outputs().size();
        long dim = NodeTyping.fixed(x.dim(axis));
        long[] sizes = null;
        if (t.has(1)) {
            requireIndexVector(t, 1, "split");
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

    /** A shape given as the value of a 1-D INT64 input: exact when constant, else fresh dims of its length. */
    private static TensorShape shapeFromInput(NodeTyping t, int i, int output) {
        Optional<long[]> v = t.longs(i);
        if (v.isPresent()) {
            for (long s : v.get()) if (s < 0) throw t.fail("shape " + Arrays.toString(v.get()) + " has a negative size");
            return TensorShape.of(v.get());
        }
        long len = NodeTyping.fixed(t.shape(i).dim(0));
        if (len < 0) throw t.fail("the result rank is unknown: the shape input " + t.shape(i) + " has no fixed length");
        return t.freshShape(output, (int) len);
    }

    private static void requireIndexVector(NodeTyping t, int i, String name) {
        t.requireElement(i, ElementType.INT64);
        if (t.shape(i).rank() != 1) throw t.fail(name + " must be a 1-D INT64 tensor, not " + t.type(i));
    }

    private static long[] requireConstant(NodeTyping t, int i, String name) {
        return t.longs(i).orElseThrow(() -> t.fail(name + " must be a constant (an initializer or Constant node)"));
    }
}
