package dev.kiln.ir.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The dimensions of a tensor, outermost first (row-major). Rank 0 is a scalar. */
public record TensorShape(List<Dim> dims) {
    public static final TensorShape SCALAR = new TensorShape(List.of());

    public TensorShape {
        dims = List.copyOf(dims);
    }

    public static TensorShape of(long... sizes) {
        List<Dim> ds = new ArrayList<>(sizes.length);
        for (long s : sizes) ds.add(new Dim.Fixed(s));
        return new TensorShape(ds);
    }

    public static TensorShape of(Dim... dims) {
        return new TensorShape(List.of(dims));
    }

    public int rank() { return dims.size(); }

    public Dim dim(int i) { return dims.get(i); }

    /** Whether every dimension is a known size. */
    public boolean isStatic() {
        return dims.stream().allMatch(d -> d instanceof Dim.Fixed);
    }

    /** The sizes, when all are known. */
    public Optional<long[]> sizes() {
        if (!isStatic()) return Optional.empty();
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) s[i] = ((Dim.Fixed) dims.get(i)).size();
        return Optional.of(s);
    }

    /** Element count, when all sizes are known. */
    public Optional<Long> elementCount() {
        return sizes().map(s -> {
            long n = 1;
            for (long x : s) n = Math.multiplyExact(n, x);
            return n;
        });
    }

    /**
     * Normalizes an axis that may count from the back ({@code -1} is the last) against this rank.
     *
     * @throws IllegalArgumentException naming the accepted range when the axis is outside it
     */
    public int normalizeAxis(long axis) {
        return normalizeAxis(axis, rank());
    }

    /** As {@link #normalizeAxis(long)}, against an explicit rank (Unsqueeze counts the output's). */
    public static int normalizeAxis(long axis, int rank) {
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException("axis " + axis + " is out of range [" + -rank + ", " + (rank - 1)
                    + "] for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /**
     * Multidirectional (numpy) broadcasting: shapes are aligned at the back; a size of 1 stretches;
     * equal symbols stay; a symbol against 1 stays the symbol; a symbol against a fixed size n &gt; 1
     * becomes n (the symbol must be 1 or n at run time). Two different symbols give the derived
     * symbol {@code max(A,B)}, since either may be 1 until run time.
     *
     * @throws IllegalArgumentException when two known sizes differ and neither is 1
     */
    public static TensorShape broadcast(TensorShape a, TensorShape b) {
        int rank = Math.max(a.rank(), b.rank());
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            int ia = i - (rank - a.rank());
            int ib = i - (rank - b.rank());
            Dim da = ia < 0 ? new Dim.Fixed(1) : a.dim(ia);
            Dim db = ib < 0 ? new Dim.Fixed(1) : b.dim(ib);
            out.add(broadcastDim(da, db, a, b));
        }
        return new TensorShape(out);
    }

    private static Dim broadcastDim(Dim da, Dim db, TensorShape a, TensorShape b) {
        return switch (da) {
            case Dim.Fixed fa when fa.size() == 1 -> db;
            case Dim.Fixed fa -> switch (db) {
                case Dim.Fixed fb when fb.size() == 1 || fb.size() == fa.size() -> fa;
                case Dim.Fixed fb -> throw new IllegalArgumentException("shapes " + a + " and " + b
                        + " do not broadcast: size " + fa.size() + " against " + fb.size());
                case Dim.Symbolic sb -> fa;
            };
            case Dim.Symbolic sa -> switch (db) {
                case Dim.Fixed fb when fb.size() == 1 -> sa;
                case Dim.Fixed fb -> fb;
                case Dim.Symbolic sb when sb.equals(sa) -> sa;
                case Dim.Symbolic sb -> new Dim.Symbolic("max(" + sa.name() + "," + sb.name() + ")");
            };
        };
    }

    /** Whether {@code from} broadcasts to exactly {@code to} (unidirectional, as Expand's result or Gemm's C). */
    public static boolean broadcastsTo(TensorShape from, TensorShape to) {
        if (from.rank() > to.rank()) return false;
        try {
            return broadcast(from, to).equals(to);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return dims.stream().map(Dim::toString).collect(Collectors.joining(",", "[", "]"));
    }
}
