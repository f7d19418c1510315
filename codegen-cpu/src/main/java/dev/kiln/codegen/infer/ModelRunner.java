package dev.kiln.codegen.infer;

import dev.kiln.ir.tensor.Tensor;
import java.util.Map;

/**
 * Runs one model on a batch: its inputs by name (each with the batch as its first dimension),
 * its outputs by name. Implementations may keep compiled code and buffers between calls; a runner
 * is used by one thread at a time.
 */
public interface ModelRunner {
    Map<String, Tensor> run(Map<String, Tensor> inputs);

    /** How it runs, for EXPLAIN. */
    String describe();
}
