package dev.kiln.codegen.tensor;

import dev.kiln.runtime.tensor.TensorThreads;

/** One kernel call of a compiled program, with its buffers and constants already bound. */
@FunctionalInterface
interface TensorStep {
    void run(TensorThreads threads);
}
