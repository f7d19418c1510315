package dev.kiln.ir.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Output types of {@link LayoutOp}s. Ops whose output shape depends on an input's value use it
 * when it is a known constant and otherwise give dimensions named after the node, unknown until
 * run time; the longer of those rules live in {@link ValueShapes}.
 */
final class LayoutTyping {
    private LayoutTyping() {}

    static List<TensorType> infer(LayoutOp op, NodeTyping t) {
        return switch (op) {
            case LayoutOp.Concat c -> concat(t, c);
            case LayoutOp.Reshape r -> {
                t.arity(2, 2, 1, 1);
                requireIndexVector(t, 1, "shape");
                yield List.of(new TensorType(t.element(0), ValueShapes.reshape(t, r.allowZero())));
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
                yield List.of(new TensorType(t.element(0), ValueShapes.squeeze(t)));
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
                yield List.of(new TensorType(t.element(0), ValueShapes.slice(t)));
            }
            case LayoutOp.Pad p -> {
                t.arity(2, 4, 1, 1);
                yield List.of(new TensorType(t.element(0), ValueShapes.pad(t)));
            }
            case LayoutOp.Resize r -> {
                t.arity(1, 4, 1, 1);
                t.requireFloat(0);
                yield List.of(new TensorType(t.element(0), ValueShapes.resize(t, r)));
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
            case LayoutOp.Split s -> ValueShapes.split(t, s);
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

    /** A shape given as the value of a 1-D INT64 input: exact when constant, else fresh dims of its length. */
    static TensorShape shapeFromInput(NodeTyping t, int i, int output) {
        Optional<long[]> v = t.longs(i);
        if (v.isPresent()) {
            for (long s : v.get()) if (s < 0) throw t.fail("shape " + Arrays.toString(v.get()) + " has a negative size");
            return TensorShape.of(v.get());
        }
        long len = NodeTyping.fixed(t.shape(i).dim(0));
        if (len < 0) throw t.fail("the result rank is unknown: the shape input " + t.shape(i) + " has no fixed length");
        return t.freshShape(output, (int) len);
    }

    static void requireIndexVector(NodeTyping t, int i, String name) {
        t.requireElement(i, ElementType.INT64);
        if (t.shape(i).rank() != 1) throw t.fail(name + " must be a 1-D INT64 tensor, not " + t.type(i));
    }

    static long[] requireConstant(NodeTyping t, int i, String name) {
        return t.longs(i).orElseThrow(() -> t.fail(name + " must be a constant (an initializer or Constant node)"));
    }
}
