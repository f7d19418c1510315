package dev.kiln.codegen.tensor;

import java.lang.foreign.MemorySegment;

/**
 * What a generated elementwise loop implements: output elements [from, to) of one fused chain,
 * from its input buffers, each read at its broadcast index. Subclasses are generated per chain
 * and shape by {@link ElementwiseCodegen}.
 */
public abstract class ElementwiseKernel {
    protected ElementwiseKernel() {}

    public abstract void run(MemorySegment[] inputs, MemorySegment out, long from, long to);
}
