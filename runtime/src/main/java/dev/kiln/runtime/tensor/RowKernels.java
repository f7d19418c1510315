package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels over the last axis of a float32 tensor seen as rows × cols: softmax, layer
 * normalization and sum/mean reductions; parallel over rows. Statistics accumulate in double
 * (as the interpreter does); softmax's exponentials are float32 vector exps (SVML on x86),
 * within a few ulps of the double-precision oracle.
 */
public final class RowKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private RowKernels() {}

    public static void softmax(TensorThreads threads, MemorySegment x, MemorySegment y, long rows, int cols) {
        // a row's work: three passes over it, one of them an exponential per element
        threads.forWork(rows, 3L * TensorThreads.MEMORY_PASS * cols, (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                long base = r * cols * Float.BYTES;
                float max = Float.NEGATIVE_INFINITY;
                int m = 0;
                if (cols >= S.length()) {
                    FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                    for (int bound = S.loopBound(cols); m < bound; m += S.length()) {
                        mv = mv.max(FloatVector.fromMemorySegment(S, x, base + (long) m * Float.BYTES, NATIVE));
                    }
                    max = mv.reduceLanes(VectorOperators.MAX);
                }
                for (; m < cols; m++) max = Math.max(max, x.get(ValueLayout.JAVA_FLOAT, base + (long) m * Float.BYTES));
                double sum = 0;
                int j = 0;
                for (int bound = S.loopBound(cols); j < bound; j += S.length()) {
                    long at = base + (long) j * Float.BYTES;
                    FloatVector e = FloatVector.fromMemorySegment(S, x, at, NATIVE).sub(max).lanewise(VectorOperators.EXP);
                    e.intoMemorySegment(y, at, NATIVE);
                    sum += e.reduceLanes(VectorOperators.ADD);
                }
                for (; j < cols; j++) {
                    long at = base + (long) j * Float.BYTES;
                    float e = (float) Math.exp(x.get(ValueLayout.JAVA_FLOAT, at) - max);
                    y.set(ValueLayout.JAVA_FLOAT, at, e);
                    sum += e;
                }
                float inv = (float) (1 / sum);
                j = 0;
                for (int bound = S.loopBound(cols); j < bound; j += S.length()) {
                    long at = base + (long) j * Float.BYTES;
                    FloatVector.fromMemorySegment(S, y, at, NATIVE).mul(inv).intoMemorySegment(y, at, NATIVE);
                }
                for (; j < cols; j++) {
                    long at = base + (long) j * Float.BYTES;
                    y.set(ValueLayout.JAVA_FLOAT, at, y.get(ValueLayout.JAVA_FLOAT, at) * inv);
                }
            }
        });
    }

    /**
     * y = (x - mean) / sqrt(var + eps) · scale (+ bias), scale and bias one per column. Each row is
     * copied to the heap; its sum and its squared deviations are taken in vector lanes (float partial
     * sums of cols / lanes terms each, the lanes added in double), the output a vector FMA per lane.
     */
    public static void layerNorm(TensorThreads threads, MemorySegment x, MemorySegment y, long rows, int cols, float[] scale, float[] bias, float eps) {
        int whole = cols - cols % S.length();
        threads.forWork(rows, (long) cols * TensorThreads.MEMORY_PASS, (r0, r1) -> {
            float[] row = new float[cols], out = new float[cols];
            for (long r = r0; r < r1; r++) {
                long base = r * cols * Float.BYTES;
                MemorySegment.copy(x, ValueLayout.JAVA_FLOAT, base, row, 0, cols);
                FloatVector acc = FloatVector.zero(S);
                for (int j = 0; j < whole; j += S.length()) acc = acc.add(FloatVector.fromArray(S, row, j));
                double sum = 0;
                for (int l = 0; l < S.length(); l++) sum += acc.lane(l);
                for (int j = whole; j < cols; j++) sum += row[j];
                float mean = (float) (sum / cols);
                FloatVector m = FloatVector.broadcast(S, mean);
                acc = FloatVector.zero(S);
                for (int j = 0; j < whole; j += S.length()) {
                    FloatVector d = FloatVector.fromArray(S, row, j).sub(m);
                    acc = d.fma(d, acc);
                }
                double sq = 0;
                for (int l = 0; l < S.length(); l++) sq += acc.lane(l);
                for (int j = whole; j < cols; j++) sq += (double) (row[j] - mean) * (row[j] - mean);
                float inv = (float) (1 / Math.sqrt(sq / cols + eps));
                int j = 0;
                for (; j < whole; j += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, row, j).sub(m).mul(inv).mul(FloatVector.fromArray(S, scale, j));
                    if (bias.length > 0) v = v.add(FloatVector.fromArray(S, bias, j));
                    v.intoArray(out, j);
                }
                for (; j < cols; j++) out[j] = (row[j] - mean) * inv * scale[j] + (bias.length > 0 ? bias[j] : 0);
                MemorySegment.copy(out, 0, y, ValueLayout.JAVA_FLOAT, base, cols);
            }
        });
    }

    /** One value per row: the sum of its columns, or their mean. */
    public static void reduce(TensorThreads threads, MemorySegment x, MemorySegment y, long rows, int cols, boolean mean) {
        threads.forWork(rows, (long) cols * TensorThreads.MEMORY_PASS, (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                double s = 0;
                for (long i = r * cols, e = i + cols; i < e; i++) s += x.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                y.setAtIndex(ValueLayout.JAVA_FLOAT, r, (float) (mean ? s / cols : s));
            }
        });
    }
}
