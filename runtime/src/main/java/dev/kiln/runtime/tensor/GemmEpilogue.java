package dev.kiln.runtime.tensor;

import jdk.incubator.vector.FloatVector;

/**
 * What a kernel does to its finished results: an activation, applied to each result vector in a
 * register as the kernel stores it ({@link #apply(FloatVector)}; a result stored alone takes
 * {@link #apply(float)}), so no pass over the stored results follows (it cost a tenth of a small
 * CNN's time).
 */
public interface GemmEpilogue {
    /** The activation of one vector: small enough to be inlined where the vector is stored, so that it stays in a register. */
    FloatVector apply(FloatVector v);

    float apply(float v);
}
