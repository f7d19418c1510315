package dev.kiln.ir.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Output types of {@link ReductionOp}s. */
final class ReductionTyping {
    private ReductionTyping() {}

    static List<TensorType> infer(ReductionOp op, NodeTyping t) {
        return switch (op) {
            case ReductionOp.Reduce r -> {
                t.arity(1, 2, 1, 1);
                t.requireNumeric(0);
                TensorShape x = t.shape(0);
                Optional<boolean[]> reduced = reducedAxes(t, r.noopWithEmptyAxes());
                if (reduced.isEmpty()) {
                    if (!r.keepDims()) throw t.fail("the result rank is unknown: axes is not a constant and keepdims is 0");
                    yield List.of(new TensorType(t.element(0), t.freshShape(0, x.rank())));
                }
                yield List.of(new TensorType(t.element(0), reduce(x, reduced.get(), r.keepDims())));
            }
            case ReductionOp.ArgMax a -> {
                t.arity(1, 1, 1, 1);
                t.requireNumeric(0);
                TensorShape x = t.shape(0);
                boolean[] reduced = new boolean[x.rank()];
                reduced[t.axis("axis", a.axis(), x.rank())] = true;
                yield List.of(new TensorType(ElementType.INT64, reduce(x, reduced, a.keepDims())));
            }
            case ReductionOp.TopK k -> {
                t.arity(2, 2, 2, 2);
                t.requireNumeric(0);
                t.requireElement(1, ElementType.INT64);
                TensorShape x = t.shape(0);
                int axis = t.axis("axis", k.axis(), x.rank());
                List<Dim> out = new ArrayList<>(x.dims());
                Optional<long[]> kv = t.longs(1);
                if (kv.isPresent()) {
                    if (kv.get().length != 1) throw t.fail("K must hold one value, not " + Arrays.toString(kv.get()));
                    long kk = kv.get()[0], dim = NodeTyping.fixed(x.dim(axis));
                    if (kk < 0 || (dim >= 0 && kk > dim)) throw t.fail("K " + kk + " is out of range for axis " + axis + " of " + x);
                    out.set(axis, Dim.of(kk));
                } else {
                    out.set(axis, t.fresh(0, axis));
                }
                TensorShape s = new TensorShape(out);
                yield List.of(new TensorType(t.element(0), s), new TensorType(ElementType.INT64, s));
            }
        };
    }

    /**
     * Which axes a Reduce folds, from its constant axes input; all when none are given (unless
     * noop_with_empty_axes, then none). Empty when the axes are not a known constant.
     */
    static Optional<boolean[]> reducedAxes(NodeTyping t, boolean noopWithEmptyAxes) {
        int rank = t.shape(0).rank();
        boolean[] reduced = new boolean[rank];
        long[] axes = new long[0];
        if (t.has(1)) {
            t.requireElement(1, ElementType.INT64);
            Optional<long[]> given = t.longs(1);
            if (given.isEmpty()) return Optional.empty();
            axes = given.get();
        }
        if (axes.length == 0) {
            if (!noopWithEmptyAxes) Arrays.fill(reduced, true);
            return Optional.of(reduced);
        }
        for (long a : axes) reduced[t.axis("axes", a, rank)] = true;
        return Optional.of(reduced);
    }

    static TensorShape reduce(TensorShape x, boolean[] reduced, boolean keepDims) {
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!reduced[i]) out.add(x.dim(i));
            else if (keepDims) out.add(Dim.of(1));
        }
        return new TensorShape(out);
    }
}
