package dev.kiln.codegen.pipeline;

import dev.kiln.runtime.vector.Batch;

/**
 * Superclass of every generated pipeline class. A pipeline is one fused loop from a source of
 * batches through streaming operators into a sink; the driver calls {@link #init} once,
 * {@link #consume} per source batch and {@link #finish} at the end. Literals arrive in
 * {@code params} (so one class serves every query of the same shape) and runtime objects
 * (hash tables, collectors) in {@code resources}.
 */
public abstract class PipelineBase {
    public abstract void init(Object[] params, Object[] resources);

    public abstract void consume(Batch batch);

    public abstract void finish();
}
