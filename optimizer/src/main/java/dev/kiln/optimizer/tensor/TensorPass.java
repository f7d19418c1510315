package dev.kiln.optimizer.tensor;

import dev.kiln.ir.tensor.TensorGraph;

/** One named rewrite of a whole tensor graph; each must leave the graph's results unchanged. */
public interface TensorPass {
    String name();

    TensorGraph apply(TensorGraph g);
}
