package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The block primitives generated elementwise kernels are written in. A fused chain runs over its
 * output in blocks of {@link #BLOCK} elements: each input is first gathered into a heap block at
 * the output's indices (a copy, a repeated trailing run such as a bias, a run-length fill for a
 * leading operand such as a per-channel scale, or the general broadcast), then every step is one
 * call here, a Vector API loop over the block, and the last block is stored. The generated code is
 * a short straight line of these calls, so the hot loops are a few shared, JIT-compiled methods
 * rather than one cold loop per node. Steps compute in float32 (erf and Gelu by {@link TensorMath}'s
 * formulas); those without a vector form (rounding, sin, softplus, pow) compute each lane in double.
 * Blocks are allocated at {@link #BLOCK} elements, a multiple of the vector length, so loops run
 * whole vectors over the block (lanes past {@code len} are scratch, never stored).
 */
public final class ChainBlocks {
    private ChainBlocks() {}

    public static final int BLOCK = 1024;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    static {
        if (BLOCK % L != 0) throw new IllegalStateException("block " + BLOCK + " is not a multiple of the vector length " + L);
    }

    public static float[] block() {
        return new float[BLOCK];
    }

    /** A block of one value: a scalar operand. */
    public static float[] filled(double v) {
        float[] b = new float[BLOCK];
        java.util.Arrays.fill(b, (float) v);
        return b;
    }

    // ---- gathering inputs ----------------------------------------------------------------------

    /** Elements [from, from + len) of an input of the output's shape. */
    public static void same(MemorySegment in, long from, int len, float[] dst) {
        MemorySegment.copy(in, F, from * Float.BYTES, dst, 0, len);
    }

    /** Element 0 of a one-element input, repeated. */
    public static void single(MemorySegment in, int len, float[] dst) {
        java.util.Arrays.fill(dst, 0, len, in.getAtIndex(F, 0));
    }

    /** An input of {@code n} elements repeating along the output (its axes are the output's last ones): element i is in[i % n]. */
    public static void trailing(MemorySegment in, long n, long from, int len, float[] dst) {
        int at = 0;
        long i = from % n;
        while (at < len) {
            int run = (int) Math.min(len - at, n - i);
            MemorySegment.copy(in, F, i * Float.BYTES, dst, at, run);
            at += run;
            i = 0;
        }
    }

    /** An input constant over runs of {@code ratio} output elements (its axes are the output's first ones): element i is in[i / ratio]. */
    public static void leading(MemorySegment in, long ratio, long from, int len, float[] dst) {
        int at = 0;
        long i = from;
        while (at < len) {
            int run = (int) Math.min(len - at, ratio - i % ratio);
            java.util.Arrays.fill(dst, at, at + run, in.getAtIndex(F, i / ratio));
            at += run;
            i += run;
        }
    }

    /**
     * Any other numpy broadcast (a [n, 1, 1, k] mask over [n, h, q, k] scores), a row of the
     * output's last axis at a time: the row's start in the input is worked out once, then the row
     * is a copy (the input has the last axis) or a fill (it is broadcast along it).
     */
    public static void general(MemorySegment in, Broadcast b, long from, int len, float[] dst) {
        long n = b.outSize[b.outSize.length - 1];
        boolean contiguous = b.inStride[b.inStride.length - 1] != 0;
        int at = 0;
        long i = from;
        while (at < len) {
            long col = i % n;
            int run = (int) Math.min(len - at, n - col);
            long row = b.index(i - col);
            if (contiguous) MemorySegment.copy(in, F, (row + col) * Float.BYTES, dst, at, run);
            else java.util.Arrays.fill(dst, at, at + run, in.getAtIndex(F, row));
            at += run;
            i += run;
        }
    }

    /** The index arithmetic of a general broadcast: output strides, sizes, and the input's strides (0 on broadcast axes). */
    public static final class Broadcast {
        private final long[] outStride, outSize, inStride;

        private Broadcast(long[] outStride, long[] outSize, long[] inStride) {
            this.outStride = outStride;
            this.outSize = outSize;
            this.inStride = inStride;
        }

        /** From "in dims/out dims", e.g. "3,1,5/2,3,4,5" (the input right-aligned to the output; the output has an axis). */
        public static Broadcast of(String shapes) {
            String[] parts = shapes.split("/", -1);
            long[] in = dims(parts[0]), out = dims(parts[1]);
            int r = out.length;
            if (r == 0 || in.length > r) throw new IllegalArgumentException("a broadcast of " + shapes + " needs an output of higher or equal rank, at least 1");
            long[] padded = new long[r];
            java.util.Arrays.fill(padded, 1);
            System.arraycopy(in, 0, padded, r - in.length, in.length);
            long[] os = new long[r], is = new long[r];
            long o = 1, s = 1;
            for (int d = r - 1; d >= 0; d--) {
                os[d] = o;
                is[d] = padded[d] == 1 ? 0 : s;
                o *= out[d];
                s *= padded[d];
            }
            return new Broadcast(os, out, is);
        }

        private static long[] dims(String s) {
            return s.isEmpty() ? new long[0] : java.util.Arrays.stream(s.split(",")).mapToLong(Long::parseLong).toArray();
        }

        long index(long i) {
            long at = 0;
            for (int d = 0; d < outStride.length; d++) if (inStride[d] != 0) at += (i / outStride[d]) % outSize[d] * inStride[d];
            return at;
        }
    }

    /** The finished block to the output. */
    public static void store(float[] src, MemorySegment out, long from, int len) {
        MemorySegment.copy(src, 0, out, F, from * Float.BYTES, len);
    }

    // ---- binary steps --------------------------------------------------------------------------

    public static void add(float[] a, float[] b, float[] y, int len) {
        for (int i = 0; i < len; i += L) FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i)).intoArray(y, i);
    }

    public static void sub(float[] a, float[] b, float[] y, int len) {
        for (int i = 0; i < len; i += L) FloatVector.fromArray(S, a, i).sub(FloatVector.fromArray(S, b, i)).intoArray(y, i);
    }

    public static void mul(float[] a, float[] b, float[] y, int len) {
        for (int i = 0; i < len; i += L) FloatVector.fromArray(S, a, i).mul(FloatVector.fromArray(S, b, i)).intoArray(y, i);
    }

    public static void div(float[] a, float[] b, float[] y, int len) {
        for (int i = 0; i < len; i += L) FloatVector.fromArray(S, a, i).div(FloatVector.fromArray(S, b, i)).intoArray(y, i);
    }

    public static void pow(float[] a, float[] b, float[] y, int len) {
        for (int i = 0; i < len; i++) y[i] = (float) TensorMath.pow(a[i], b[i]);
    }

    /** v < lo ? lo : v > hi ? hi : v, so NaN passes through. */
    public static void clip(float[] a, float[] lo, float[] hi, float[] y, int len) {
        for (int i = 0; i < len; i += L) {
            FloatVector v = FloatVector.fromArray(S, a, i), l = FloatVector.fromArray(S, lo, i), h = FloatVector.fromArray(S, hi, i);
            v.blend(l, v.lt(l)).blend(h, v.compare(VectorOperators.GT, h)).intoArray(y, i);
        }
    }

    // ---- unary steps ---------------------------------------------------------------------------

    public static void relu(float[] a, float[] y, int len) {
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < len; i += L) {
            FloatVector v = FloatVector.fromArray(S, a, i);
            v.blend(zero, v.lt(zero)).intoArray(y, i);
        }
    }

    public static void leakyRelu(float[] a, double alpha, float[] y, int len) {
        float al = (float) alpha;
        for (int i = 0; i < len; i += L) {
            FloatVector v = FloatVector.fromArray(S, a, i);
            v.blend(v.mul(al), v.lt(0f)).intoArray(y, i);
        }
    }

    public static void hardSigmoid(float[] a, double alpha, double beta, float[] y, int len) {
        float al = (float) alpha, be = (float) beta;
        for (int i = 0; i < len; i += L) FloatVector.fromArray(S, a, i).fma(al, be).min(1f).max(0f).intoArray(y, i);
    }

    public static void hardSwish(float[] a, float[] y, int len) {
        for (int i = 0; i < len; i += L) {
            FloatVector v = FloatVector.fromArray(S, a, i);
            v.mul(v.fma(1f / 6f, 0.5f).min(1f).max(0f)).intoArray(y, i);
        }
    }

    public static void sigmoid(float[] a, float[] y, int len) {
        for (int i = 0; i < len; i += L) {
            FloatVector e = FloatVector.fromArray(S, a, i).neg().lanewise(VectorOperators.EXP);
            FloatVector.broadcast(S, 1f).div(e.add(1f)).intoArray(y, i);
        }
    }

    private static void lanewise(VectorOperators.Unary op, float[] a, float[] y, int len) {
        for (int i = 0; i < len; i += L) FloatVector.fromArray(S, a, i).lanewise(op).intoArray(y, i);
    }

    public static void tanh(float[] a, float[] y, int len) { lanewise(VectorOperators.TANH, a, y, len); }
    public static void exp(float[] a, float[] y, int len) { lanewise(VectorOperators.EXP, a, y, len); }
    public static void log(float[] a, float[] y, int len) { lanewise(VectorOperators.LOG, a, y, len); }
    public static void sqrt(float[] a, float[] y, int len) { lanewise(VectorOperators.SQRT, a, y, len); }
    public static void neg(float[] a, float[] y, int len) { lanewise(VectorOperators.NEG, a, y, len); }
    public static void abs(float[] a, float[] y, int len) { lanewise(VectorOperators.ABS, a, y, len); }

    public static void reciprocal(float[] a, float[] y, int len) {
        for (int i = 0; i < len; i += L) FloatVector.broadcast(S, 1f).div(FloatVector.fromArray(S, a, i)).intoArray(y, i);
    }

    public static void identity(float[] a, float[] y, int len) {
        System.arraycopy(a, 0, y, 0, len);
    }

    /** erf by {@link TensorMath#erf}'s formula (Abramowitz and Stegun 7.1.26), in float lanes. */
    static FloatVector erf(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector t = FloatVector.broadcast(S, 1f).div(ax.fma(0.3275911f, 1f));
        FloatVector poly = t.fma(1.061405429f, -1.453152027f).fma(t, FloatVector.broadcast(S, 1.421413741f)).fma(t, FloatVector.broadcast(S, -0.284496736f))
                .fma(t, FloatVector.broadcast(S, 0.254829592f)).mul(t);
        FloatVector y = FloatVector.broadcast(S, 1f).sub(poly.mul(ax.mul(ax).neg().lanewise(VectorOperators.EXP)));
        return y.blend(y.neg(), x.lt(0f));
    }

    /** 0.5·v·(1 + erf(v/√2)) in float lanes. */
    static FloatVector gelu(FloatVector v) {
        return v.mul(0.5f).mul(erf(v.mul(0.70710678f)).add(1f));
    }

    /** 0.5·v·(1 + tanh(√(2/π)·(v + 0.044715·v³))) in float lanes. */
    static FloatVector geluTanh(FloatVector v) {
        FloatVector inner = v.mul(v).mul(v).fma(FloatVector.broadcast(S, 0.044715f), v).mul(0.7978845608f);
        return v.mul(0.5f).mul(inner.lanewise(VectorOperators.TANH).add(1f));
    }

    public static void erf(float[] a, float[] y, int len) {
        for (int i = 0; i < len; i += L) erf(FloatVector.fromArray(S, a, i)).intoArray(y, i);
    }

    public static void gelu(float[] a, float[] y, int len) {
        for (int i = 0; i < len; i += L) gelu(FloatVector.fromArray(S, a, i)).intoArray(y, i);
    }

    public static void geluTanh(float[] a, float[] y, int len) {
        for (int i = 0; i < len; i += L) geluTanh(FloatVector.fromArray(S, a, i)).intoArray(y, i);
    }

    // lane by lane in double, TensorMath's formulas
    public static void softplus(float[] a, float[] y, int len) { for (int i = 0; i < len; i++) y[i] = (float) TensorMath.softplus(a[i]); }
    public static void floor(float[] a, float[] y, int len) { for (int i = 0; i < len; i++) y[i] = (float) Math.floor(a[i]); }
    public static void ceil(float[] a, float[] y, int len) { for (int i = 0; i < len; i++) y[i] = (float) Math.ceil(a[i]); }
    public static void round(float[] a, float[] y, int len) { for (int i = 0; i < len; i++) y[i] = (float) Math.rint(a[i]); }
    public static void sign(float[] a, float[] y, int len) { for (int i = 0; i < len; i++) y[i] = Math.signum(a[i]); }
    public static void sin(float[] a, float[] y, int len) { for (int i = 0; i < len; i++) y[i] = (float) Math.sin(a[i]); }
    public static void cos(float[] a, float[] y, int len) { for (int i = 0; i < len; i++) y[i] = (float) Math.cos(a[i]); }
}
