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
        threads.forWork(rows, 4L * cols, (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                long base = r * cols * Float.BYTES;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) max = Math.max(max, x.get(ValueLayout.JAVA_FLOAT, base + (long) j * Float.BYTES));
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

    /** y = (x - mean) / sqrt(var + eps) · scale (+ bias), scale and bias one per column. */
    public static void layerNorm(TensorThreads threads, MemorySegment x, MemorySegment y, long rows, int cols, float[] scale, float[] bias, float eps) {
        threads.forWork(rows, 4L * cols, (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                long base = r * cols;
                double sum = 0;
                for (int j = 0; j < cols; j++) sum += x.getAtIndex(ValueLayout.JAVA_FLOAT, base + j);
                double mean = sum / cols, sq = 0;
                for (int j = 0; j < cols; j++) {
                    double d = x.getAtIndex(ValueLayout.JAVA_FLOAT, base + j) - mean;
                    sq += d * d;
                }
                double inv = 1 / Math.sqrt(sq / cols + eps);
                for (int j = 0; j < cols; j++) {
                    double v = (x.getAtIndex(ValueLayout.JAVA_FLOAT, base + j) - mean) * inv * scale[j];
                    if (bias.length > 0) v += bias[j];
                    y.setAtIndex(ValueLayout.JAVA_FLOAT, base + j, (float) v);
                }
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
