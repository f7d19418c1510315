package dev.kiln.runtime.tensor;


/**
 * What a kernel does to its finished results: an activation, applied to them on the heap (a GEMM
 * tile's row, a convolution's output row: in L1) just before they are stored, so that no pass
 * over the stored results follows. A loop over the values, not a call per vector: a vector that
 * crosses a call the JIT does not inline is boxed, and whether it inlines depends on what else
 * it has compiled.
 */
public interface GemmEpilogue {
    /** Applies the activation to {@code v[from, from + n)} in place. */
    void apply(float[] v, int from, int n);
}
