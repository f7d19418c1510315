package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * y[n, c, …] = x[n, c, …] · a[c] + b[c]: a batch normalization that could not be folded into a
 * convolution (one after a transposed convolution), with a and b worked out at compile time.
 * Vectorized along each plane, threads over the planes.
 */
public final class ChannelAffine {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private ChannelAffine() {}

    public static void apply(TensorThreads threads, MemorySegment x, MemorySegment y, long planes, int channels, int inner, float[] a, float[] b) {
        threads.forWork(planes, inner * TensorThreads.MEMORY_PASS, (p0, p1) -> {
            for (long p = p0; p < p1; p++) {
                int c = (int) (p % channels);
                FloatVector va = FloatVector.broadcast(S, a[c]), vb = FloatVector.broadcast(S, b[c]);
                long off = p * inner * Float.BYTES;
                int i = 0;
                for (; i <= inner - S.length(); i += S.length()) {
                    long at = off + (long) i * Float.BYTES;
                    FloatVector.fromMemorySegment(S, x, at, NATIVE).fma(va, vb).intoMemorySegment(y, at, NATIVE);
                }
                for (; i < inner; i++) {
                    long at = off + (long) i * Float.BYTES;
                    y.set(java.lang.foreign.ValueLayout.JAVA_FLOAT, at, Math.fma(x.get(java.lang.foreign.ValueLayout.JAVA_FLOAT, at), a[c], b[c]));
                }
            }
        });
    }
}
