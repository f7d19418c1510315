package dev.kiln.runtime.tensor;

import java.lang.foreign.MemorySegment;

/**
 * What a GEMM does to a finished tile of its result while it is still in L1: an activation,
 * usually generated per fused node. Called once per tile with the tile's first element and the
 * row stride, both in floats.
 */
public interface GemmEpilogue {
    void apply(MemorySegment c, long offset, long ldc, int rows, int cols);
}
