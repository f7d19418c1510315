package dev.kiln.ir.tensor.eval;

/** Row-major index arithmetic shared by the kernels. */
final class Indexing {
    private Indexing() {}

    static int count(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return (int) n;
    }

    /** Row-major strides, in elements. */
    static int[] strides(long[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= (int) shape[i];
        }
        return s;
    }

    /** Product of the sizes of axes [from, to). */
    static int product(long[] shape, int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) n *= shape[i];
        return (int) n;
    }

    /**
     * For each element of a tensor of shape {@code out}, the flat index of the element of an input
     * of shape {@code in} that numpy broadcasting reads there (shapes aligned at the back).
     */
    static int[] broadcastMap(long[] out, long[] in) {
        int n = count(out);
        int[] map = new int[n];
        int rank = out.length, shift = rank - in.length;
        int[] inStrides = strides(in);
        int[] bStrides = new int[rank];
        for (int i = 0; i < in.length; i++) bStrides[i + shift] = in[i] == 1 ? 0 : inStrides[i];
        int[] idx = new int[rank];
        int off = 0;
        for (int e = 0; e < n; e++) {
            map[e] = off;
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < out[d]) {
                    off += bStrides[d];
                    break;
                }
                off -= bStrides[d] * (idx[d] - 1);
                idx[d] = 0;
            }
        }
        return map;
    }

    /** Multi-index of flat element {@code e} into {@code idx}. */
    static void unravel(int e, long[] shape, int[] idx) {
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = (int) (e % shape[d]);
            e /= (int) shape[d];
        }
    }
}
