package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The right operand of a GEMM laid out for {@link Gemm}'s micro-kernel: the columns cut into
 * panels {@link Gemm#NR} wide (the last one padded with zeros), each panel stored k-major so the
 * kernel reads one contiguous row of NR floats per step of k. Weights are packed once when a
 * program is compiled; operands computed at run time are packed into reused scratch per call.
 */
public final class PackedB {
    final float[] data;
    final int k;
    final int n;

    private PackedB(float[] data, int k, int n) {
        this.data = data;
        this.k = k;
        this.n = n;
    }

    public int k() { return k; }
    public int n() { return n; }

    public static int panels(int n) {
        return (n + Gemm.NR - 1) / Gemm.NR;
    }

    /** Floats a packed K×N operand takes. */
    public static int size(int k, int n) {
        return panels(n) * k * Gemm.NR;
    }

    /**
     * Packs B (K×N row-major with row stride {@code ldb}, or, if {@code trans}, N×K with row stride
     * {@code ldb}) starting at float offset {@code off}.
     */
    public static PackedB pack(MemorySegment b, long off, long ldb, boolean trans, int k, int n) {
        return packInto(new float[size(k, n)], b, off, ldb, trans, k, n);
    }

    public static PackedB packInto(float[] dst, MemorySegment b, long off, long ldb, boolean trans, int k, int n) {
        int nr = Gemm.NR;
        float[] rows = null;
        if (!trans) {
            // the K rows copied off heap first, in one call when they are contiguous, else one per row: a call per
            // panel row (128 bytes) cost more than the bytes it moved
            rows = STAGE.get();
            if (rows.length < k * n) STAGE.set(rows = new float[k * n]);
            if (ldb == n) {
                MemorySegment.copy(b, ValueLayout.JAVA_FLOAT, off * Float.BYTES, rows, 0, k * n);
            } else {
                for (int kk = 0; kk < k; kk++) MemorySegment.copy(b, ValueLayout.JAVA_FLOAT, (off + kk * ldb) * Float.BYTES, rows, kk * n, n);
            }
        }
        for (int p = 0, panels = panels(n); p < panels; p++) {
            int base = p * k * nr;
            int j0 = p * nr, w = Math.min(nr, n - j0);
            if (!trans) {
                packRows(dst, rows, k, n, p);
            } else {
                for (int j = 0; j < nr; j++) {
                    if (j >= w) {
                        for (int kk = 0; kk < k; kk++) dst[base + kk * nr + j] = 0;
                        continue;
                    }
                    long row = off + (j0 + j) * ldb;
                    for (int kk = 0; kk < k; kk++) dst[base + kk * nr + j] = b.getAtIndex(ValueLayout.JAVA_FLOAT, row + kk);
                }
            }
        }
        return new PackedB(dst, k, n);
    }

    private static final ThreadLocal<float[]> STAGE = ThreadLocal.withInitial(() -> new float[0]);

    /** Panel {@code p} of K×N row-major {@code rows} (heap) into its packed place: two vector moves per whole panel row, zeros past N. */
    private static void packRows(float[] dst, float[] rows, int k, int n, int p) {
        int nr = Gemm.NR, base = p * k * nr, j0 = p * nr, w = Math.min(nr, n - j0);
        if (w == nr) {
            for (int kk = 0; kk < k; kk++) {
                int from = kk * n + j0, at = base + kk * nr;
                jdk.incubator.vector.FloatVector.fromArray(Gemm.S, rows, from).intoArray(dst, at);
                jdk.incubator.vector.FloatVector.fromArray(Gemm.S, rows, from + Gemm.L).intoArray(dst, at + Gemm.L);
            }
        } else {
            for (int kk = 0; kk < k; kk++) {
                int at = base + kk * nr;
                System.arraycopy(rows, kk * n + j0, dst, at, w);
                java.util.Arrays.fill(dst, at + w, at + nr, 0f);
            }
        }
    }

}
